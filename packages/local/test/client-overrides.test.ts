// Two Amplify parity options of the client against the verifying local endpoint (its own user pool,
// real sign-ins): a call's own token (`authToken`) for requests and subscriptions, where the
// client's userPool provider is absent or fails (one client serving several users, owner rules
// enforced), and a real-time URL given by the caller (`realtimeEndpoint`) for an endpoint whose
// HTTP URL is an alias that carries no WebSocket (an HTTP-only proxy in front of the endpoint).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  iamMode,
  NoAuthModeAvailableError,
  NoIdentityError,
  signInWithPassword,
  subscribe,
  SubscriptionError,
  UnauthorizedError,
  type Client,
  type ClientOptions,
  type Subscription,
} from '@authmode/node'
import { startLocalAppSync, type LocalAppSync, type LocalUserPool } from '@authmode/local'
import { startProxy, type RunningProxy } from '../../../tests/e2e/src/proxy'
import { backendKeys, REGION } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Todo @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String
  }
  type Note @model @auth(rules: [{ allow: public }]) {
    id: ID!
    text: String!
  }
`
const PASSWORD = 'Local-Passw0rd!'
const CREATE_TODO = 'mutation ($text: String) { createTodo(input: { text: $text }) { id text owner } }'
const LIST_TODOS = 'query { listTodos { items { id text owner } } }'
const ON_CREATE_TODO = 'subscription { onCreateTodo { id text owner } }'
const CREATE_NOTE = 'mutation ($text: String!) { createNote(input: { text: $text }) { id text } }'
const ON_CREATE_NOTE = 'subscription { onCreateNote { id text } }'

interface TodoItem {
  id: string
  text: string
  owner: string
}

let server: LocalAppSync
let proxy: RunningProxy
const backend = backendKeys()
const tokens = new Map<string, string>()
const logs: string[] = []
const open: Subscription<unknown>[] = []

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    region: REGION,
    userPool: {
      users: [
        { username: 'alice', password: PASSWORD },
        { username: 'bob', password: PASSWORD },
      ],
    },
    backendCredentials: [backend],
    logger: { info: (line) => logs.push(line) },
  })
  const pool = server.userPool as LocalUserPool
  for (const username of ['alice', 'bob']) {
    const signedIn = await signInWithPassword({
      endpoint: pool.endpoint,
      clientId: pool.clientId,
      username,
      password: PASSWORD,
    })
    tokens.set(username, signedIn.idToken)
  }
  // An HTTP-only alias of the endpoint: it forwards requests and has no WebSocket upgrade.
  proxy = await startProxy({ target: server.graphqlUrl })
})

afterEach(() => {
  for (const subscription of open.splice(0)) subscription.unsubscribe()
})

afterAll(async () => {
  await (proxy as RunningProxy | undefined)?.stop()
  await (server as LocalAppSync | undefined)?.stop()
})

const tokenOf = (username: string): string => tokens.get(username) ?? ''

function track<T>(subscription: Subscription<T>): Subscription<T> {
  open.push(subscription)
  return subscription
}

function makeClient(options: Partial<ClientOptions>): Client {
  return createClient({
    endpoint: server.graphqlUrl,
    authMode: 'apiKey',
    apiKey: server.apiKey,
    retry: false,
    logger: null,
    ...options,
  })
}

/** The next event of a subscription, failing after 5 s instead of hanging. */
async function nextEvent<T>(subscription: Subscription<T>): Promise<T | undefined> {
  const result = await Promise.race([
    subscription[Symbol.asyncIterator]().next(),
    new Promise<never>((_, reject) =>
      setTimeout(() => {
        reject(new Error('no event within 5 s'))
      }, 5000),
    ),
  ])
  return result.done ? undefined : result.value
}

describe('authToken: a call with its own token', () => {
  it("one client, no userPool provider: each call acts as its token's user, and the owner rule holds", async () => {
    const client = makeClient({})
    const as = (username: string) => ({ authMode: 'userPool' as const, authToken: tokenOf(username) })
    const created = await client.request<{ createTodo: TodoItem }>(CREATE_TODO, { text: 'alice 1' }, as('alice'))
    await client.request(CREATE_TODO, { text: 'bob 1' }, as('bob'))
    expect(created.createTodo.owner).toMatch(/::alice$/)

    const listed = await client.request<{ listTodos: { items: TodoItem[] } }>(LIST_TODOS, {}, as('alice'))
    expect(listed.listTodos.items.map((item) => item.text)).toEqual(['alice 1'])
    const bobs = await client.request<{ listTodos: { items: TodoItem[] } }>(LIST_TODOS, {}, as('bob'))
    expect(bobs.listTodos.items.map((item) => item.text)).toEqual(['bob 1'])

    // Without a token, the same call has no userPool identity at all.
    await expect(client.request(LIST_TODOS, {}, { authMode: 'userPool' })).rejects.toBeInstanceOf(
      NoAuthModeAvailableError,
    )
  })

  it('a signed-out userPool provider (NoIdentityError) is not asked when the call brings a token', async () => {
    let asked = 0
    const client = makeClient({
      authMode: 'userPool',
      userPool: () => {
        asked++
        return Promise.reject(new NoIdentityError('userPool: nobody is signed in'))
      },
    })
    const created = await client.request<{ createTodo: TodoItem }>(
      CREATE_TODO,
      { text: 'alice 2' },
      { authToken: tokenOf('alice') },
    )
    expect(created.createTodo.owner).toMatch(/::alice$/)
    expect(asked).toBe(0)
  })

  it('a token the endpoint refuses: UnauthorizedError after exactly one request', async () => {
    const client = makeClient({})
    const [header, payload] = tokenOf('alice').split('.')
    const from = logs.length
    const error = await client
      .request(LIST_TODOS, {}, { authMode: 'userPool', authToken: `${header ?? ''}.${payload ?? ''}.forged` })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnauthorizedError)
    expect(logs.slice(from).filter((line) => line.startsWith('POST /graphql'))).toEqual([
      expect.stringMatching(/^POST \/graphql 401 rejected/),
    ])
  })

  it("a subscription with its own token gets its user's items only", async () => {
    const client = makeClient({})
    const alices = track(
      subscribe<{ onCreateTodo: TodoItem }>(
        client,
        ON_CREATE_TODO,
        {},
        {
          authMode: 'userPool',
          authToken: tokenOf('alice'),
        },
      ),
    )
    await alices.ready
    const as = (username: string) => ({ authMode: 'userPool' as const, authToken: tokenOf(username) })
    await client.request(CREATE_TODO, { text: 'bob 3' }, as('bob'))
    const mine = await client.request<{ createTodo: TodoItem }>(CREATE_TODO, { text: 'alice 3' }, as('alice'))
    // Events go out in order: had bob's item reached alice, it would come first.
    expect(await nextEvent(alices)).toEqual({ onCreateTodo: mine.createTodo })
  })
})

describe('realtimeEndpoint: the HTTP endpoint is an alias without WebSockets', () => {
  it('without it, subscribing through the alias fails; with it, events arrive over the given URL', async () => {
    const viaAlias = makeClient({ endpoint: proxy.url, realtime: { reconnect: false } })
    const failed = subscribe(viaAlias, ON_CREATE_NOTE)
    await expect(failed.ready).rejects.toBeInstanceOf(SubscriptionError)

    const client = makeClient({ endpoint: proxy.url, realtimeEndpoint: server.realtimeUrl })
    const notes = track(subscribe<{ onCreateNote: { id: string; text: string } }>(client, ON_CREATE_NOTE))
    await notes.ready
    // The mutation goes through the alias.
    const created = await client.request<{ createNote: { id: string; text: string } }>(CREATE_NOTE, {
      text: 'over the alias',
    })
    expect(await nextEvent(notes)).toEqual({ onCreateNote: created.createNote })
  })

  it("IAM over the given URL: the connect and the start (signed for the alias's host) verify", async () => {
    const client = createClient({
      endpoint: proxy.url,
      realtimeEndpoint: server.realtimeUrl,
      region: REGION,
      authMode: 'iam',
      credentials: backend,
      modes: [iamMode()],
      retry: false,
      logger: null,
    })
    const from = logs.length
    const notes = track(subscribe<{ onCreateNote: { id: string; text: string } }>(client, ON_CREATE_NOTE))
    await notes.ready
    expect(logs.slice(from).some((line) => line.startsWith('realtime connected'))).toBe(true)
    const created = await makeClient({}).request<{ createNote: { id: string; text: string } }>(CREATE_NOTE, {
      text: 'signed',
    })
    expect(await nextEvent(notes)).toEqual({ onCreateNote: created.createNote })
  })
})
