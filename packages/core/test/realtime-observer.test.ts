// Issue 19: `subscribe` also takes observer callbacks (`next`, `error`, `complete`) for apps that
// don't want a loop per subscription; the iterator stays. Against the in-process stand-in.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { GraphQLResponseError, subscribe, type Subscription } from '../src/index'
import { apiKeyClient, useFakeRealtime } from './realtime/support'

const API_KEY = 'da2-realtimeobserverexample01'
const ON_CREATE = 'subscription OnCreatePost { onCreatePost { id } }'

const open: Subscription<unknown>[] = []
const fake = useFakeRealtime(open)
afterEach(() => {
  vi.unstubAllGlobals()
})

function startId(): string {
  const id = fake.starts()[0]?.id
  if (id === undefined) throw new Error('no start')
  return id
}

interface Post {
  onCreatePost: { id: string }
}

function observed() {
  const seen: string[] = []
  const errors: unknown[] = []
  let completed = 0
  const observer = {
    next: (data: Post) => seen.push(data.onCreatePost.id),
    error: (error: unknown) => errors.push(error),
    complete: () => (completed += 1),
  }
  return { seen, errors, completed: () => completed, observer }
}

describe('subscribe with observer callbacks', () => {
  it('next gets each event in order; unsubscribe calls complete, not error', async () => {
    const { seen, errors, completed, observer } = observed()
    const subscription = subscribe<Post>(apiKeyClient(fake, API_KEY), ON_CREATE, undefined, observer)
    open.push(subscription)
    await subscription.ready
    for (const id of ['1', '2', '3']) fake.publish(startId(), { onCreatePost: { id } })
    await vi.waitFor(() => {
      expect(seen).toEqual(['1', '2', '3'])
    })
    subscription.unsubscribe()
    await vi.waitFor(() => {
      expect(completed()).toBe(1)
    })
    expect(errors).toEqual([])
  })

  it('the error that ends it goes to error (GraphQL errors without onError), never complete', async () => {
    const { errors, completed, observer } = observed()
    const subscription = subscribe<Post>(apiKeyClient(fake, API_KEY), ON_CREATE, undefined, observer)
    open.push(subscription)
    await subscription.ready
    fake.connections[0]?.send({
      type: 'data',
      id: startId(),
      payload: { data: null, errors: [{ errorType: 'Resolver', message: 'failed' }] },
    })
    await vi.waitFor(() => {
      expect(errors).toHaveLength(1)
    })
    expect(errors[0]).toBeInstanceOf(GraphQLResponseError)
    expect(completed()).toBe(0)
  })

  it('a next that throws ends the subscription (stop sent) with its error', async () => {
    const boom = new Error('app bug')
    const errors: unknown[] = []
    const subscription = subscribe<Post>(apiKeyClient(fake, API_KEY), ON_CREATE, undefined, {
      next: () => {
        throw boom
      },
      error: (error) => errors.push(error),
    })
    open.push(subscription)
    await subscription.ready
    fake.publish(startId(), { onCreatePost: { id: '1' } })
    await vi.waitFor(() => {
      expect(errors).toEqual([boom])
      expect(fake.connections[0]?.received).toContainEqual({ type: 'stop', id: startId() })
    })
  })

  it('without next, nothing reads for the app: events wait for the iterator as before', async () => {
    const complete = vi.fn()
    const subscription = subscribe<Post>(apiKeyClient(fake, API_KEY), ON_CREATE, undefined, { complete })
    open.push(subscription)
    await subscription.ready
    fake.publish(startId(), { onCreatePost: { id: '7' } })
    const first = await subscription[Symbol.asyncIterator]().next()
    expect(first).toEqual({ done: false, value: { onCreatePost: { id: '7' } } })
    expect(complete).not.toHaveBeenCalled()
  })
})
