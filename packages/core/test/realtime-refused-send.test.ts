// Issue 18: a Worker (workerd) refuses one request's WebSocket to another request; its `send` throws.
// A subscription whose `start` cannot be sent, or made while another request's socket is still
// opening (workerd refuses even a read of its state), fails at once with a typed error that says what
// to do, and the subscriptions already on the connection go on. Simulated in Node with a socket whose send
// throws as workerd's does; tests/runtimes/test/worker-shared-client.test.ts shows it in workerd.
import { WebSocket } from 'ws'
import { describe, expect, it, vi } from 'vitest'
import { subscribe, SubscriptionError, type Subscription } from '../src/index'
import { apiKeyClient, useFakeRealtime } from './realtime/support'

const API_KEY = 'da2-SECRETAPIKEYrefusedsend4k8m2q6'
const ON_CREATE = 'subscription OnCreatePost { onCreatePost { id } }'

const open: Subscription<unknown>[] = []
const fake = useFakeRealtime(open)

const platformError = new Error('Cannot perform I/O on behalf of a different request.')
let refuse = false
let made = 0
class WorkerLikeSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args)
    made++
  }
  override send(data: string): void {
    if (refuse) throw platformError
    super.send(data)
  }
}
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with the socket as `this`
const readyState = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'readyState')?.get
Object.defineProperty(WorkerLikeSocket.prototype, 'readyState', {
  get(this: WebSocket): unknown {
    if (refuse) throw platformError
    return readyState?.call(this)
  },
})

async function failure(subscription: Subscription<unknown>): Promise<unknown> {
  return subscription.ready.then(
    () => undefined,
    (e: unknown) => e,
  )
}

describe('a WebSocket that refuses to send (a Worker, another request)', () => {
  it('the new subscription fails at once with SubscriptionError; the first one keeps its events', async () => {
    refuse = false
    const client = apiKeyClient(fake, API_KEY, { webSocket: WorkerLikeSocket })
    const first = subscribe<{ onCreatePost: { id: string } }>(client, ON_CREATE)
    open.push(first)
    await first.ready
    refuse = true
    const second = subscribe(client, ON_CREATE)
    open.push(second)
    const error = await failure(second)
    expect(error).toBeInstanceOf(SubscriptionError)
    expect((error as SubscriptionError).message).toBe('In a Worker, create the client per request.')
    expect((error as SubscriptionError).cause).toBe(platformError)
    expect(JSON.stringify(error)).not.toContain(API_KEY)
    refuse = false
    const id = fake.starts()[0]?.id
    if (id === undefined) throw new Error('no start received')
    fake.publish(id, { onCreatePost: { id: '7' } })
    for await (const event of first) {
      expect(event).toEqual({ onCreatePost: { id: '7' } })
      break
    }
  })

  it("made while the first subscription's socket is still opening: fails at once; the first gets ready", async () => {
    refuse = false
    const client = apiKeyClient(fake, API_KEY, { webSocket: WorkerLikeSocket })
    made = 0
    const first = subscribe(client, ON_CREATE)
    open.push(first)
    await vi.waitFor(() => {
      expect(made).toBe(1) // its socket is made, not yet open
    })
    refuse = true // only while the second subscribes: its request may not touch the socket
    const second = subscribe(client, ON_CREATE)
    refuse = false
    open.push(second)
    const error = await failure(second)
    expect(error).toBeInstanceOf(SubscriptionError)
    expect((error as SubscriptionError).message).toBe('In a Worker, create the client per request.')
    expect((error as SubscriptionError).cause).toBe(platformError)
    await first.ready
    expect(fake.starts()).toHaveLength(1)
  })
})
