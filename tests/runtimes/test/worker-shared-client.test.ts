// Issue 18, in workerd: a client made at module scope and shared by concurrent requests. Workers
// forbid one request touching another's I/O objects; a second request's subscription on the first
// request's WebSocket used to never settle, and while that socket was still opening the second
// request failed with an uncaught exception (workerd refuses even a read of the socket's state). Both
// now fail at once with a typed error that says what to do, and the README's pattern (a client per
// request) works for concurrent requests.
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain .mjs without types (src/ is run as is by every runtime)
import { startLocal } from '../src/local.mjs'
// @ts-expect-error plain .mjs without types
import { startWorkerd } from '../src/workerd.mjs'

interface Started {
  stop: () => Promise<void>
}
interface Outcome {
  ready?: boolean
  settled?: boolean
  error?: { name: string; code: string; message: string }
  ms: number
}

const dir = mkdtempSync(join(tmpdir(), 'authmode-worker-'))
let local: Started & { config: { endpoint: string; apiKey: string } }
let workerd: Started & { url: string }
// A TCP proxy to the local server that holds each connection's bytes for a while: the first
// request's socket stays opening (its handshake unanswered) while the second request subscribes.
let slow: Server
const SLOW_MS = 1500

beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL('../src/shared-client-worker.mjs', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    outfile: join(dir, 'worker.js'),
    logLevel: 'silent',
  })
  local = (await startLocal(dir)) as typeof local
  workerd = (await startWorkerd(dir)) as typeof workerd
  const target = Number(new URL(local.config.endpoint).port)
  slow = createServer((socket) => {
    const upstream = createConnection(target, '127.0.0.1')
    socket.on('error', () => undefined)
    upstream.on('error', () => undefined)
    setTimeout(() => {
      socket.pipe(upstream).pipe(socket)
    }, SLOW_MS)
  })
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve))
}, 30_000)

afterAll(async () => {
  slow.close()
  await workerd.stop()
  await local.stop()
  rmSync(dir, { recursive: true, force: true })
})

const post = async (path: string, holdMs = 0, realtimeEndpoint?: string): Promise<Outcome> => {
  const response = await fetch(`${workerd.url}${path}`, {
    method: 'POST',
    body: JSON.stringify({ config: { ...local.config, realtimeEndpoint }, holdMs }),
  })
  expect(response.status).toBe(200)
  return (await response.json()) as Outcome
}

/**
 * The first request subscribes with the shared client and holds its subscription for `holdMs`; a
 * second one subscribes with it 500 ms later: refused at once, typed, while the first stays ready.
 */
async function secondRequestRefused(holdMs: number, realtimeEndpoint?: string): Promise<void> {
  const first = post('/shared', holdMs, realtimeEndpoint)
  await new Promise((resolve) => setTimeout(resolve, 500))
  const second = await post('/shared', 0, realtimeEndpoint)
  expect(second.error).toMatchObject({ name: 'SubscriptionError', code: 'ERR_SUBSCRIPTION' })
  expect(second.error?.message).toBe('In a Worker, create the client per request.')
  expect(second.ms).toBeLessThan(1000)
  expect(await first).toMatchObject({ ready: true })
}

describe('workerd: a client shared by concurrent requests', () => {
  it("a second request's subscription on the first request's connection fails at once, typed, saying what to do", async () => {
    await secondRequestRefused(1500) // after 500 ms the first request's socket is open
  }, 20_000)

  it("a second request's subscription while the first request's socket is still opening fails at once, typed", async () => {
    const { port } = slow.address() as { port: number }
    // After 500 ms its socket is made, its handshake held by the proxy.
    await secondRequestRefused(2000, `ws://127.0.0.1:${String(port)}/graphql/realtime`)
  }, 20_000)

  it('a client per request (the README pattern): concurrent subscriptions each get ready', async () => {
    const first = post('/per-request', 1000)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await post('/per-request')).toMatchObject({ ready: true })
    expect(await first).toMatchObject({ ready: true })
  }, 20_000)
})
