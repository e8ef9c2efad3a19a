import { PlatformNotSupportedError, type WebSocketConstructor, type WebSocketLoader } from '@authmode/core'

let loading: Promise<WebSocketConstructor> | undefined

/**
 * The default `webSocket` of `@authmode/node`: the runtime's own WebSocket where there is one (Node
 * 22+, Bun, Deno, workerd), else the `ws` package (Node 20), imported on the first subscription so
 * that a process that never subscribes never loads it. `ws` reads the environment at import, which
 * Deno refuses without `--allow-env`: one more reason to prefer the built-in.
 */
export const lazyWs: WebSocketLoader = {
  load: () => {
    const builtIn = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
    if (builtIn) return Promise.resolve(builtIn)
    return (loading ??= import('ws').then(
      ({ WebSocket }) => WebSocket,
      (error: unknown) => {
        loading = undefined // a later subscription may try again
        throw new PlatformNotSupportedError(
          'Subscriptions: this runtime has no WebSocket and the `ws` package could not be loaded. Install @authmode/node with its dependencies, or pass `webSocket` to createClient.',
          { cause: error },
        )
      },
    ))
  },
}
