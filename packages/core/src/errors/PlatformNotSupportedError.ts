import { AuthmodeError } from './AuthmodeError'

/** An API was called in an environment that cannot provide it (for example `@authmode/node` in a browser bundle). */
export class PlatformNotSupportedError extends AuthmodeError {
  static readonly code = 'ERR_PLATFORM'
  declare readonly code: 'ERR_PLATFORM'
  /** @internal */ override readonly name: string = 'PlatformNotSupportedError'
}
