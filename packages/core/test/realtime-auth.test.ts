// Subscriptions' authorization on the wire, against an in-process AppSync real-time stand-in on
// 127.0.0.1: the real-time URL, the header object at connect (subprotocol and legacy query form)
// and in each `start`, for API key, user pool token and IAM (both SigV4 signatures re-computed
// with the independent aws4 verifier), per-subscription modes and mode lists.
import { WebSocket } from 'ws'
import { describe, expect, it } from 'vitest'
import {
  createClient,
  iamMode,
  NoAuthModeAvailableError,
  NoIdentityError,
  subscribe,
  type Client,
  type ClientOptions,
  type Subscription,
} from '../src/index'
import { amzDate } from './msw/clock'
import { verifySigV4 } from './msw/sigv4'
import { startData } from './realtime/fakeRealtime'
import { realtimeOf, redirectingWebSocket, useFakeRealtime, type RequestedSocket } from './realtime/support'

const APPSYNC = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
const API_HOST = 'abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com'
const T0 = Date.parse('2026-11-26T04:00:00Z')
const API_KEY = 'da2-realtimeapikeyexample0001'
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.signaturepart'
const CREDENTIALS = {
  accessKeyId: 'ASIAREALTIMEEXAMPLE1',
  secretAccessKey: 'realtimeSecretAccessKeyExample0000000000',
  sessionToken: 'realtimeSessionTokenExample/with+base64=chars',
}
const ON_CREATE = 'subscription OnCreatePost($author: String) { onCreatePost(author: $author) { id title } }'

const open: Subscription<unknown>[] = []
const fake = useFakeRealtime(open)

/** A client of the AppSync endpoint whose sockets go to the fake; `requested` records what it asked for. */
function appSyncClient(options: Partial<ClientOptions>, requested: RequestedSocket[] = []): Client {
  return createClient({
    endpoint: APPSYNC,
    clock: { now: () => T0 },
    logger: null,
    webSocket: redirectingWebSocket(realtimeOf(fake.endpoint), requested),
    ...options,
  })
}

function track<T>(subscription: Subscription<T>): Subscription<T> {
  open.push(subscription)
  return subscription
}

