import { AuthmodeError } from './AuthmodeError'

/** An option passed to `createClient` or `request` is missing or invalid; the message names it. */
export class ConfigurationError extends AuthmodeError {
  static readonly code = 'ERR_CONFIGURATION'
  declare readonly code: 'ERR_CONFIGURATION'
  /** @internal */ override readonly name: string = 'ConfigurationError'
}
