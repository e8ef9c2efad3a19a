import { AuthmodeError } from './AuthmodeError'

/** The request did not complete within its `timeoutMs`. */
export class TimeoutError extends AuthmodeError {
  static readonly code = 'ERR_TIMEOUT'
  declare readonly code: 'ERR_TIMEOUT'
  /** @internal */ override readonly name: string = 'TimeoutError'
}
