// Subscriptions against @authmode/local's real-time endpoint, through @authmode/node clients and
// `subscribe` (no hand-built protocol here; see realtime-attacks.test.ts for that): events after
// HTTP mutations for API key, user pool (owner rule: only one's own items) and guest IAM
// subscribers, the subscriber's own selection set, field-level rules, the legacy query form,
// refused connections, and unsubscribe (stop → complete). cognito-local is the user pool.
import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createClient, subscribe, type Client, type Subscription } from '@authmode/node'
import { startLocalAppSync, type LocalAppSync } from '@authmode/local'
import { client, issue, startUserPool, userPoolConfig, type UserPool } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Note
    @model
    @auth(rules: [{ allow: public }, { allow: public, provider: iam, operations: [read] }, { allow: private }]) {
    id: ID!
    text: String!
    secret: String @auth(rules: [{ allow: private }])
  }
  type Todo @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String
  }
`
const ON_CREATE_NOTE = 'subscription { onCreateNote { id text } }'
const ON_CREATE_TODO = 'subscription { onCreateTodo { id text owner } }'

let pool: UserPool
let server: LocalAppSync
let apiKeyClient: Client
const logs: string[] = []
const open: Subscription<unknown>[] = []

beforeAll(async () => {
  pool = await startUserPool([{ username: 'alice' }, { username: 'bob' }])
  server = await startLocalAppSync({
    schema: SCHEMA,
    userPools: [userPoolConfig(pool.cognito)],
    logger: { info: (line) => logs.push(line) },
  })
  apiKeyClient = client(server, 'apiKey', { apiKey: server.apiKey ?? '' })
})

afterEach(() => {
  for (const subscription of open.splice(0)) subscription.unsubscribe()
})

afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
  await (pool as UserPool | undefined)?.stop()
})

function track<T>(subscription: Subscription<T>): Subscription<T> {
  open.push(subscription)
  return subscription
}

/** The next `count` events of a subscription, failing after 5 s instead of hanging. */
async function next<T>(subscription: Subscription<T>, count = 1): Promise<T[]> {
  const iterator = subscription[Symbol.asyncIterator]()
  const out: T[] = []
  const deadline = Date.now() + 5000
  while (out.length < count) {
    const left = deadline - Date.now()
    const result = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => {
            reject(new Error(`no event within 5 s`))
          },
          Math.max(left, 0),
        ),
      ),
    ])
    if (result.done) break
    out.push(result.value)
  }
  return out
}

async function createNote(text: string): Promise<{ id: string; text: string }> {
  const answer = await apiKeyClient.request<{ createNote: { id: string; text: string } }>(
    'mutation ($text: String!) { createNote(input: { text: $text }) { id text } }',
    { text },
  )
  return answer.createNote
}

/** Waits until the server logged a line matching `pattern` (the endpoint logs as it goes), from line `from` on. */
async function logged(pattern: RegExp, from = 0): Promise<string> {
  const deadline = Date.now() + 5000
  for (;;) {
    const line = logs.slice(from).find((l) => pattern.test(l))
    if (line !== undefined) return line
    if (Date.now() > deadline) throw new Error(`nothing logged matching ${String(pattern)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('events after mutations', () => {
  it('an API-key subscriber gets onCreateNote after createNote over HTTP', async () => {
    const onCreate = track(subscribe<{ onCreateNote: { id: string; text: string } }>(apiKeyClient, ON_CREATE_NOTE))
    await onCreate.ready
    const note = await createNote('hello realtime')
    expect(await next(onCreate)).toEqual([{ onCreateNote: note }])
  })

  it('each subscriber gets the item shaped by its own selection set', async () => {
    const onlyId = track(subscribe(apiKeyClient, 'subscription OnlyId { onCreateNote { id } }'))
    const withTimestamps = track(
      subscribe(apiKeyClient, 'subscription Stamps { onCreateNote { text createdAt __typename } }'),
    )
    await Promise.all([onlyId.ready, withTimestamps.ready])
    const note = await createNote('shaped')
    expect(await next(onlyId)).toEqual([{ onCreateNote: { id: note.id } }])
    const [event] = await next(withTimestamps)
    expect(event).toEqual({
      onCreateNote: { text: 'shaped', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), __typename: 'Note' },
    })
  })

  it('onUpdate and onDelete follow updateNote and deleteNote', async () => {
    const onUpdate = track(subscribe(apiKeyClient, 'subscription { onUpdateNote { id text } }'))
    const onDelete = track(subscribe(apiKeyClient, 'subscription { onDeleteNote { id } }'))
    const onCreate = track(subscribe(apiKeyClient, ON_CREATE_NOTE))
    await Promise.all([onUpdate.ready, onDelete.ready, onCreate.ready])
    const note = await createNote('v1')
    await apiKeyClient.request('mutation ($id: ID!) { updateNote(input: { id: $id, text: "v2" }) { id } }', {
      id: note.id,
    })
    await apiKeyClient.request('mutation ($id: ID!) { deleteNote(input: { id: $id }) { id } }', { id: note.id })
    expect(await next(onUpdate)).toEqual([{ onUpdateNote: { id: note.id, text: 'v2' } }])
    expect(await next(onDelete)).toEqual([{ onDeleteNote: { id: note.id } }])
    // The create subscription saw the create only: its next event is the next create.
    expect(await next(onCreate)).toEqual([{ onCreateNote: note }])
    const later = await createNote('later')
    expect(await next(onCreate)).toEqual([{ onCreateNote: later }])
  })

  it('a field the subscriber may not read is null with an Unauthorized error, as in a query', async () => {
    const errors: string[] = []
    const withSecret = track(
      subscribe<{ onCreateNote: { id: string; secret: string | null } }>(
        apiKeyClient,
        'subscription { onCreateNote { id secret } }',
        {},
        { onError: (error) => errors.push(...error.errors.map((e) => e.errorType ?? '?')) },
      ),
    )
    await withSecret.ready
    const alice = client(server, 'userPool', { userPool: await pool.idToken('alice') })
    const created = await alice.request<{ createNote: { id: string } }>(
      'mutation { createNote(input: { text: "t", secret: "s3cr3t" }) { id } }',
    )
    expect(await next(withSecret)).toEqual([{ onCreateNote: { id: created.createNote.id, secret: null } }])
    expect(errors).toEqual(['Unauthorized'])
  })

  it('the legacy query form (?header=…&payload=e30=) works as well', async () => {
    const onCreate = track(subscribe(queryFormClient(), ON_CREATE_NOTE))
    await onCreate.ready
    const note = await createNote('legacy')
    expect(await next(onCreate)).toEqual([{ onCreateNote: note }])
  })
})

