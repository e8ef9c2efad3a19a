import { WebSocket } from 'ws'
import type { WebSocketConstructor } from '../../src/index'

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
