// The two 15 s waits of the real-time connection: for AppSync's connection_ack after connection_init,
// and for each start_ack after a start. Against the in-process fake on 127.0.0.1, with only
// setTimeout/clearTimeout faked (installed before `subscribe`, so the client's timers are fake) while
// sockets, setImmediate and the test's own polling stay real: the 15 s pass in milliseconds.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { subscribe, SubscriptionError, type Client, type ClientOptions } from '../src/index'
import { allText } from './msw/observe'
import { DEFAULT_BEHAVIOUR, startData } from './realtime/fakeRealtime'
import { apiKeyClient, take, useFakeRealtime } from './realtime/support'

const API_KEY = 'da2-SECRETacktimeoutsapikey0x7q'
const ON_CREATE = 'subscription OnCreatePost { onCreatePost { id } }'
const ON_DELETE = 'subscription OnDeletePost { onDeletePost { id } }'

// Captured before any test fakes the global: real time, for waiting on real socket I/O.
const realSetTimeout = globalThis.setTimeout

const fake = useFakeRealtime()

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
})
afterEach(() => {
  vi.useRealTimers()
})

function client(options: Partial<ClientOptions> = {}): Client {
  return apiKeyClient(fake, API_KEY, options)
}

/** Polls `check` in real time (vi.waitFor would advance the fake clock) until it stops throwing. */
async function until(check: () => void, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      check()
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
    }
    await new Promise((resolve) => realSetTimeout(resolve, 5))
  }
}

/** How a promise has settled so far: 'pending', 'resolved', or its rejection. */
function watch(promise: Promise<unknown>): () => unknown {
  let outcome: unknown = 'pending'
  promise.then(
    () => (outcome = 'resolved'),
    (error: unknown) => (outcome = error),
  )
  return () => outcome
}

/** Waits until the fake got the n-th connection's connection_init (its ack timer is running by then). */
async function initialized(index: number): Promise<void> {
  await until(() => {
    expect(fake.connections[index]?.received).toContainEqual({ type: 'connection_init' })
  })
}

/** No secret, raw or base64-encoded as it travelled in the header, in any text an error holds. */
function expectNoSecret(error: unknown): void {
  const text = allText(error).join('\n')
  expect(text).not.toContain('SECRET')
  expect(text).not.toContain(API_KEY)
  for (const encoded of new Set(fake.connections.map((c) => c.encodedHeader)))
    if (encoded) expect(text).not.toContain(encoded)
}

const SILENT_INIT = { ...DEFAULT_BEHAVIOUR, onInit: (): void => undefined }

describe('no connection_ack within 15 s', () => {
  it('reconnect: false — ready rejects with SubscriptionError at 15 s, not before, and the socket is closed', async () => {
    fake.behaviour = SILENT_INIT
    const subscription = subscribe(client({ realtime: { reconnect: false } }), ON_CREATE)
    const ready = watch(subscription.ready)
    await initialized(0)

    await vi.advanceTimersByTimeAsync(14_900)
    expect(ready()).toBe('pending')
    expect(fake.connections[0]?.closed).toBe(false)

    await vi.advanceTimersByTimeAsync(100)
    const error = ready()
    expect(error).toBeInstanceOf(SubscriptionError)
    expect(error).toMatchObject({
      code: 'ERR_SUBSCRIPTION',
      name: 'SubscriptionError',
      message: `The real-time connection to 127.0.0.1:${String(fake.port)} sent no connection_ack within 15 s.`,
    })
    // the iteration ends with the same error
    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBe(error)
    await until(() => {
      expect(fake.connections[0]?.closed).toBe(true)
    })
    // no other attempt, however long one waits
    await vi.advanceTimersByTimeAsync(60_000)
    await new Promise((resolve) => realSetTimeout(resolve, 50))
    expect(fake.connections).toHaveLength(1)
    expectNoSecret(error)
  })

  it('with reconnects — each new socket gets 15 s too; after `attempts` reconnects, SubscriptionError', async () => {
    fake.behaviour = SILENT_INIT
    const c = client({ realtime: { reconnect: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } } })
    const reconnected: unknown[] = []
    c.on('subscriptionReconnected', (payload) => reconnected.push(payload))
    const subscription = subscribe(c, ON_CREATE)
    const ready = watch(subscription.ready)

    for (const index of [0, 1, 2]) {
      await initialized(index)
      // each socket is given its own full 15 s
      await vi.advanceTimersByTimeAsync(14_900)
      expect(ready()).toBe('pending')
      expect(fake.connections).toHaveLength(index + 1)
      expect(fake.connections[index]?.closed).toBe(false)
      // its 15 s run out; then the jittered backoff (at most maxDelayMs) before the next socket
      await vi.advanceTimersByTimeAsync(100 + 5)
      await until(() => {
        expect(fake.connections[index]?.closed).toBe(true)
      })
    }

    const error = ready()
    expect(error).toBeInstanceOf(SubscriptionError)
    expect(error).toMatchObject({
      code: 'ERR_SUBSCRIPTION',
      message: `The real-time connection to 127.0.0.1:${String(fake.port)} sent no connection_ack within 15 s (2 reconnects failed).`,
    })
    await expect(subscription[Symbol.asyncIterator]().next()).rejects.toBe(error)
    // the first socket and two more, each with its own connection_init; then nothing
    await vi.advanceTimersByTimeAsync(60_000)
    await new Promise((resolve) => realSetTimeout(resolve, 50))
    expect(fake.connections).toHaveLength(3)
    expect(fake.connections.map((c) => c.received.filter((m) => m.type === 'connection_init').length)).toEqual([
      1, 1, 1,
    ])
    // nothing was ever started, so nothing was restarted
    expect(fake.starts()).toEqual([])
    expect(reconnected).toEqual([])
    expectNoSecret(error)
  })
})

