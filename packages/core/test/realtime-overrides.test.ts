// Subscriptions with a token of their own (`authToken`) and a real-time URL of the client's choosing
// (`realtimeEndpoint`), against the in-process AppSync real-time stand-in on 127.0.0.1: the
// connect and `start` header objects, which subscription authorizes the connection, a rejected
// token, and the override's URL, query and signing host (SigV4 re-computed with aws4).
import { WebSocket } from 'ws'
import { describe, expect, it, vi } from 'vitest'
import {
  ConfigurationError,
  createClient,
  GraphQLResponseError,
  iamMode,
  subscribe,
  type ClientOptions,
  type Subscription,
} from '../src/index'
import { amzDate } from './msw/clock'
import { allText } from './msw/observe'
import { verifySigV4 } from './msw/sigv4'
import { DEFAULT_BEHAVIOUR } from './realtime/fakeRealtime'
import { realtimeOf, useFakeRealtime } from './realtime/support'

const APPSYNC = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
const API_HOST = 'abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com'
const T0 = Date.parse('2026-11-26T04:00:00Z')
const API_KEY = 'da2-realtimeoverrides0000000001'
const CALL_TOKEN = 'subscription-own-token-5e4d3c2b1a09f8e7'
const OTHER_TOKEN = 'another-subscription-token-0a1b2c3d4e'
const CREDENTIALS = {
  accessKeyId: 'ASIAREALTIMEOVERRIDE',
  secretAccessKey: 'realtimeOverridesSecretAccessKey00000000',
  sessionToken: 'realtimeOverridesSessionToken0000000000',
}
const ON_CREATE = 'subscription OnCreatePost { onCreatePost { id title } }'

const open: Subscription<unknown>[] = []
const fake = useFakeRealtime(open)

function track<T>(subscription: Subscription<T>): Subscription<T> {
  open.push(subscription)
  return subscription
}

/**
 * A client of the AppSync endpoint whose real-time URL is overridden to the fake's: the plain `ws`
 * class, so the socket goes where the client sends it (without the override, to AppSync's host).
 */
function overriddenClient(options: Partial<ClientOptions>) {
  return createClient({
    endpoint: APPSYNC,
    realtimeEndpoint: realtimeOf(fake.endpoint),
    clock: { now: () => T0 },
    logger: null,
    webSocket: WebSocket,
    ...options,
  })
}

describe('subscribe with authToken', () => {
  it('lambda with no `lambda` option: the connect and the start carry {host, authorization: <token>}', async () => {
    const client = overriddenClient({ authMode: 'apiKey', apiKey: API_KEY })
    await track(subscribe(client, ON_CREATE, {}, { authMode: 'lambda', authToken: CALL_TOKEN })).ready
    expect(fake.connections[0]?.header).toEqual({ host: API_HOST, authorization: CALL_TOKEN })
    expect(fake.starts()[0]?.payload?.extensions.authorization).toEqual({ host: API_HOST, authorization: CALL_TOKEN })
  })

  it('each subscription its own token on one socket; the userPool provider is never asked', async () => {
    const provider = vi.fn(() => Promise.reject(new Error('the configured provider was asked')))
    const client = overriddenClient({ authMode: 'userPool', userPool: provider })
    await track(subscribe(client, ON_CREATE, {}, { authToken: CALL_TOKEN })).ready
    await track(subscribe(client, ON_CREATE, {}, { authToken: OTHER_TOKEN })).ready
    expect(fake.connections).toHaveLength(1)
    expect(fake.starts().map((s) => s.payload?.extensions.authorization['authorization'])).toEqual([
      CALL_TOKEN,
      OTHER_TOKEN,
    ])
    expect(provider).not.toHaveBeenCalled()
  })

  it('a reconnection is authorized by a subscription without a token of its own, whose provider can refresh', async () => {
    const client = overriddenClient({
      authMode: 'apiKey',
      apiKey: API_KEY,
      realtime: { reconnect: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } },
    })
    const own = track(subscribe(client, ON_CREATE, {}, { authMode: 'lambda', authToken: CALL_TOKEN }))
    await own.ready
    await track(subscribe(client, ON_CREATE)).ready
    // The first subscription opened the socket with its token.
    expect(fake.connections[0]?.header).toEqual({ host: API_HOST, authorization: CALL_TOKEN })
    fake.connections[0]?.socket.close(1011)
    await vi.waitFor(() => {
      expect(fake.starts()).toHaveLength(4)
    })
    expect(fake.connections[1]?.header).toEqual({ host: API_HOST, 'x-amz-date': amzDate(T0), 'x-api-key': API_KEY })
    // Each start again with its own authorization.
    expect(
      fake.connections[1]?.received.filter((m) => m.type === 'start').map((m) => m.payload?.extensions.authorization),
    ).toEqual([
      { host: API_HOST, authorization: CALL_TOKEN },
      { host: API_HOST, 'x-amz-date': amzDate(T0), 'x-api-key': API_KEY },
    ])
  })

  it('a rejected token: ready rejects after one start (nothing to refresh), the token masked; the other subscription lives on', async () => {
    fake.behaviour = {
      ...DEFAULT_BEHAVIOUR,
      onStart: (connection, message) => {
        if (message.payload?.extensions.authorization['authorization'] === OTHER_TOKEN)
          connection.send({
            type: 'error',
            id: message.id,
            payload: {
              errors: [{ errorType: 'UnauthorizedException', message: `Token ${OTHER_TOKEN} is not valid` }],
            },
          })
        else DEFAULT_BEHAVIOUR.onStart(connection, message)
      },
    }
    const client = overriddenClient({ authMode: 'lambda', lambda: CALL_TOKEN })
    await track(subscribe(client, ON_CREATE)).ready
    const rejected = track(subscribe(client, ON_CREATE, {}, { authToken: OTHER_TOKEN }))
    const error = await rejected.ready.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(GraphQLResponseError)
    // The server quoted the token back: masked.
    expect(allText(error).join('\n')).not.toContain(OTHER_TOKEN)
    expect(
      fake.starts().filter((s) => s.payload?.extensions.authorization['authorization'] === OTHER_TOKEN),
    ).toHaveLength(1)
    expect(fake.connections).toHaveLength(1)
    expect(fake.connections[0]?.closed).toBe(false)
  })

  it('with the apiKey mode: a ConfigurationError at once, and no socket', () => {
    const client = overriddenClient({ authMode: 'apiKey', apiKey: API_KEY })
    expect(() => subscribe(client, ON_CREATE, {}, { authToken: CALL_TOKEN })).toThrow(ConfigurationError)
    expect(fake.connections).toHaveLength(0)
  })
})

