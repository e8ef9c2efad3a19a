import { AuthmodeError, type AuthmodeErrorOptions } from './AuthmodeError'

/** @internal */
export interface SignInErrorOptions extends AuthmodeErrorOptions {
  readonly errorType?: string | undefined
  readonly challengeName?: string | undefined
  readonly retryable?: boolean | undefined
}

/** Signing in gave no tokens: the credentials were rejected (`errorType`), or Cognito asked for a challenge. */
export class SignInError extends AuthmodeError {
  static readonly code = 'ERR_SIGN_IN'
  declare readonly code: 'ERR_SIGN_IN'
  /** @internal */ override readonly name: string = 'SignInError'
  /** The identity provider's error type, e.g. `NotAuthorizedException` (wrong user name or password). */
  declare readonly errorType: string | undefined
  /** The challenge Cognito asked for (`signInWithPassword` answers none), e.g. `NEW_PASSWORD_REQUIRED`. */
  declare readonly challengeName: string | undefined
  /** A transient failure (5xx, throttling, an unusable answer): trying again may work. */
  declare readonly retryable: boolean

  /** @internal */
  constructor(message: string, options: SignInErrorOptions = {}) {
    super(message, options)
    this.errorType = options.errorType
    this.challengeName = options.challengeName
    this.retryable = options.retryable === true
  }
}