describe('the real-time URL and the connect header (subprotocol form, the default)', () => {
  it('API key: wss://<id>.appsync-realtime-api…/graphql, subprotocols graphql-ws + header-<base64url>, {host, x-amz-date, x-api-key}', async () => {
    const requested: RequestedSocket[] = []
    const client = appSyncClient({ authMode: 'apiKey', apiKey: API_KEY }, requested)
    await track(subscribe(client, ON_CREATE, { author: 'ann' })).ready

    expect(requested).toHaveLength(1)
    expect(requested[0]?.url).toBe(
      'wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.us-east-1.amazonaws.com/graphql',
    )
    const [protocol, headerProtocol] = requested[0]?.protocols ?? []
    expect(protocol).toBe('graphql-ws')
    expect(requested[0]?.protocols).toHaveLength(2)
    // base64url without padding: a valid subprotocol token
    expect(headerProtocol).toMatch(/^header-[A-Za-z0-9_-]+$/)

    const connection = fake.connections[0]
    expect(connection?.headerForm).toBe('subprotocol')
    expect(connection?.url.search).toBe('')
    // host is the HTTP API's host, never the real-time host
    expect(connection?.header).toEqual({ host: API_HOST, 'x-amz-date': amzDate(T0), 'x-api-key': API_KEY })
    expect(connection?.received[0]).toEqual({ type: 'connection_init' })
  })

  it('API key: the start carries the query and variables as a JSON string, and the same header object', async () => {
    const client = appSyncClient({ authMode: 'apiKey', apiKey: API_KEY })
    await track(subscribe(client, ON_CREATE, { author: 'ann' })).ready
    const [start] = fake.starts()
    expect(start?.type).toBe('start')
    expect(typeof start?.id).toBe('string')
    expect(startData(start)).toEqual({ query: ON_CREATE, variables: { author: 'ann' }, operationName: 'OnCreatePost' })
    expect(start?.payload?.extensions.authorization).toEqual({
      host: API_HOST,
      'x-amz-date': amzDate(T0),
      'x-api-key': API_KEY,
    })
  })

  it('user pool: {host, authorization: <raw token>} at connect and in the start, nothing else', async () => {
    const client = appSyncClient({ authMode: 'userPool', userPool: TOKEN })
    await track(subscribe(client, ON_CREATE)).ready
    expect(fake.connections[0]?.header).toEqual({ host: API_HOST, authorization: TOKEN })
    expect(fake.starts()[0]?.payload?.extensions.authorization).toEqual({ host: API_HOST, authorization: TOKEN })
  })

  it('IAM: the full SigV4 header set of POST <endpoint>/connect over {}, and of POST <endpoint> over the start data; both verified by aws4', async () => {
    const client = appSyncClient({ authMode: 'iam', credentials: CREDENTIALS, modes: [iamMode()] })
    await track(subscribe(client, ON_CREATE, { author: 'ann' })).ready

    const connectHeader = fake.connections[0]?.header ?? {}
    expect(Object.keys(connectHeader).sort()).toEqual([
      'accept',
      'authorization',
      'content-encoding',
      'content-type',
      'host',
      'x-amz-date',
      'x-amz-security-token',
    ])
    expect(connectHeader).toMatchObject({
      accept: 'application/json, text/javascript',
      'content-encoding': 'amz-1.0',
      'content-type': 'application/json; charset=UTF-8',
      host: API_HOST,
      'x-amz-date': amzDate(T0),
      'x-amz-security-token': CREDENTIALS.sessionToken,
    })
    const connect = verifySigV4(
      {
        method: 'POST',
        url: `${APPSYNC}/connect`,
        headers: connectHeader,
        bodyText: '{}',
        body: {},
        mode: 'iam',
        signature: undefined,
      },
      CREDENTIALS,
    )
    expect(connect.valid).toBe(true)
    expect(connect.credentialScope).toBe('20261126/us-east-1/appsync/aws4_request')
    expect(connect.signedHeaders).toEqual([
      'accept',
      'content-encoding',
      'content-type',
      'host',
      'x-amz-date',
      'x-amz-security-token',
    ])

    const start = fake.starts()[0]
    const startHeader = start?.payload?.extensions.authorization ?? {}
    expect(startHeader['host']).toBe(API_HOST)
    const signedStart = verifySigV4(
      {
        method: 'POST',
        url: APPSYNC,
        headers: startHeader,
        bodyText: start?.payload?.data ?? '',
        body: undefined,
        mode: 'iam',
        signature: undefined,
      },
      CREDENTIALS,
    )
    expect(signedStart.valid).toBe(true)
    // Signed over exactly the data string: another body does not verify.
    const tampered = verifySigV4(
      {
        method: 'POST',
        url: APPSYNC,
        headers: startHeader,
        bodyText: '{}',
        body: undefined,
        mode: 'iam',
        signature: undefined,
      },
      CREDENTIALS,
    )
    expect(tampered.valid).toBe(false)
  })

  it("the client's own headers go in the header object, as on requests, and are signed with IAM", async () => {
    const headers = { 'X-Tenant': 'acme' }
    await track(subscribe(appSyncClient({ authMode: 'lambda', lambda: TOKEN, headers }), ON_CREATE)).ready
    expect(fake.connections[0]?.header).toEqual({ host: API_HOST, 'x-tenant': 'acme', authorization: TOKEN })
    expect(fake.starts()[0]?.payload?.extensions.authorization).toEqual({
      host: API_HOST,
      'x-tenant': 'acme',
      authorization: TOKEN,
    })

    const iam = appSyncClient({ authMode: 'iam', credentials: CREDENTIALS, modes: [iamMode()], headers })
    await track(subscribe(iam, ON_CREATE)).ready
    const header = fake.connections[1]?.header ?? {}
    expect(header['x-tenant']).toBe('acme')
    const verified = verifySigV4(
      {
        method: 'POST',
        url: `${APPSYNC}/connect`,
        headers: header,
        bodyText: '{}',
        body: {},
        mode: 'iam',
        signature: undefined,
      },
      CREDENTIALS,
    )
    expect(verified.valid).toBe(true)
    expect(verified.signedHeaders).toContain('x-tenant')
  })
})

