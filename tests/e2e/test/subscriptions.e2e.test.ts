// End to end: subscriptions of the built @authmode/node client (its default WebSocket, the `ws`
// package) over the real-time endpoint of the Amplify AppSync simulator on 127.0.0.1, which reads
// the legacy query-string authorization (`realtime: { auth: 'query' }`). API key only: the
// simulator crashes the process on a `start` with bad authorization (Node 20), so none is sent.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createClient, subscribe, type Client, type Subscription } from '@authmode/node'
import { AUTH_TYPE } from '../src/schema'
import { startSimulator, type RunningSimulator } from '../src/simulator'

interface Note {
  id: string
  text: string
  authType: string
}

const ON_PUBLIC_NOTE = 'subscription OnPublicNote { onPublicNote { id text authType } }'
const POST_NOTE = 'mutation PostNote($text: String!) { postPublicNote(text: $text) { id text authType } }'

let simulator: RunningSimulator
let client: Client

beforeAll(async () => {
  // The simulator only needs a user pool's ids in its configuration; no Cognito is called here.
  simulator = await startSimulator({ userPool: { userPoolId: 'us-east-1_subscriptions', clientId: 'subscriptions' } })
  client = createClient({
    endpoint: simulator.url,
    authMode: 'apiKey',
    apiKey: simulator.apiKey,
    realtime: { auth: 'query' },
    logger: null,
  })
})

afterAll(async () => {
  await (simulator as RunningSimulator | undefined)?.stop()
})

/** The simulator's open real-time sockets (its `ws` server's clients). */
function openSockets(): number {
  const server = (
    simulator.simulator as unknown as {
      _server?: { _realTimeSubscriptionServer?: { realtimeServer?: { webSocketServer?: { clients?: Set<unknown> } } } }
    }
  )._server?._realTimeSubscriptionServer?.realtimeServer?.webSocketServer
  if (!server?.clients)
    throw new Error('amplify-appsync-simulator internals changed: cannot count its real-time sockets')
  return server.clients.size
}

async function next<T>(subscription: Subscription<T>): Promise<T> {
  const result = await subscription[Symbol.asyncIterator]().next()
  if (result.done) throw new Error('the subscription ended')
  return result.value
}

async function post(text: string): Promise<Note> {
  const { postPublicNote } = await client.request<{ postPublicNote: Note }>(POST_NOTE, { text })
  return postPublicNote
}

describe('subscriptions against the AppSync simulator', () => {
  it('subscribe with an API key, a mutation through client.request, the event arrives; unsubscribe closes the socket', async () => {
    const subscription = subscribe<{ onPublicNote: Note }>(client, ON_PUBLIC_NOTE)
    await subscription.ready
    expect(openSockets()).toBe(1)

    const posted = await post('over the socket')
    expect(posted).toMatchObject({ text: 'over the socket', authType: AUTH_TYPE.apiKey })
    expect(await next(subscription)).toEqual({ onPublicNote: posted })

    subscription.unsubscribe()
    expect(await subscription[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined })
    await vi.waitFor(() => {
      expect(openSockets()).toBe(0)
    })
  })

  it('two subscriptions share one socket; after one stops, only the other gets events', async () => {
    const first = subscribe<{ onPublicNote: Note }>(client, ON_PUBLIC_NOTE)
    const second = subscribe<{ onPublicNote: Note }>(client, ON_PUBLIC_NOTE)
    await Promise.all([first.ready, second.ready])
    expect(openSockets()).toBe(1)

    const one = await post('to both')
    expect(await next(first)).toEqual({ onPublicNote: one })
    expect(await next(second)).toEqual({ onPublicNote: one })

    first.unsubscribe()
    const two = await post('to the second only')
    expect(await next(second)).toEqual({ onPublicNote: two })
    expect(await first[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined })

    second.unsubscribe()
    await vi.waitFor(() => {
      expect(openSockets()).toBe(0)
    })
  })
})
