// The bound on a subscription's unread events (`maxBuffered`), against the in-process real-time
// stand-in on 127.0.0.1: a consumer that falls behind gets every buffered event in order, then a
// SubscriptionError where the next event would be, and the server gets a `stop`; a consumer that
// keeps up is never cut off; bad values are a ConfigurationError before any socket is opened.
import { describe, expect, it, vi } from 'vitest'
import { ConfigurationError, subscribe, SubscriptionError, type Client, type Subscription } from '../src/index'
import { allText } from './msw/observe'
import { apiKeyClient, useFakeRealtime } from './realtime/support'

const API_KEY = 'da2-SECRETAPIKEYbuffered4k8m2q6w9z'
const ON_CREATE = 'subscription OnCreatePost { onCreatePost { id } }'

interface Event {
  onCreatePost: { id: string }
}

const open: Subscription<unknown>[] = []
const fake = useFakeRealtime(open)

function client(): Client {
  return apiKeyClient(fake, API_KEY)
}

function track<T>(subscription: Subscription<T>): Subscription<T> {
  open.push(subscription)
  return subscription
}

const event = (id: number): Event => ({ onCreatePost: { id: String(id) } })

/** Publishes events `from`..`to` (inclusive) to the only subscription, without reading any. */
function publish(from: number, to: number): string {
  const id = fake.starts()[0]?.id
  if (id === undefined) throw new Error('no start received')
  for (let n = from; n <= to; n++) fake.publish(id, event(n))
  return id
}

/** Waits until the server received a `stop` for `id`. */
async function stopped(id: string): Promise<void> {
  await vi.waitFor(() => {
    expect(fake.connections[0]?.received).toContainEqual({ type: 'stop', id })
  })
}

/** Reads a subscription to its end: the events, and the error that ended it (undefined when it completed). */
async function drain<T>(subscription: Subscription<T>): Promise<{ events: T[]; error: unknown }> {
  const events: T[] = []
  try {
    for await (const value of subscription) events.push(value)
  } catch (error) {
    return { events, error }
  }
  return { events, error: undefined }
}

describe('maxBuffered: a consumer slower than the server', () => {
  it('gets the events up to the bound in order, then a SubscriptionError; the server gets a stop; nothing more is queued', async () => {
    const subscription = subscribe<Event>(client(), ON_CREATE, {}, { maxBuffered: 3 })
    await subscription.ready
    // Events 1–3 fill the buffer, 4 overflows it, 5 comes after the subscription was stopped.
    const id = publish(1, 5)
    await stopped(id)
    const iterator = subscription[Symbol.asyncIterator]()
    for (const n of [1, 2, 3]) expect(await iterator.next()).toEqual({ done: false, value: event(n) })
    const error = await iterator.next().then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(SubscriptionError)
    expect(error).toMatchObject({
      code: 'ERR_SUBSCRIPTION',
      name: 'SubscriptionError',
      message: '3 events unread: read faster or raise `maxBuffered`.',
    })
    expect(await iterator.next()).toEqual({ done: true, value: undefined })
    // Its only subscription stopped: the socket is closed.
    await vi.waitFor(() => {
      expect(fake.connections[0]?.closed).toBe(true)
    })
    // No secret in the error: neither the API key nor anything of the header object.
    const text = allText(error).join('\n')
    expect(text).not.toContain('SECRETAPIKEY')
    expect(text).not.toContain(fake.connections[0]?.encodedHeader ?? 'no header')
  })

  it('by default, 1000 events may wait unread', async () => {
    const subscription = subscribe<Event>(client(), ON_CREATE)
    await subscription.ready
    await stopped(publish(1, 1001))
    const { events, error } = await drain(subscription)
    expect(events).toEqual(Array.from({ length: 1000 }, (_, i) => event(i + 1)))
    expect(error).toBeInstanceOf(SubscriptionError)
    expect((error as Error).message).toBe('1000 events unread: read faster or raise `maxBuffered`.')
  })

  it('a consumer that keeps up is never cut off: only events not read yet count', async () => {
    const subscription = track(subscribe<Event>(client(), ON_CREATE, {}, { maxBuffered: 2 }))
    await subscription.ready
    const iterator = subscription[Symbol.asyncIterator]()
    const read: unknown[] = []
    const next = async (): Promise<void> => {
      read.push((await iterator.next()).value)
    }
    publish(1, 2) // two unread: at the bound
    await next() // reads 1
    publish(3, 3) // 2 and 3 unread: at the bound again, not over it
    await next()
    await next()
    const waiting = next() // asked before it arrives: never buffered
    publish(4, 6) // 4 goes to the waiting call, 5 and 6 wait unread
    await waiting
    await next()
    await next()
    expect(read).toEqual([1, 2, 3, 4, 5, 6].map(event))
    expect(fake.connections[0]?.received.filter((m) => m.type === 'stop')).toEqual([])
    // Still live: one more event arrives as usual.
    publish(7, 7)
    await next()
    expect(read.at(-1)).toEqual(event(7))
  })
})

describe('maxBuffered: bad values', () => {
  it('anything but a whole number ≥ 1 is a ConfigurationError at subscribe, before any socket is opened', async () => {
    const c = client()
    for (const maxBuffered of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10', null]) {
      const attempt = (): unknown => subscribe(c, ON_CREATE, {}, { maxBuffered: maxBuffered as number })
      expect(attempt, String(maxBuffered)).toThrow(ConfigurationError)
      expect(attempt, String(maxBuffered)).toThrow('`maxBuffered` must be a whole number ≥ 1.')
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(fake.connections).toHaveLength(0)
    // The smallest bound is accepted.
    await track(subscribe(c, ON_CREATE, {}, { maxBuffered: 1 })).ready
    expect(fake.connections).toHaveLength(1)
  })
})
