import { AuthmodeError } from './AuthmodeError'
import type { ResponseInfo } from './HttpError'

/** The API answered with something that is not a GraphQL JSON response (an HTML page, truncated JSON, …). */
export class ResponseParseError extends AuthmodeError {
  static readonly code = 'ERR_RESPONSE_PARSE'
  declare readonly code: 'ERR_RESPONSE_PARSE'
  /** @internal */ override readonly name: string = 'ResponseParseError'
  declare readonly status: number
  declare readonly contentType: string | undefined

  /** @internal */
  constructor(info: ResponseInfo & { contentType?: string | undefined; problem: string; cause?: unknown }) {
    super(
      `${info.method} ${info.url}: ${info.status} response is not a GraphQL response: ${info.problem}${
        info.contentType ? ` (content-type ${info.contentType})` : ''
      }`,
      {
        cause: info.cause,
        recoverySuggestion: 'Check that `endpoint` is the AppSync …/graphql URL, not a proxy or an error page.',
      },
    )
    this.status = info.status
    this.contentType = info.contentType
  }
}
