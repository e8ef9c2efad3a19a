import type { AuthMode } from '../auth/types'

/** What a client reports. Payloads never carry a key, token, secret or signature. */
export interface ClientEvents {
  /** The API key in use expires within 7 days (emitted once per key). */
  apiKeyExpiring: { readonly expiration: Date; readonly msRemaining: number }
  /** A mode of a mode list could not be used for a request. */
  authModeSkipped: { readonly mode: AuthMode; readonly reason: string }
  /** A token mode fetched a new token. */
  tokenRefreshed: { readonly mode: AuthMode; readonly expiration: Date | undefined }
  /**
   * A token mode's session ended: the identity provider definitively rejected it (for Cognito: the
   * refresh token was revoked, expired or reused). The user must sign in again. `reason` is the
   * provider's error type, e.g. `NotAuthorizedException`. Emitted once per ended session.
   */
  sessionExpired: { readonly mode: AuthMode; readonly reason: string }
  /** The `iam` mode fetched new credentials. */
  credentialsRefreshed: { readonly expiration: Date | undefined }
  /** The server rejected a mode's identity; it is refreshed and the request retried once. */
  unauthorizedRetry: { readonly mode: AuthMode; readonly status: number }
  /** The server said the clock is off; later signatures use this offset. */
  clockSkewCorrected: { readonly offsetMs: number }
  /** A query is retried after a throttle, server error or network failure. */
  retry: { readonly attempt: number; readonly delayMs: number; readonly reason: string }
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

const LEVELS: Record<ClientEventName, keyof Logger> = {
  apiKeyExpiring: 'warn',
  authModeSkipped: 'debug',
  tokenRefreshed: 'debug',
  sessionExpired: 'info',
  credentialsRefreshed: 'debug',
  unauthorizedRetry: 'info',
  clockSkewCorrected: 'info',
  retry: 'info',
}

export class EventHub {
  private readonly listeners = new Map<ClientEventName, Set<(payload: never) => void>>()
  constructor(private readonly logger: Logger | undefined) {}

  on<TName extends ClientEventName>(name: TName, listener: ClientEventListener<TName>): () => void {
    let set = this.listeners.get(name)
    if (!set) this.listeners.set(name, (set = new Set()))
    set.add(listener)
    return () => set.delete(listener)
  }

  emit<TName extends ClientEventName>(name: TName, payload: ClientEvents[TName]): void {
    this.logger?.[LEVELS[name]]?.(`[authmode] ${name}`, payload)
    for (const listener of this.listeners.get(name) ?? []) {
      try {
        ;(listener as ClientEventListener<TName>)(payload)
      } catch (error) {
        this.logger?.error?.(`[authmode] a ${name} listener threw`, error)
      }
    }
  }
}
