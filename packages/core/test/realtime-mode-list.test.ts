// The authorizer's table on the real-time transport, against the in-process AppSync stand-in on
// 127.0.0.1: the same rows as test/mode-list.integ.test.ts on HTTP. A rejection (connect or start)
// is answered with one refresh, then the next mode of the list; anything else stands after one
// attempt, and a field-level denial never moves a subscription to another mode.
import { describe, expect, it } from 'vitest'
import {
  GraphQLResponseError,
  NoAuthModeAvailableError,
  subscribe,
  SubscriptionError,
  type Client,
  type ClientEvents,
  type Subscription,
} from '../src/index'
import { DEFAULT_BEHAVIOUR, type ClientMessage, type RealtimeConnection } from './realtime/fakeRealtime'
import { apiKeyClient, useFakeRealtime } from './realtime/support'

const API_KEY = 'da2-realtimemodelistexample01'
const ON_CREATE = 'subscription OnCreatePost { onCreatePost { id title } }'

const open: Subscription<unknown>[] = []
const fake = useFakeRealtime(open)

/** A client whose default is ['userPool', 'apiKey'], the user pool's tokens counted; events recorded. */
function listClient(): { client: Client; tokens: string[]; events: unknown[] } {
  const tokens: string[] = []
  const events: unknown[] = []
  const client = apiKeyClient(fake, API_KEY, {
    authMode: ['userPool', 'apiKey'],
    realtime: { reconnect: false },
    userPool: () => {
      tokens.push(`user-pool-token-${String(tokens.length).padStart(12, '0')}`)
      return Promise.resolve({ token: tokens.at(-1) ?? '' })
    },
  })
  for (const name of ['unauthorizedRetry', 'authModeSkipped'] as const)
    client.on(name, (payload: ClientEvents[typeof name]) => events.push({ name, ...payload }))
  return { client, tokens, events }
}

function track<T>(subscription: Subscription<T>): Subscription<T> {
  open.push(subscription)
  return subscription
}

/** Which credential a header object carries. */
const credentialOf = (header: Record<string, string> | undefined): string | undefined =>
  header?.['x-api-key'] ?? header?.['authorization']

function rejectUserPool(message: ClientMessage): object | undefined {
  const authorization = message.payload?.extensions.authorization ?? {}
  return authorization['authorization'] === undefined
    ? undefined
    : {
        type: 'error',
        id: message.id,
        payload: { errors: [{ errorType: 'UnauthorizedException', message: 'Token has expired.' }] },
      }
}

const answerStart = (answer: (connection: RealtimeConnection, message: ClientMessage) => object | undefined) => ({
  ...DEFAULT_BEHAVIOUR,
  onStart: (connection: RealtimeConnection, message: ClientMessage) => {
    connection.send(answer(connection, message) ?? { type: 'start_ack', id: message.id })
  },
})

describe('the authorizer on the real-time transport', () => {
  it('a start rejected under mode A, after its one refresh, is started under mode B', async () => {
    fake.behaviour = answerStart((_, message) => rejectUserPool(message))
    const { client, tokens, events } = listClient()
    await track(subscribe(client, ON_CREATE)).ready
    const sent = fake.starts().map((start) => credentialOf(start.payload?.extensions.authorization))
    // the connection went with the user pool token; its start twice (refreshed), then the API key
    expect(sent).toEqual([tokens[0], tokens[1], API_KEY])
    expect(events).toEqual([{ name: 'unauthorizedRetry', mode: 'userPool', status: 401 }])
  })

  it('a connection refused under mode A, after its one refresh, is opened under mode B', async () => {
    fake.behaviour = {
      ...DEFAULT_BEHAVIOUR,
      onInit: (connection) => {
        if (connection.header?.['authorization'] === undefined) DEFAULT_BEHAVIOUR.onInit(connection)
        else
          connection.send({
            type: 'connection_error',
            payload: { errors: [{ errorType: 'UnauthorizedException', message: 'Token has expired.' }] },
          })
      },
    }
    const { client, tokens } = listClient()
    await track(subscribe(client, ON_CREATE)).ready
    expect(fake.connections.map((connection) => credentialOf(connection.header))).toEqual([
      tokens[0],
      tokens[1],
      API_KEY,
    ])
  })

  it('a connection refused under every mode of the list: SubscriptionError after the provider’s one refresh, the static key once', async () => {
    fake.behaviour = {
      ...DEFAULT_BEHAVIOUR,
      onInit: (connection) => {
        connection.send({
          type: 'connection_error',
          payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized.' }] },
        })
      },
    }
    const { client } = listClient()
    const error = await subscribe(client, ON_CREATE).ready.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SubscriptionError)
    // userPool (a provider): two connects; apiKey (a static key): one, as a refresh cannot change
    // it (issue 19; it was two).
    expect(fake.connections).toHaveLength(3)
  })

  it('a start error that is not an authorization failure stands after one attempt: no refresh, no next mode', async () => {
    fake.behaviour = answerStart((_, message) => ({
      type: 'error',
      id: message.id,
      payload: { errors: [{ errorType: 'ValidationError', message: 'Validation error of type FieldUndefined' }] },
    }))
    const { client, events } = listClient()
    const error = await subscribe(client, ON_CREATE).ready.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GraphQLResponseError)
    expect(fake.starts()).toHaveLength(1)
    expect(events).toEqual([])
  })

  it('a field-level denial of a start stands: a subscription is never moved to another mode for it', async () => {
    fake.behaviour = answerStart((_, message) => ({
      type: 'error',
      id: message.id,
      payload: { errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onCreatePost' }] },
    }))
    const { client } = listClient()
    const error = await subscribe(client, ON_CREATE).ready.catch((e: unknown) => e)
    expect(error).toMatchObject({ errors: [{ errorType: 'Unauthorized' }] })
    expect(fake.starts()).toHaveLength(1)
  })

  it('no mode with an identity: NoAuthModeAvailableError before any socket, as for requests', async () => {
    const client = apiKeyClient(fake, API_KEY)
    const error = await subscribe(client, ON_CREATE, {}, { authMode: ['oidc', 'lambda'] }).ready.catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(NoAuthModeAvailableError)
    expect(fake.connections).toHaveLength(0)
  })
})