describe('who gets an event', () => {
  it('user pool subscribers with an owner rule get only their own items', async () => {
    const alice = client(server, 'userPool', { userPool: await pool.idToken('alice') })
    const bob = client(server, 'userPool', { userPool: await pool.idToken('bob') })
    interface Event {
      onCreateTodo: { id: string; text: string; owner: string }
    }
    const aliceEvents = track(subscribe<Event>(alice, ON_CREATE_TODO))
    const bobEvents = track(subscribe<Event>(bob, ON_CREATE_TODO))
    await Promise.all([aliceEvents.ready, bobEvents.ready])
    const create = async (as: Client, text: string): Promise<Event['onCreateTodo']> =>
      (
        await as.request<{ createTodo: Event['onCreateTodo'] }>(
          'mutation ($text: String) { createTodo(input: { text: $text }) { id text owner } }',
          { text },
        )
      ).createTodo
    const a1 = await create(alice, 'a1')
    const b1 = await create(bob, 'b1')
    const a2 = await create(alice, 'a2')
    const b2 = await create(bob, 'b2')
    // Events go out in order on each connection: had bob's b1 reached alice, it would sit between a1 and a2.
    expect(await next(aliceEvents, 2)).toEqual([{ onCreateTodo: a1 }, { onCreateTodo: a2 }])
    expect(await next(bobEvents, 2)).toEqual([{ onCreateTodo: b1 }, { onCreateTodo: b2 }])
    expect(a1.owner).toMatch(/::alice$/)
    expect(b1.owner).toMatch(/::bob$/)
  })

  it('an API-key subscriber to an owner-only type is refused at start (Unauthorized)', async () => {
    const refused = track(subscribe(apiKeyClient, ON_CREATE_TODO))
    await expect(refused.ready).rejects.toMatchObject({
      code: 'ERR_GRAPHQL',
      errors: [expect.objectContaining({ errorType: 'Unauthorized' })],
    })
  })

  it('a guest IAM subscriber (identity-pool credentials, SigV4-signed connect and start) gets events', async () => {
    const guest = client(server, 'iam', { credentials: issue(server.credentials, 'guest') })
    const onCreate = track(subscribe<{ onCreateNote: { id: string; text: string } }>(guest, ON_CREATE_NOTE))
    await onCreate.ready
    const note = await createNote('for guests')
    expect(await next(onCreate)).toEqual([{ onCreateNote: note }])
    expect(await logged(/realtime start \d+ onCreateNote \(iam guest\)/)).toBeTruthy()
  })
})

