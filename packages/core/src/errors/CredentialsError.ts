import { AuthmodeError, type AuthmodeErrorOptions } from './AuthmodeError'

/** AWS credentials for the `iam` mode could not be obtained or are unusable. */
export class CredentialsError extends AuthmodeError {
  static readonly code = 'ERR_CREDENTIALS'
  declare readonly code: 'ERR_CREDENTIALS'
  /** @internal */ override readonly name: string = 'CredentialsError'
  /** True when the provider said another source may be tried (AWS SDK `tryNextLink`). */
  declare readonly tryNext: boolean

  constructor(message: string, options: AuthmodeErrorOptions & { tryNext?: boolean } = {}) {
    super(message, options)
    this.tryNext = options.tryNext ?? false
  }
}
