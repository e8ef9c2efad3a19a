import { AuthmodeError, type AuthmodeErrorOptions } from './AuthmodeError'

export interface TokenRefreshErrorOptions extends AuthmodeErrorOptions {
  /** A transient failure (network, 5xx, throttling, an unusable answer): the session is kept; try again later. */
  readonly retryable?: boolean | undefined
  /** The identity provider definitively rejected the session (e.g. a revoked refresh token): sign in again. */
  readonly sessionEnded?: boolean | undefined
  /** The identity provider's error type, e.g. Cognito's `NotAuthorizedException`. Never a secret. */
  readonly errorType?: string | undefined
}

/** A token provider failed: `sessionEnded` (sign in again) or `retryable` (transient; the session is kept). */
export class TokenRefreshError extends AuthmodeError {
  static readonly code = 'ERR_TOKEN_REFRESH'
  declare readonly code: 'ERR_TOKEN_REFRESH'
  /** @internal */ override readonly name: string = 'TokenRefreshError'
  declare readonly retryable: boolean
  declare readonly sessionEnded: boolean
  declare readonly errorType: string | undefined

  constructor(message: string, options: TokenRefreshErrorOptions = {}) {
    super(message, options)
    this.retryable = options.retryable === true
    this.sessionEnded = options.sessionEnded === true
    this.errorType = options.errorType
  }
}

/** True for a `TokenRefreshError` that ended the session, from whichever copy of the package. */
export function isSessionEnded(error: unknown): boolean {
  const e = error as { code?: unknown; sessionEnded?: unknown } | null
  return e?.code === 'ERR_TOKEN_REFRESH' && e.sessionEnded === true
}

/** True for a `TokenRefreshError` worth retrying (the session was kept), from whichever copy of the package. */
export function isRetryableRefresh(error: unknown): boolean {
  const e = error as { code?: unknown; retryable?: unknown } | null
  return e?.code === 'ERR_TOKEN_REFRESH' && e.retryable === true
}