describe('realtimeEndpoint', () => {
  it('the socket goes to the given URL; the header still names the API host, and IAM signs for it (aws4)', async () => {
    const client = overriddenClient({ authMode: 'iam', credentials: CREDENTIALS, modes: [iamMode()] })
    await track(subscribe(client, ON_CREATE)).ready
    const connection = fake.connections[0]
    expect(connection?.url.pathname).toBe('/graphql/realtime')
    const header = connection?.header ?? {}
    expect(header['host']).toBe(API_HOST)
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
    const start = fake.starts()[0]
    expect(start?.payload?.extensions.authorization['host']).toBe(API_HOST)
  })

  it("the legacy query form adds its parameters after the URL's own", async () => {
    const client = overriddenClient({
      authMode: 'apiKey',
      apiKey: API_KEY,
      realtimeEndpoint: new URL(`${realtimeOf(fake.endpoint)}?tenant=blue`),
      realtime: { auth: 'query' },
    })
    await track(subscribe(client, ON_CREATE)).ready
    const { url, header } = fake.connections[0] ?? {}
    expect([...(url?.searchParams.keys() ?? [])]).toEqual(['tenant', 'header', 'payload'])
    expect(url?.searchParams.get('tenant')).toBe('blue')
    expect(header).toEqual({ host: API_HOST, 'x-amz-date': amzDate(T0), 'x-api-key': API_KEY })
  })

  it('a lost connection is reported with the host the socket went to', async () => {
    const client = overriddenClient({ authMode: 'apiKey', apiKey: API_KEY, realtime: { reconnect: false } })
    const subscription = track(subscribe(client, ON_CREATE))
    await subscription.ready
    fake.connections[0]?.socket.close(1011)
    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toThrow(
      `The real-time connection to 127.0.0.1:${String(fake.port)} closed (code 1011).`,
    )
  })

  it.each([
    ['an https URL', 'https://api.example.com/graphql/realtime'],
    ['an http URL', 'http://127.0.0.1:4000/graphql/realtime'],
    ['a relative path', '/graphql/realtime'],
    ['a user name and password', 'wss://user:secret@api.example.com/graphql/realtime'],
  ])('%s: a ConfigurationError at createClient that shows the expected form', (_, realtimeEndpoint) => {
    expect(() => createClient({ endpoint: APPSYNC, apiKey: API_KEY, realtimeEndpoint })).toThrow(ConfigurationError)
    try {
      createClient({ endpoint: APPSYNC, apiKey: API_KEY, realtimeEndpoint })
    } catch (error) {
      const { message } = error as Error
      expect(message).toMatch(/^`realtimeEndpoint` /)
      expect(message).toMatch(/ws\(s\)|wss:\/\/api\.example\.com\/graphql\/realtime/)
      expect(message).not.toContain('secret')
    }
  })
})
