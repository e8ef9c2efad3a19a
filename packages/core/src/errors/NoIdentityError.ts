import { AuthmodeError, type AuthmodeErrorOptions } from './AuthmodeError'

/** A provider has no identity now (nobody signed in): a mode list moves on. Throw it from your providers. */
export class NoIdentityError extends AuthmodeError {
  static readonly code = 'ERR_NO_IDENTITY'
  declare readonly code: 'ERR_NO_IDENTITY'
  /** @internal */ override readonly name: string = 'NoIdentityError'
  readonly tryNext = true
  constructor(message = 'No identity is available (nobody is signed in).', options?: AuthmodeErrorOptions) {
    super(message, options)
  }
}
