import { AuthmodeError } from './AuthmodeError'

/**
 * @internal What errors keep of a response: never headers that could carry credentials, never the
 * request body.
 */
export interface ResponseInfo {
  readonly method: string
  /** Origin and path only: no query string. */
  readonly url: string
  readonly status: number
  readonly requestId?: string | undefined
}

/** The API answered with an HTTP error status that is not an authorization failure. */
export class HttpError extends AuthmodeError {
  static readonly code = 'ERR_HTTP'
  declare readonly code: 'ERR_HTTP'
  /** @internal */ override readonly name: string = 'HttpError'
  declare readonly status: number
  declare readonly requestId: string | undefined
  /** The server's `errorType` or `x-amzn-ErrorType`, when it sent one. */
  declare readonly errorType: string | undefined

  // The error classes that only the client throws have `@internal` constructors: apps catch them.
  /** @internal */
  constructor(
    info: ResponseInfo & { statusText: string; errorType?: string | undefined; detail?: string | undefined },
  ) {
    super(
      `${info.method} ${info.url}: ${info.status} ${info.statusText}${info.errorType ? ` (${info.errorType})` : ''}${info.detail ? `: ${info.detail}` : ''}`,
      {
        recoverySuggestion:
          info.status >= 500 || info.status === 429 ? 'Retry later.' : 'Check the endpoint and the request.',
      },
    )
    this.status = info.status
    this.requestId = info.requestId
    this.errorType = info.errorType
  }
}
