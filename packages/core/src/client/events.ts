import type { AuthMode } from '../auth/types'

/** What a client reports. Payloads never carry a key, token, secret or signature. */
export interface ClientEvents {
  /** The API key in use expires within 7 days (emitted once per key). */
  apiKeyExpiring: { readonly expiration: Date; readonly msRemaining: number }
  /** A mode of a mode list (or of `auto`) could not be used for a request; `reason` says why. */
  authModeSkipped: { readonly mode: AuthMode; readonly reason: string }
  /** `auto` chose a mode: `reason` names the rule that allows it (or that none decides) and the identity. */
  authModeChosen: { readonly mode: AuthMode; readonly reason: string }
  /** A token mode fetched a new token. */
  tokenRefreshed: { readonly mode: AuthMode; readonly expiration: Date | undefined }
  /** A token mode's session ended (once per session): sign in again. `reason`: e.g. `NotAuthorizedException`. */
  sessionExpired: { readonly mode: AuthMode; readonly reason: string }
  /** The `iam` mode fetched new credentials. */
  credentialsRefreshed: { readonly expiration: Date | undefined }
  /** The server rejected a mode's identity; it is refreshed and the request retried once. */
  unauthorizedRetry: { readonly mode: AuthMode; readonly status: number }
  /** The server said the clock is off; later signatures use this offset. */
  clockSkewCorrected: { readonly offsetMs: number }
  /** A query is retried after a throttle, server error or network failure. */
  retry: { readonly attempt: number; readonly delayMs: number; readonly reason: string }
  /** A subscription is live again after a lost connection (`attempts` it took): refetch what it keeps. */
  subscriptionReconnected: { readonly operationName: string | undefined; readonly attempts: number }
}

export type ClientEventName = keyof ClientEvents
export type ClientEventListener<TName extends ClientEventName> = (payload: ClientEvents[TName]) => void

/** Log sink; any method may be left out. `console` fits. */
export interface Logger {
  debug?(message: string, data?: unknown): void
  info?(message: string, data?: unknown): void
  warn?(message: string, data?: unknown): void
  error?(message: string, data?: unknown): void
}

// The routine events, logged at debug level (an expiring key at warn, any other at info).
const DEBUG: readonly ClientEventName[] = [
  'authModeSkipped',
  'authModeChosen',
  'tokenRefreshed',
  'credentialsRefreshed',
]

/** A client's events: listeners plus the logger (which sees every event at its level). */
export interface Events {
  on<TName extends ClientEventName>(name: TName, listener: ClientEventListener<TName>): () => void
  emit<TName extends ClientEventName>(name: TName, payload: ClientEvents[TName]): void
}

export function createEvents(logger: Logger | undefined): Events {
  const listeners: { [N in ClientEventName]?: Set<ClientEventListener<N>> } = {}
  return {
    on(name, listener) {
      const set = (listeners[name] ??= new Set() as never) as Set<typeof listener>
      set.add(listener)
      return () => set.delete(listener)
    },
    emit(name, payload) {
      logger?.[DEBUG.includes(name) ? 'debug' : name === 'apiKeyExpiring' ? 'warn' : 'info']?.(
        `[authmode] ${name}`,
        payload,
      )
      for (const listener of (listeners[name] ?? []) as Iterable<ClientEventListener<typeof name>>) {
        try {
          listener(payload)
        } catch (error) {
          logger?.error?.(`[authmode] a ${name} listener threw`, error)
        }
      }
    },
  }
}