describe('refused connections', () => {
  it('an unknown API key: connection_error, the subscription fails with SubscriptionError', async () => {
    const stranger = client(server, 'apiKey', { apiKey: `da2-${randomBytes(13).toString('hex')}` })
    const refused = track(subscribe(stranger, ON_CREATE_NOTE))
    await expect(refused.ready).rejects.toMatchObject({ code: 'ERR_SUBSCRIPTION' })
    expect(await logged(/realtime connection_error: Invalid API key/)).toBeTruthy()
  })

  it('a JWT whose claims were changed (forged signature): connection_error, SubscriptionError', async () => {
    const [header, payload, signature] = (await pool.idToken('bob')).split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, 'cognito:username': 'alice' })).toString('base64url')
    const forged = client(server, 'userPool', { userPool: `${header ?? ''}.${forgedPayload}.${signature ?? ''}` })
    const refused = track(subscribe(forged, ON_CREATE_TODO))
    await expect(refused.ready).rejects.toMatchObject({ code: 'ERR_SUBSCRIPTION' })
    expect(await logged(/realtime connection_error: .*(JWT|signature)/i)).toMatch(/invalid/i)
  })
})

describe('unsubscribe', () => {
  it('sends stop; the server ends the subscription with complete and delivers nothing more to it', async () => {
    const mark = logs.length
    const onCreate = track(subscribe(apiKeyClient, 'subscription Stoppable { onCreateNote { id } }'))
    await onCreate.ready
    const started = await logged(/realtime start \d+ onCreateNote \(apiKey\)$/, mark)
    const id = /start (\d+) /.exec(started)?.[1] ?? '?'
    onCreate.unsubscribe()
    expect(await logged(new RegExp(`realtime stop ${id}: complete`), mark)).toBe(`realtime stop ${id}: complete`)
    // Ended: the iteration is done, and a later create reaches nobody on that id.
    expect(await next(onCreate)).toEqual([])
  })
})

/** An API-key client whose subscriptions use `realtime.auth: 'query'` (the legacy query-string form). */
function queryFormClient(): Client {
  return createClient({
    endpoint: server.graphqlUrl,
    authMode: 'apiKey',
    apiKey: server.apiKey ?? '',
    realtime: { auth: 'query' },
    retry: false,
    logger: null,
  })
}

describe('options', () => {
  it('bad realtime settings are a ConfigurationError; realtime: false serves no WebSocket', async () => {
    await expect(startLocalAppSync({ schema: SCHEMA, realtime: { keepAliveIntervalMs: 0 } })).rejects.toMatchObject({
      code: 'ERR_CONFIGURATION',
      message: expect.stringContaining('realtime.keepAliveIntervalMs'),
    })
    await expect(
      startLocalAppSync({ schema: SCHEMA, realtime: { keepAliveIntervalMs: 10_000, connectionTimeoutMs: 5000 } }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIGURATION' })
    const off = await startLocalAppSync({ schema: SCHEMA, realtime: false })
    try {
      expect(off.realtimeUrl).toBeUndefined()
      const offClient = createClient({
        endpoint: off.graphqlUrl,
        authMode: 'apiKey',
        apiKey: off.apiKey ?? '',
        realtime: { reconnect: false },
        logger: null,
      })
      await expect(subscribe(offClient, ON_CREATE_NOTE).ready).rejects.toMatchObject({ code: 'ERR_SUBSCRIPTION' })
    } finally {
      await off.stop()
    }
  })
})
