// No secret of a subscription's header object (API key, token, session token, secret key,
// signature), raw or base64-encoded as it travels, reaches an error, an event or a log line, even
// when the server quotes it back in its error messages.
import { WebSocket } from 'ws'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createClient,
  iamMode,
  subscribe,
  type Client,
  type ClientOptions,
  type GraphQLResponseError,
} from '../src/index'
import { allText, recordEvents, recordingLogger, type LogCall, type RecordedEvent } from './msw/observe'
import {
  DEFAULT_BEHAVIOUR,
  startFakeRealtime,
  type FakeRealtime,
  type RealtimeConnection,
} from './realtime/fakeRealtime'
import { redirectingWebSocket, realtimeOf } from './realtime/support'

const SECRETS = {
  apiKey: 'da2-SECRETAPIKEYrealtime7w2e9r4t6y8',
  token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJTRUNSRVRVU0VSUE9PTCJ9.SECRETUSERPOOLTOKENrealtime0Zx81',
  secretAccessKey: 'SECRETACCESSKEYrealtimewJalrXUtnFEMIK7MDENG',
  sessionToken: 'SECRETSESSIONTOKENrealtimeIQoJb3JpZ2luX2VjEXAMPLE0123456789',
}
const MARKERS = ['SECRETAPIKEY', 'SECRETUSERPOOLTOKEN', 'SECRETACCESSKEY', 'SECRETSESSIONTOKEN']
const APPSYNC = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
const ON_CREATE = 'subscription OnCreatePost { onCreatePost { id } }'

let fake: FakeRealtime
const logger = recordingLogger()
const events: RecordedEvent[] = []
const reconnectEvents: unknown[] = []
const errors: unknown[] = []

beforeAll(async () => {
  fake = await startFakeRealtime()
})
afterAll(async () => {
  await fake.stop()
})

function client(options: Partial<ClientOptions>): Client {
  const c = createClient({
    endpoint: APPSYNC,
    logger,
    webSocket: redirectingWebSocket(realtimeOf(fake.endpoint), []),
    realtime: { reconnect: { attempts: 1, baseDelayMs: 1, maxDelayMs: 5 } },
    modes: [iamMode()],
    ...options,
  })
  events.push(...recordEvents(c))
  c.on('subscriptionReconnected', (payload) => reconnectEvents.push(payload))
  return c
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeDefined()
  errors.push(error)
  return error
}

// Quotes every header value the client sent back in an error message, as a careless server might.
function echo(connection: RealtimeConnection, header: Record<string, string> | undefined): string {
  return `denied for ${JSON.stringify(header)} (${connection.encodedHeader ?? ''})`
}

describe('no secrets in subscription errors, events or logs', () => {
  it('API key: a connection_error quoting the header object', async () => {
    fake.behaviour = {
      ...DEFAULT_BEHAVIOUR,
      onInit: (connection) => {
        connection.send({
          type: 'connection_error',
          payload: { errors: [{ errorType: 'UnauthorizedException', message: echo(connection, connection.header) }] },
        })
      },
    }
    await failure(subscribe(client({ authMode: 'apiKey', apiKey: SECRETS.apiKey }), ON_CREATE).ready)
  })

  it('user pool: a start error quoting the start authorization', async () => {
    fake.behaviour = {
      ...DEFAULT_BEHAVIOUR,
      onStart: (connection, message) => {
        connection.send({
          type: 'error',
          id: message.id,
          payload: {
            errors: [
              {
                errorType: 'UnauthorizedException',
                message: echo(connection, message.payload?.extensions.authorization),
              },
            ],
          },
        })
      },
    }
    await failure(subscribe(client({ authMode: 'userPool', userPool: SECRETS.token }), ON_CREATE).ready)
  })

  it('IAM: event errors quoting the signature and session token, a reconnection, then a lost connection', async () => {
    fake.behaviour = DEFAULT_BEHAVIOUR
    const credentials = { accessKeyId: 'ASIAREALTIMESECRETS1', ...SECRETS }
    const reported: GraphQLResponseError[] = []
    const first = fake.connections.length // this file's earlier tests made connections too
    const subscription = subscribe(
      client({ authMode: 'iam', credentials }),
      ON_CREATE,
      {},
      { onError: (e) => reported.push(e) },
    )
    await subscription.ready
    const connection = fake.connections[first]
    const start = connection?.received.find((m) => m.type === 'start')
    const authorization = start?.payload?.extensions.authorization ?? {}
    expect(authorization['authorization']).toMatch(/Signature=[0-9a-f]{64}$/)
    connection?.send({
      type: 'data',
      id: start?.id,
      payload: { data: null, errors: [{ message: echo(connection, authorization) }] },
    })
    // A reconnection (the app is told); then every later connection is refused and the subscription fails.
    fake.behaviour = {
      ...DEFAULT_BEHAVIOUR,
      onInit: (next) => {
        if (next.index === first + 1) DEFAULT_BEHAVIOUR.onInit(next)
        else next.socket.close(4401, echo(next, next.header).slice(0, 100))
      },
    }
    const ended = failure(
      (async () => {
        for await (const event of subscription) expect(event).toBeDefined()
      })(),
    )
    connection?.socket.close(1011)
    await vi.waitFor(() => {
      expect(reconnectEvents).toHaveLength(1)
    })
    fake.connections[first + 1]?.socket.close(1011)
    await ended
    expect(reported).toHaveLength(1)
    expect(reconnectEvents).toHaveLength(1)
    errors.push(...reported)
  })

  it('none of it carries a secret, raw or encoded', () => {
    const encoded = fake.connections.map((c) => c.encodedHeader).filter((e): e is string => e !== undefined)
    expect(encoded.length).toBeGreaterThanOrEqual(4)
    const forbidden = [
      ...Object.values(SECRETS),
      ...Object.values(SECRETS).map((s) => Buffer.from(s).toString('base64').slice(0, 24)),
      ...encoded.map((e) => e.slice(0, 40)),
      ...MARKERS,
    ]
    const seen: { errors: unknown[]; events: RecordedEvent[]; reconnectEvents: unknown[]; logs: LogCall[] } = {
      errors,
      events,
      reconnectEvents,
      logs: logger.calls,
    }
    expect(errors.length).toBeGreaterThanOrEqual(4)
    expect(logger.calls.some((call) => String(call.args[0]).includes('subscriptionReconnected'))).toBe(true)
    const text = allText(seen).join('\n')
    for (const secret of forbidden) expect(text.includes(secret), `leaked: ${secret.slice(0, 6)}…`).toBe(false)
    // the messages still say what happened
    expect(text).toContain('UnauthorizedException')
    expect(text).toContain('[redacted]')
  })
})

// Keeps `WebSocket` (used through redirectingWebSocket) honest about what it is.
it('the test socket is the ws package', () => {
  expect(typeof WebSocket).toBe('function')
})
