// The real-time endpoint on the wire, with hand-built messages where a correct client cannot make
// them: connections without or with unreadable authorization, starts with a forged JWT, an unknown
// API key, a SigV4 signature over other data or no authorization at all, garbage messages (the
// server keeps serving), keep-alives, stop → complete, no secret in the server's log lines, and
// issue 13's subscription cases (a filter on a field the caller may not read), named by finding.
import { randomBytes } from 'node:crypto'
import aws4 from 'aws4'
import { WebSocket, type RawData } from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalAppSync, type IssuedCredentials, type LocalAppSync } from '@authmode/local'
import { REGION, client, issue, startUserPool, userPoolConfig, type UserPool } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: public }, { allow: public, provider: iam }, { allow: private }]) {
    id: ID!
    text: String!
  }
  type Letter
    @model
    @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }, { allow: public, operations: [read] }]) {
    id: ID!
    title: String
    secret: String @auth(rules: [{ allow: owner }])
  }
  type Vault @model @auth(rules: [{ allow: groups, groups: ["Admin"] }]) {
    id: ID!
    text: String
  }
`
const DATA = JSON.stringify({ query: 'subscription { onCreateNote { id text } }', variables: {} })
const MAX_BYTES = 64 * 1024

interface Message {
  type: string
  id?: string
  payload?: { errors?: { errorType: string; message: string }[] } & Record<string, unknown>
}

let pool: UserPool
let server: LocalAppSync
let guest: IssuedCredentials
const logs: string[] = []
const sockets: WebSocket[] = []

beforeAll(async () => {
  pool = await startUserPool([{ username: 'carol' }, { username: 'dave' }])
  server = await startLocalAppSync({
    schema: SCHEMA,
    userPools: [userPoolConfig(pool.cognito)],
    logger: { info: (line) => logs.push(line) },
    maxBodyBytes: MAX_BYTES,
    realtime: { keepAliveIntervalMs: 100, connectionTimeoutMs: 5000 },
  })
  guest = issue(server.credentials, 'guest')
})

afterAll(async () => {
  for (const socket of sockets) socket.terminate()
  await (server as LocalAppSync | undefined)?.stop()
  await (pool as UserPool | undefined)?.stop()
})

/** A raw socket to the real-time endpoint that keeps every message it gets. */
interface Raw {
  readonly socket: WebSocket
  readonly messages: Message[]
  /** Resolves with the first message (from `from` on) that `match` accepts; rejects after 5 s. */
  next(match: (message: Message) => boolean, from?: number): Promise<Message>
  send(message: unknown): void
  readonly closed: Promise<number>
}

async function connect(header: Record<string, string> | undefined, protocols?: string[]): Promise<Raw> {
  const offered = protocols ?? [
    'graphql-ws',
    ...(header ? [`header-${Buffer.from(JSON.stringify(header)).toString('base64url')}`] : []),
  ]
  const socket = new WebSocket(server.realtimeUrl ?? '', offered)
  sockets.push(socket)
  const messages: Message[] = []
  const waiters: (() => void)[] = []
  socket.on('message', (raw: RawData) => {
    messages.push(JSON.parse(String(raw)) as Message)
    for (const wake of waiters.splice(0)) wake()
  })
  const closed = new Promise<number>((resolve) =>
    socket.on('close', (code) => {
      resolve(code)
    }),
  )
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      resolve()
    })
    socket.once('error', reject)
  })
  const next = async (match: (message: Message) => boolean, from = 0): Promise<Message> => {
    const deadline = Date.now() + 5000
    for (;;) {
      const found = messages.slice(from).find(match)
      if (found) return found
      if (Date.now() > deadline) throw new Error(`no matching message; got ${messages.map((m) => m.type).join(', ')}`)
      await new Promise<void>((resolve) => {
        waiters.push(resolve)
        setTimeout(resolve, 50)
      })
    }
  }
  return {
    socket,
    messages,
    next,
    send: (message) => {
      socket.send(typeof message === 'string' ? message : JSON.stringify(message))
    },
    closed,
  }
}

const host = (): string => new URL(server.graphqlUrl).host
const apiKeyHeader = (key = server.apiKey ?? ''): Record<string, string> => ({
  host: host(),
  'x-amz-date': new Date().toISOString().replace(/[:-]|\.\d{3}/g, ''),
  'x-api-key': key,
})

/** An acknowledged connection authorized with the API key. */
async function acked(): Promise<Raw> {
  const raw = await connect(apiKeyHeader())
  raw.send({ type: 'connection_init' })
  await raw.next((m) => m.type === 'connection_ack')
  return raw
}

/** The header object of an IAM start: SigV4 (aws4) of `POST /graphql` over `body`, as the protocol says. */
function signedHeader(body: string, credentials: IssuedCredentials): Record<string, string> {
  const signed = aws4.sign(
    {
      host: host(),
      method: 'POST',
      path: '/graphql',
      service: 'appsync',
      region: REGION,
      body,
      headers: {
        accept: 'application/json, text/javascript',
        'content-encoding': 'amz-1.0',
        'content-type': 'application/json; charset=UTF-8',
      },
    },
    {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
    },
  )
  const header: Record<string, string> = { host: host() }
  for (const [name, value] of Object.entries(signed.headers ?? {})) header[name.toLowerCase()] = String(value)
  return header
}

/** Sends a start and waits for its answer: start_ack or error. */
async function startOn(raw: Raw, id: string, payload: unknown): Promise<Message> {
  raw.send({ type: 'start', id, payload })
  return raw.next((m) => m.id === id && (m.type === 'start_ack' || m.type === 'error'))
}

const errorTypeOf = (message: Message): string | undefined => message.payload?.errors?.[0]?.errorType

describe('connections', () => {
  it('connection_ack carries connectionTimeoutMs, and ka messages keep coming', async () => {
    const raw = await acked()
    const ack = await raw.next((m) => m.type === 'connection_ack')
    expect(ack.payload).toEqual({ connectionTimeoutMs: 5000 })
    const from = raw.messages.length
    await raw.next((m) => m.type === 'ka', from)
    await raw.next((m) => m.type === 'ka', raw.messages.length)
    expect(raw.messages.slice(from).filter((m) => m.type === 'ka').length).toBeGreaterThanOrEqual(2)
    raw.socket.close()
  })

  it('no header object: connection_error (UnauthorizedException), then the socket is closed', async () => {
    const raw = await connect(undefined)
    raw.send({ type: 'connection_init' })
    const error = await raw.next((m) => m.type === 'connection_error')
    expect(errorTypeOf(error)).toBe('UnauthorizedException')
    expect(await raw.closed).toBe(1000)
    expect(raw.messages.some((m) => m.type === 'connection_ack')).toBe(false)
  })

  it('an unreadable header, an unknown API key, a forged JWT, a header without host: connection_error', async () => {
    const [header, payload, signature] = (await pool.idToken('carol')).split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
    const forged = `${header ?? ''}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${signature ?? ''}`
    const attempts = [
      connect(undefined, ['graphql-ws', 'header-bm90anNvbg']),
      connect(apiKeyHeader(`da2-${randomBytes(13).toString('hex')}`)),
      connect({ host: host(), Authorization: forged }),
      connect({ 'x-api-key': server.apiKey ?? '' }),
    ]
    for (const raw of await Promise.all(attempts)) {
      raw.send({ type: 'connection_init' })
      const error = await raw.next((m) => m.type === 'connection_error')
      expect(errorTypeOf(error)).toBe('UnauthorizedException')
      expect(raw.messages.some((m) => m.type === 'connection_ack')).toBe(false)
    }
  })

  it('the legacy ?header=<base64>&payload=e30= form is read', async () => {
    const encoded = Buffer.from(JSON.stringify(apiKeyHeader())).toString('base64')
    const socket = new WebSocket(`${server.realtimeUrl ?? ''}?header=${encodeURIComponent(encoded)}&payload=e30=`, [
      'graphql-ws',
    ])
    sockets.push(socket)
    const first = new Promise<Message>((resolve) =>
      socket.once('message', (raw: RawData) => {
        resolve(JSON.parse(String(raw)) as Message)
      }),
    )
    await new Promise<void>((resolve) =>
      socket.once('open', () => {
        resolve()
      }),
    )
    socket.send(JSON.stringify({ type: 'connection_init' }))
    expect((await first).type).toBe('connection_ack')
    socket.close()
  })

  it('an upgrade on another path, or without the graphql-ws subprotocol, is refused', async () => {
    const refused = (url: string, protocols: string[]): Promise<string> =>
      new Promise((resolve) => {
        const socket = new WebSocket(url, protocols)
        socket.on('unexpected-response', (_request, response) => {
          resolve(String(response.statusCode))
          socket.terminate()
        })
        socket.on('error', () => {
          resolve('error')
        })
      })
    expect(await refused(server.graphqlUrl.replace(/^http/, 'ws'), ['graphql-ws'])).toBe('404')
    expect(await refused(server.realtimeUrl ?? '', ['other'])).toBe('400')
  })
})

describe('starts', () => {
  it('an IAM start signed over exactly its data is acknowledged (the control for the next test)', async () => {
    const raw = await acked()
    const answer = await startOn(raw, 'iam-ok', {
      data: DATA,
      extensions: { authorization: signedHeader(DATA, guest) },
    })
    expect(answer.type).toBe('start_ack')
    raw.socket.close()
  })

  it('an IAM start whose signature covers different data is refused with UnauthorizedException', async () => {
    const raw = await acked()
    const other = JSON.stringify({ query: 'subscription { onCreateNote { id } }', variables: {} })
    const answer = await startOn(raw, 'iam-bad', {
      data: DATA,
      extensions: { authorization: signedHeader(other, guest) },
    })
    expect(answer.type).toBe('error')
    expect(errorTypeOf(answer)).toBe('UnauthorizedException')
    expect(answer.payload?.errors?.[0]?.message).toMatch(/signature/)
    raw.socket.close()
  })

  it('a start with no authorization, a forged JWT or an unknown API key is refused with UnauthorizedException', async () => {
    const raw = await acked()
    const [header, payload, signature] = (await pool.idToken('carol')).split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
    const forged = `${header ?? ''}.${Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['Admin'] })).toString('base64url')}.${signature ?? ''}`
    const answers = await Promise.all([
      startOn(raw, 'none', { data: DATA }),
      startOn(raw, 'empty', { data: DATA, extensions: {} }),
      startOn(raw, 'jwt', { data: DATA, extensions: { authorization: { host: host(), Authorization: forged } } }),
      startOn(raw, 'key', {
        data: DATA,
        extensions: { authorization: apiKeyHeader(`da2-${randomBytes(13).toString('hex')}`) },
      }),
    ])
    expect(answers.map((a) => [a.id, a.type, errorTypeOf(a)])).toEqual([
      ['none', 'error', 'UnauthorizedException'],
      ['empty', 'error', 'UnauthorizedException'],
      ['jwt', 'error', 'UnauthorizedException'],
      ['key', 'error', 'UnauthorizedException'],
    ])
    // The same connection still takes a valid start: a refused start does not end it.
    const valid = await startOn(raw, 'valid', { data: DATA, extensions: { authorization: apiKeyHeader() } })
    expect(valid.type).toBe('start_ack')
    raw.socket.close()
  })

  it('stop → complete; a stopped subscription gets no more data', async () => {
    const raw = await acked()
    expect((await startOn(raw, 's1', { data: DATA, extensions: { authorization: apiKeyHeader() } })).type).toBe(
      'start_ack',
    )
    raw.send({ type: 'stop', id: 's1' })
    expect(await raw.next((m) => m.type === 'complete')).toEqual({ type: 'complete', id: 's1' })
    const from = raw.messages.length
    await createNote('after stop')
    // A second subscription on the same socket proves events flow, and none went to s1.
    expect((await startOn(raw, 's2', { data: DATA, extensions: { authorization: apiKeyHeader() } })).type).toBe(
      'start_ack',
    )
    const note = await createNote('to s2')
    const data = await raw.next((m) => m.type === 'data', from)
    expect(data).toEqual({ type: 'data', id: 's2', payload: { data: { onCreateNote: note } } })
    expect(raw.messages.filter((m) => m.type === 'data' && m.id === 's1')).toEqual([])
    raw.socket.close()
  })
})

describe('issue 13 (outside audit): subscriptions as strict as queries', () => {
  const on = (filter: unknown): string =>
    JSON.stringify({
      query: 'subscription ($f: ModelSubscriptionLetterFilterInput) { onCreateLetter(filter: $f) { id title } }',
      variables: { f: filter },
    })
  async function createLetter(username: string, secret: string): Promise<string> {
    const writer = client(server, 'userPool', { userPool: await pool.idToken(username) })
    const answer = await writer.request<{ createLetter: { id: string } }>(
      'mutation ($secret: String) { createLetter(input: { title: "hello", secret: $secret }) { id } }',
      { secret },
    )
    return answer.createLetter.id
  }

  it('issue 13 #8: a subscription filter on a field the caller may not read is refused (Unauthorized), and never matches another’s item', async () => {
    const raw = await acked()
    const carol = { host: host(), Authorization: await pool.idToken('carol') }
    // The API key may never read the owner-only secret: a filter on it is refused, however nested.
    const refused = await Promise.all([
      startOn(raw, 'key-secret', {
        data: on({ secret: { beginsWith: 's' } }),
        extensions: { authorization: apiKeyHeader() },
      }),
      startOn(raw, 'key-or', {
        data: on({ or: [{ title: { eq: 'x' } }, { secret: { beginsWith: 's' } }] }),
        extensions: { authorization: apiKeyHeader() },
      }),
    ])
    expect(refused.map((a) => [a.id, a.type, errorTypeOf(a)])).toEqual([
      ['key-secret', 'error', 'Unauthorized'],
      ['key-or', 'error', 'Unauthorized'],
    ])
    // A filter on a field it may read is served; Carol may filter on secrets (those of her own letters).
    const served = await Promise.all([
      startOn(raw, 'key-title', {
        data: on({ title: { eq: 'hello' } }),
        extensions: { authorization: apiKeyHeader() },
      }),
      startOn(raw, 'carol-secret', {
        data: on({ secret: { beginsWith: 's-' } }),
        extensions: { authorization: carol },
      }),
    ])
    expect(served.map((a) => a.type)).toEqual(['start_ack', 'start_ack'])
    const from = raw.messages.length
    const daves = await createLetter('dave', 's-dave')
    const carols = await createLetter('carol', 's-carol')
    await raw.next((m) => m.type === 'data' && m.id === 'carol-secret', from)
    await raw.next((m) => m.type === 'data' && m.id === 'key-title' && JSON.stringify(m).includes(carols), from)
    const delivered = (id: string): unknown[] =>
      raw.messages
        .slice(from)
        .filter((m) => m.type === 'data' && m.id === id)
        .map((m) => (m.payload as { data: { onCreateLetter: { id: string } } }).data.onCreateLetter.id)
    // Carol reads Dave's letter but not its secret: her filter on the secret never matched it.
    expect(delivered('carol-secret')).toEqual([carols])
    expect(delivered('key-title')).toEqual([daves, carols])
    raw.socket.close()
  })
})

describe('issue 13 (outside audit): static groups on subscriptions', () => {
  it('issue 13 #13: a signed-in user outside the only allowed group is refused at start (Unauthorized)', async () => {
    const raw = await acked()
    const answer = await startOn(raw, 'vault', {
      data: JSON.stringify({ query: 'subscription { onCreateVault { id text } }', variables: {} }),
      extensions: { authorization: { host: host(), Authorization: await pool.idToken('carol') } },
    })
    expect([answer.type, errorTypeOf(answer), answer.payload?.errors?.[0]?.message]).toEqual([
      'error',
      'Unauthorized',
      'Not Authorized to access onCreateVault on type Subscription',
    ])
    raw.socket.close()
  })
})

describe('garbage', () => {
  it('malformed messages get errors; the connection and the server keep working', async () => {
    const raw = await acked()
    const garbage: unknown[] = [
      'not json',
      '[]',
      'null',
      '{"type":5}',
      { type: 'no-such-type', id: 'g0' },
      { type: 'start', id: { nested: true } },
      { type: 'start', id: 'g1', payload: null },
      { type: 'start', id: 'g2', payload: { data: 12, extensions: { authorization: apiKeyHeader() } } },
      { type: 'start', id: 'g3', payload: { data: '{not json', extensions: { authorization: apiKeyHeader() } } },
      { type: 'start', id: 'g4', payload: { data: DATA, extensions: { authorization: 'a string' } } },
      {
        type: 'start',
        id: 'g5',
        payload: { data: DATA, extensions: { authorization: { host: host(), 'x-api-key': 7 } } },
      },
      {
        type: 'start',
        id: 'g6',
        payload: {
          data: JSON.stringify({ query: 'query { listNotes { items { id } } }' }),
          extensions: { authorization: apiKeyHeader() },
        },
      },
      {
        type: 'start',
        id: 'g7',
        payload: {
          data: JSON.stringify({ query: 'subscription { nope }' }),
          extensions: { authorization: apiKeyHeader() },
        },
      },
      { type: 'stop', id: 'never-started' },
      { type: 'stop' },
    ]
    for (const message of garbage) raw.send(message)
    raw.socket.send(Buffer.from([0xff, 0xfe, 0x00, 0x01]))
    // Each bad start got its own error; nothing was acknowledged.
    for (const id of ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7']) {
      const answer = await raw.next((m) => m.id === id)
      expect([id, answer.type]).toEqual([id, 'error'])
    }
    expect(raw.messages.filter((m) => m.type === 'start_ack')).toEqual([])
    // The same connection still works, and so does the server.
    expect((await startOn(raw, 'ok', { data: DATA, extensions: { authorization: apiKeyHeader() } })).type).toBe(
      'start_ack',
    )
    const note = await createNote('after garbage')
    expect(await raw.next((m) => m.type === 'data' && m.id === 'ok')).toEqual({
      type: 'data',
      id: 'ok',
      payload: { data: { onCreateNote: note } },
    })
    expect((await fetch(`${server.url}/health`)).status).toBe(200)
    raw.socket.close()
  })

  it('a message over the size limit closes that socket only (1009)', async () => {
    const raw = await acked()
    raw.socket.send('x'.repeat(MAX_BYTES + 1))
    expect(await raw.closed).toBe(1009)
    const other = await acked()
    expect((await startOn(other, 'after', { data: DATA, extensions: { authorization: apiKeyHeader() } })).type).toBe(
      'start_ack',
    )
    other.socket.close()
  })
})

describe('secrets', () => {
  it('no API key, token, secret key, session token or signature in the server’s log lines', async () => {
    const token = await pool.idToken('carol')
    const raw = await connect({ host: host(), Authorization: token })
    raw.send({ type: 'connection_init' })
    await raw.next((m) => m.type === 'connection_ack')
    await startOn(raw, 'tok', { data: DATA, extensions: { authorization: { host: host(), Authorization: token } } })
    const signed = signedHeader(DATA, guest)
    await startOn(raw, 'sig', { data: `${DATA} `, extensions: { authorization: signed } })
    raw.socket.close()
    const signature = /Signature=([0-9a-f]+)/.exec(signed['authorization'] ?? '')?.[1] ?? ''
    const secrets = [server.apiKey ?? '', token, guest.secretAccessKey, guest.sessionToken ?? '', signature]
    expect(secrets.every((s) => s.length > 8)).toBe(true)
    expect(logs.length).toBeGreaterThan(10)
    for (const secret of secrets) expect(logs.filter((line) => line.includes(secret))).toEqual([])
  })
})

async function createNote(text: string): Promise<{ id: string; text: string }> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey ?? '' },
    body: JSON.stringify({
      query: 'mutation ($text: String!) { createNote(input: { text: $text }) { id text } }',
      variables: { text },
    }),
  })
  const body = (await response.json()) as { data: { createNote: { id: string; text: string } } }
  return body.data.createNote
}
