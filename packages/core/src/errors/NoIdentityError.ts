import { AuthmodeError, type AuthmodeErrorOptions } from './AuthmodeError'

/**
 * A provider has no identity to offer right now (for example: nobody is signed in). In a mode
 * list the mode is skipped and the next one is tried. Throw it from your own providers.
 */
export class NoIdentityError extends AuthmodeError {
  static readonly code = 'ERR_NO_IDENTITY'
  declare readonly code: 'ERR_NO_IDENTITY'
  /** @internal */ override readonly name: string = 'NoIdentityError'
  readonly tryNext = true
  constructor(message = 'No identity is available (nobody is signed in).', options?: AuthmodeErrorOptions) {
    super(message, options)
  }
}
