/** Every stable error code; `switch (error.code)` narrows on it. */
export type AuthmodeErrorCode =
  | 'ERR_CONFIGURATION'
  | 'ERR_NO_AUTH_MODE'
  | 'ERR_NO_IDENTITY'
  | 'ERR_TOKEN_REFRESH'
  | 'ERR_CREDENTIALS'
  | 'ERR_UNAUTHORIZED'
  | 'ERR_NETWORK'
  | 'ERR_TIMEOUT'
  | 'ERR_HTTP'
  | 'ERR_GRAPHQL'
  | 'ERR_RESPONSE_PARSE'
  | 'ERR_PLATFORM'
  | 'ERR_SIGN_IN'
  | 'ERR_SUBSCRIPTION'

export interface AuthmodeErrorOptions {
  readonly cause?: unknown
  /** What the caller can do about it. */
  readonly recoverySuggestion?: string | undefined
}

// A brand rather than `instanceof` alone, so guards work across duplicate package copies
// (ESM/CJS dual-package hazard) and realms.
const BRAND = Symbol.for('@authmode/error')

/** The base class of every authmode error: a stable `code`, never a secret. See the README's "Errors". */
export abstract class AuthmodeError extends Error {
  // Our error classes `declare` the fields their constructors assign: an undeclared field is also
  // emitted as a class field (defined, then assigned), bytes in every bundle for nothing.
  // Set here from each class's static `code` rather than by every class (fewer bytes).
  /** The stable code, also each class's static `code`. */
  declare readonly code: AuthmodeErrorCode
  declare readonly recoverySuggestion: string | undefined

  constructor(message: string, options: AuthmodeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : options)
    this.code = (new.target as unknown as { readonly code: AuthmodeErrorCode }).code
    this.recoverySuggestion = options.recoverySuggestion
    // No `this.name = new.target.name`: each class spells its `name` out (a field), since bundlers
    // that minify rename classes. Those fields are `@internal`: `Error`'s `name: string` types them.
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** True for any error thrown by authmode, whichever copy of the package made it. */
export function isAuthmodeError(value: unknown): value is AuthmodeError {
  return (value as Record<symbol, unknown> | null)?.[BRAND] === true
}
