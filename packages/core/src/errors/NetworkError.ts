import { AuthmodeError } from './AuthmodeError'

/** The request never got an HTTP answer (DNS, refused connection, reset, offline). */
export class NetworkError extends AuthmodeError {
  static readonly code = 'ERR_NETWORK'
  declare readonly code: 'ERR_NETWORK'
  override readonly name: string = 'NetworkError'

  constructor(method: string, url: string, cause: unknown) {
    super(`${method} ${url}: network error${cause instanceof Error ? ` (${cause.message})` : ''}`, {
      cause,
      recoverySuggestion: 'Check connectivity and the endpoint.',
    })
  }
}
