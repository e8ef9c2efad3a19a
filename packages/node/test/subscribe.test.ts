// @authmode/node's default WebSocket for `subscribe`: the runtime's own, else the `ws` package, imported on the first
// subscription only (Node 20 has no global WebSocket). Checked against a minimal AppSync real-time
// endpoint on 127.0.0.1, in this process and in fresh Node processes importing the built package.
import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { WebSocketServer } from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { distScript } from './support/distScript'
import { createClient, subscribe } from '../src/index'

const run = promisify(execFile)
const nodePackage = fileURLToPath(new URL('..', import.meta.url))
const API_KEY = 'da2-nodewebsocketexample01'

let http: Server
let wss: WebSocketServer
let endpoint: string
/** The x-api-key of every connection's header object. */
const connectKeys: (string | undefined)[] = []

beforeAll(async () => {
  // A GraphQL answer for the probes that sign a request (POST /graphql).
  http = createServer((request, response) => {
    const signed = (request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')
    response.writeHead(signed ? 200 : 401, { 'content-type': 'application/json' })
    response.end(JSON.stringify(signed ? { data: { ok: true } } : { errors: [{ message: 'unsigned' }] }))
  })
  wss = new WebSocketServer({
    server: http,
    path: '/graphql/realtime',
    handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false),
  })
  // AppSync's protocol, just enough: ack, start_ack and one event per start, complete on stop.
  wss.on('connection', (socket, request) => {
    const encoded = (request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith('header-'))
    const header = encoded
      ? (JSON.parse(Buffer.from(encoded.slice(7), 'base64url').toString()) as Record<string, string>)
      : {}
    connectKeys.push(header['x-api-key'])
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type: string; id?: string }
      const send = (reply: object): void => {
        socket.send(JSON.stringify(reply))
      }
      if (message.type === 'connection_init')
        send({ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } })
      if (message.type === 'start') {
        send({ type: 'start_ack', id: message.id })
        send({ type: 'data', id: message.id, payload: { data: { onPing: { at: 'now' } } } })
      }
      if (message.type === 'stop') send({ type: 'complete', id: message.id })
    })
  })
  await new Promise<void>((resolve) => http.listen({ port: 0, host: '127.0.0.1' }, resolve))
  endpoint = `http://127.0.0.1:${String((http.address() as AddressInfo).port)}/graphql`
})

afterAll(async () => {
  for (const client of wss.clients) client.terminate()
  await new Promise((resolve) => {
    wss.close(resolve)
  })
  await new Promise((resolve) => http.close(resolve))
})

const SUBSCRIPTION = 'subscription OnPing { onPing { at } }'

describe('subscribe with @authmode/node', () => {
  it('uses the ws package when no webSocket is given (this runtime has no global one)', async () => {
    expect((globalThis as { WebSocket?: unknown }).WebSocket).toBeUndefined()
    const client = createClient({ endpoint, apiKey: API_KEY, logger: null })
    const subscription = subscribe<{ onPing: { at: string } }>(client, SUBSCRIPTION)
    await subscription.ready
    for await (const event of subscription) {
      expect(event).toEqual({ onPing: { at: 'now' } })
      break
    }
    expect(connectKeys.at(-1)).toBe(API_KEY)
  })
})

// `m` is the module. Prints whether `ws` was loaded at each stage; exits by itself once the
// subscription is stopped (nothing keeps the process alive).
const PROBE = `
  const loaded = () => Object.keys(require.cache).some((file) => /[\\\\/]node_modules[\\\\/]ws[\\\\/]/.test(file))
  const out = { afterImport: loaded() }
  const client = m.createClient({ endpoint: process.env.PROBE_ENDPOINT, apiKey: '${API_KEY}', logger: null })
  out.afterCreateClient = loaded()
  const subscription = m.subscribe(client, '${SUBSCRIPTION}')
  await subscription.ready
  out.afterSubscribe = loaded()
  for await (const event of subscription) { out.event = event; break }
  console.log(JSON.stringify(out))
`
const EXPECTED = {
  afterImport: false,
  afterCreateClient: false,
  afterSubscribe: true,
  event: { onPing: { at: 'now' } },
}

async function probe(script: string, args: string[]): Promise<unknown> {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], PROBE_ENDPOINT: endpoint }
  const { stdout } = await run(process.execPath, [...args, '-e', script], { cwd: nodePackage, env, timeout: 15_000 })
  return JSON.parse(stdout.trim())
}

describe('ws is loaded lazily by the built @authmode/node', () => {
  it('ESM: not by `import` or createClient; by the first subscription; the process exits after it stops', async () => {
    expect(await probe(distScript('esm', PROBE), ['--input-type=module'])).toEqual(EXPECTED)
  }, 20_000)

  it('CJS: not by `require` or createClient; by the first subscription; the process exits after it stops', async () => {
    expect(await probe(distScript('cjs', PROBE), [])).toEqual(EXPECTED)
  }, 20_000)
})

// Issue 18: Node 22+, Bun and Deno have a WebSocket of their own; `ws` (which reads the environment
// at import, refused by Deno without --allow-env) is loaded only where there is none. Node 20 with
// --experimental-websocket has the global one, as Node 22+ has by default.
describe('a built-in WebSocket is preferred (issue 18)', () => {
  it('ESM with a global WebSocket: the subscription works and ws is never loaded', async () => {
    expect(await probe(distScript('esm', PROBE), ['--experimental-websocket', '--input-type=module'])).toEqual({
      ...EXPECTED,
      afterSubscribe: false,
    })
  }, 20_000)

  it('CJS with a global WebSocket: the same', async () => {
    expect(await probe(distScript('cjs', PROBE), ['--experimental-websocket'])).toEqual({
      ...EXPECTED,
      afterSubscribe: false,
    })
  }, 20_000)
})

// Issue 18: `process` was read unguarded (Node's SHA-256 for SigV4). Where there is none (a bundle of
// this entry in a worker), the core's own SHA-256 signs instead of a raw ReferenceError.
const NO_PROCESS = `
  const endpoint = process.env.PROBE_ENDPOINT
  const stdout = process.stdout
  const print = (text) => stdout.write(text + '\\n')
  delete globalThis.process
  const client = m.createClient({ endpoint, region: 'us-east-1', authMode: 'iam', logger: null,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example-secret-key' } })
  const answer = await client.request('{ ok }')
  print(JSON.stringify({ process: typeof process, answer }))
`

describe('no global process (issue 18)', () => {
  it('ESM: an iam request is signed with the core SHA-256', async () => {
    expect(await probe(distScript('esm', NO_PROCESS), ['--input-type=module'])).toEqual({
      process: 'undefined',
      answer: { ok: true },
    })
  }, 20_000)
})
