// Issue 18: a Worker (workerd) refuses one request's WebSocket to another request; its `send` throws.
// A subscription whose `start` cannot be sent fails at once with a typed error that says what to do,
// and the subscriptions already on the connection go on. Simulated in Node with a socket whose send
// throws as workerd's does; tests/runtimes/test/worker-shared-client.test.ts shows it in workerd.
import { WebSocket } from 'ws'
import { describe, expect, it } from 'vitest'
import { subscribe, SubscriptionError, type Subscription } from '../src/index'
import { apiKeyClient, useFakeRealtime } from './realtime/support'

const API_KEY = 'da2-SECRETAPIKEYrefusedsend4k8m2q6'
const ON_CREATE = 'subscription OnCreatePost { onCreatePost { id } }'

const open: Subscription<unknown>[] = []
const fake = useFakeRealtime(open)

const platformError = new Error('Cannot perform I/O on behalf of a different request.')
let refuse = false
class WorkerLikeSocket extends WebSocket {
  override send(data: string): void {
    if (refuse) throw platformError
    super.send(data)
  }
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
    const error = await second.ready.then(
      () => undefined,
      (e: unknown) => e,
    )
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
})