describe('no start_ack within 15 s', () => {
  it('ready rejects with SubscriptionError at 15 s, not before; the other subscription on the socket goes on', async () => {
    // Acks every start but OnDeletePost's, which it never answers.
    fake.behaviour = {
      ...DEFAULT_BEHAVIOUR,
      onStart: (connection, message) => {
        if (!startData(message).query.includes('onDeletePost')) DEFAULT_BEHAVIOUR.onStart(connection, message)
      },
    }
    const c = client({ realtime: { reconnect: false } })
    const live = subscribe<{ onCreatePost: { id: string } }>(c, ON_CREATE)
    const silent = subscribe(c, ON_DELETE)
    const ready = watch(silent.ready)
    await live.ready
    await until(() => {
      expect(fake.starts()).toHaveLength(2)
    })
    const idOf = (query: string): string =>
      fake.starts().find((start) => startData(start).query.includes(query))?.id ?? ''
    const silentId = idOf('onDeletePost')
    const liveId = idOf('onCreatePost')

    await vi.advanceTimersByTimeAsync(14_900)
    expect(ready()).toBe('pending')

    await vi.advanceTimersByTimeAsync(100)
    const error = ready()
    expect(error).toBeInstanceOf(SubscriptionError)
    expect(error).toMatchObject({
      code: 'ERR_SUBSCRIPTION',
      name: 'SubscriptionError',
      message: 'AppSync sent no start_ack within 15 s.',
      recoverySuggestion: 'Check the endpoint, then subscribe again.',
    })
    await expect(silent[Symbol.asyncIterator]().next()).rejects.toBe(error)
    // What the code does: the failed subscription is removed, and since its start went out, a stop
    // for it is sent (AppSync may have started it after all); the socket stays open for the other.
    const connection = fake.connections[0]
    await until(() => {
      expect(connection?.received).toContainEqual({ type: 'stop', id: silentId })
    })
    expect(connection?.received.filter((m) => m.type === 'stop')).toEqual([{ type: 'stop', id: silentId }])
    expect(connection?.closed).toBe(false)
    expect(fake.connections).toHaveLength(1)

    // a late event for the removed subscription reaches nobody; the live one still gets its own
    fake.publish(silentId, { onDeletePost: { id: 'late' } })
    fake.publish(liveId, { onCreatePost: { id: 'after' } })
    expect(await take(live, 1)).toEqual([{ onCreatePost: { id: 'after' } }])
    expectNoSecret(error)

    live.unsubscribe()
    await until(() => {
      expect(connection?.closed).toBe(true)
    })
  })

  it('a start_ack in time clears the wait: the subscription outlives 15 s', async () => {
    const subscription = subscribe<{ onCreatePost: { id: string } }>(
      client({ realtime: { reconnect: false } }),
      ON_CREATE,
    )
    await subscription.ready
    await vi.advanceTimersByTimeAsync(60_000)
    await new Promise((resolve) => realSetTimeout(resolve, 20))
    fake.publish(fake.starts()[0]?.id ?? '', { onCreatePost: { id: 'later' } })
    // neither the start_ack wait nor the connection_ack wait ended it or the socket
    expect(fake.connections).toHaveLength(1)
    expect(fake.connections[0]?.closed).toBe(false)
    expect(await take(subscription, 1)).toEqual([{ onCreatePost: { id: 'later' } }])
  })
})
