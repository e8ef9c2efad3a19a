import { PlatformNotSupportedError, type WebSocketConstructor, type WebSocketLoader } from '@authmode/core'

let loading: Promise<WebSocketConstructor> | undefined

/**
 * The default `webSocket` of `@authmode/node`: the `ws` package's WebSocket (Node 20 has no global
 * one), imported on the first subscription so that a process that never subscribes never loads it.
 */
export const lazyWs: WebSocketLoader = {
  load: () =>
    (loading ??= import('ws').then(
      ({ WebSocket }) => WebSocket,
      (error: unknown) => {
        loading = undefined // a later subscription may try again
        throw new PlatformNotSupportedError(
          'Subscriptions: the `ws` package could not be loaded. Install @authmode/node with its dependencies, or pass `webSocket` to createClient.',
          { cause: error },
        )
      },
    )),
}
