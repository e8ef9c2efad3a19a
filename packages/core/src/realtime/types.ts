// Declared here so that the published types need no DOM or Node typings; the handlers take `never`
// so that any implementation's own event types are accepted.
/** The part of a WebSocket that subscriptions use: the browser's and the `ws` package's fit. */
export interface WebSocketLike {
  /** 1 while open (`WebSocket.OPEN`). */
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: never) => unknown) | null
  onmessage: ((event: never) => unknown) | null
  onclose: ((event: never) => unknown) | null
  onerror: ((event: never) => unknown) | null
}

/** A WebSocket class: `globalThis.WebSocket`, or `WebSocket` of the `ws` package. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike

/** A WebSocket class imported on first use (how `@authmode/node` defaults to `ws` without loading it at start-up). */
export interface WebSocketLoader {
  load(): Promise<WebSocketConstructor>
}

/** Reconnection after the real-time connection is lost. */
export interface ReconnectOptions {
  /** Failed attempts in a row before the subscriptions fail with `SubscriptionError` (default 5). */
  readonly attempts?: number | undefined
  /** First backoff (default 1000 ms); doubles each time, with full jitter. */
  readonly baseDelayMs?: number | undefined
  /** Upper bound of one backoff (default 30 000 ms). */
  readonly maxDelayMs?: number | undefined
}

/** Client-wide settings of subscriptions (AppSync's real-time WebSocket). */
export interface RealtimeOptions {
  /** How the connection is authorized: a `'subprotocol'` (default) or the legacy `'query'` (`?header=…`). */
  readonly auth?: 'subprotocol' | 'query' | undefined
  /** After an unexpected close: reconnect with jittered backoff (default), or `false` to fail at once. */
  readonly reconnect?: ReconnectOptions | false | undefined
}
