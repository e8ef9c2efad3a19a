import type { AuthMode } from '../auth/types'
import { AuthmodeError } from './AuthmodeError'
import type { ResponseInfo } from './HttpError'

/** The API rejected the request's authorization, even after one forced refresh and retry. */
export class UnauthorizedError extends AuthmodeError {
  static readonly code = 'ERR_UNAUTHORIZED'
  declare readonly code: 'ERR_UNAUTHORIZED'
  /** @internal */ override readonly name: string = 'UnauthorizedError'
  declare readonly mode: AuthMode
  declare readonly status: number
  declare readonly requestId: string | undefined
  /** The server's own error messages (they never contain credentials). */
  declare readonly serverMessages: readonly string[]

  /** @internal */
  constructor(info: ResponseInfo & { mode: AuthMode; serverMessages: readonly string[] }) {
    super(
      `${info.method} ${info.url}: ${info.status} Unauthorized (${info.mode})${
        info.serverMessages.length > 0 ? `: ${info.serverMessages.join('; ')}` : ''
      }`,
      {
        recoverySuggestion: 'Check that this mode is enabled on the API and allowed on these fields.',
      },
    )
    this.mode = info.mode
    this.status = info.status
    this.requestId = info.requestId
    this.serverMessages = info.serverMessages
  }
}
