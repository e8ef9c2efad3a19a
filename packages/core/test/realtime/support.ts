import { afterAll, afterEach, beforeAll } from 'vitest'
import { WebSocket } from 'ws'
import {
  createClient,
  type Client,
  type ClientOptions,
  type Subscription,
  type WebSocketConstructor,
} from '../../src/index'
import { DEFAULT_BEHAVIOUR, startFakeRealtime, type FakeRealtime } from './fakeRealtime'

export interface RequestedSocket {
  readonly url: string
  readonly protocols: readonly string[]
}

/**
 * `ws`'s WebSocket, recording the URL and subprotocols the client asked for and connecting to
 * `target` instead (keeping the query): so that AppSync endpoints can be tested against a local server.
 */
export function redirectingWebSocket(target: string, requested: RequestedSocket[]): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      const list = protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : protocols
      requested.push({ url, protocols: list })
      super(`${target}${new URL(url).search}`, list)
    }
  }
}

/** The real-time URL of a fake's endpoint. */
export function realtimeOf(endpoint: string): string {
  return endpoint.replace(/^http/, 'ws') + '/realtime'
}

/** Collects up to `count` events of a subscription (or all until it ends). */
export async function take<T>(iterable: AsyncIterable<T>, count: number): Promise<T[]> {
  const out: T[] = []
  if (count <= 0) return out
  for await (const value of iterable) {
    out.push(value)
    if (out.length >= count) break
  }
  return out
}

/**
 * The fake real-time server of a test file: started before its tests, stopped after them; after
 * each test the subscriptions pushed to `open` are ended and the fake's connections and behaviour
 * are reset. The fake is reached through the returned object once the tests run.
 */
export function useFakeRealtime(open: Subscription<unknown>[] = []): FakeRealtime {
  let current: FakeRealtime | undefined
  beforeAll(async () => {
    current = await startFakeRealtime()
  })
  afterEach(() => {
    for (const subscription of open.splice(0)) subscription.unsubscribe()
    if (current) {
      current.connections.length = 0
      current.behaviour = DEFAULT_BEHAVIOUR
    }
  })
  afterAll(async () => {
    await current?.stop()
  })
  const started = (): FakeRealtime => {
    if (!current) throw new Error('the fake real-time server is used before beforeAll started it')
    return current
  }
  return new Proxy({} as FakeRealtime, {
    get: (_target, key) => Reflect.get(started(), key) as unknown,
    set: (_target, key, value) => Reflect.set(started(), key, value),
  })
}

/** A client of a fake's endpoint: API key mode with `apiKey`, `ws`, no logger; `options` win. */
export function apiKeyClient(fake: FakeRealtime, apiKey: string, options: Partial<ClientOptions> = {}): Client {
  return createClient({
    endpoint: fake.endpoint,
    authMode: 'apiKey',
    apiKey,
    webSocket: WebSocket,
    logger: null,
    ...options,
  })
}