describe('modes', () => {
  it('each subscription may use its own mode on one shared socket', async () => {
    const client = appSyncClient({ authMode: 'apiKey', apiKey: API_KEY, userPool: TOKEN })
    await track(subscribe(client, ON_CREATE, {}, { authMode: 'userPool' })).ready
    await track(subscribe(client, ON_CREATE)).ready

    expect(fake.connections).toHaveLength(1)
    // the connection is authorized with the mode of the subscription that opened it
    expect(fake.connections[0]?.header).toEqual({ host: API_HOST, authorization: TOKEN })
    const [first, second] = fake.starts()
    expect(first?.payload?.extensions.authorization).toEqual({ host: API_HOST, authorization: TOKEN })
    expect(second?.payload?.extensions.authorization).toEqual({
      host: API_HOST,
      'x-amz-date': amzDate(T0),
      'x-api-key': API_KEY,
    })
    expect(first?.id).not.toBe(second?.id)
  })

  it('a mode list skips a mode without an identity, as requests do, and says so', async () => {
    const client = appSyncClient({
      authMode: ['userPool', 'apiKey'],
      apiKey: API_KEY,
      userPool: () => Promise.reject(new NoIdentityError()),
    })
    const skipped: unknown[] = []
    client.on('authModeSkipped', (payload) => skipped.push(payload))
    await track(subscribe(client, ON_CREATE)).ready
    expect(fake.connections[0]?.header).toHaveProperty('x-api-key', API_KEY)
    expect(fake.starts()[0]?.payload?.extensions.authorization).toHaveProperty('x-api-key', API_KEY)
    expect(skipped).toContainEqual({ mode: 'userPool', reason: expect.stringMatching(/nobody is signed in/) })
  })

  it('no usable mode: ready rejects with NoAuthModeAvailableError and no socket is opened', async () => {
    const requested: RequestedSocket[] = []
    const client = appSyncClient(
      { authMode: ['userPool', 'apiKey'], apiKey: API_KEY, userPool: () => Promise.reject(new NoIdentityError()) },
      requested,
    )
    const subscription = subscribe(client, ON_CREATE, {}, { authMode: 'userPool' })
    const error = await subscription.ready.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(NoAuthModeAvailableError)
    expect(requested).toHaveLength(0)
    // the iteration ends with the same error
    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBe(error)
  })
})

describe('the legacy query-string form (realtime.auth: "query", what the AppSync simulator reads)', () => {
  it('?header=<base64 JSON>&payload=e30= and the single subprotocol graphql-ws', async () => {
    const requested: RequestedSocket[] = []
    const client = appSyncClient({ authMode: 'apiKey', apiKey: API_KEY, realtime: { auth: 'query' } }, requested)
    await track(subscribe(client, ON_CREATE)).ready
    expect(requested[0]?.protocols).toEqual(['graphql-ws'])
    const url = new URL(requested[0]?.url ?? '')
    expect(url.origin + url.pathname).toBe(
      'wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.us-east-1.amazonaws.com/graphql',
    )
    expect([...url.searchParams.keys()]).toEqual(['header', 'payload'])
    expect(url.searchParams.get('payload')).toBe('e30=')
    expect(Buffer.from(url.searchParams.get('payload') ?? '', 'base64').toString()).toBe('{}')
    expect(fake.connections[0]?.headerForm).toBe('query')
    expect(fake.connections[0]?.header).toEqual({ host: API_HOST, 'x-amz-date': amzDate(T0), 'x-api-key': API_KEY })
  })
})

describe('a local or custom-domain endpoint', () => {
  it('connects to ws://<same host>/graphql/realtime with the endpoint host in the header', async () => {
    // The plain `ws` class: the URL the client computed must reach the fake as it is.
    const client = createClient({ endpoint: fake.endpoint, authMode: 'apiKey', apiKey: API_KEY, webSocket: WebSocket })
    await track(subscribe(client, ON_CREATE)).ready
    expect(fake.connections[0]?.url.pathname).toBe('/graphql/realtime')
    expect(fake.connections[0]?.header?.['host']).toBe(`127.0.0.1:${String(fake.port)}`)
  })
})
