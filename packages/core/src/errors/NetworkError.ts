import { redact } from '../internal/redact'
import { AuthmodeError } from './AuthmodeError'

/** The request never got an HTTP answer (DNS, refused connection, reset, offline). */
export class NetworkError extends AuthmodeError {
  static readonly code = 'ERR_NETWORK'
  declare readonly code: 'ERR_NETWORK'
  /** @internal */ override readonly name: string = 'NetworkError'

  /**
   * @internal The platform's message is kept through the redaction policy, `secrets` (the credentials sent)
   * masked; a message that needed masking (one quoting a header value) is kept without its error.
   */
  constructor(method: string, url: string, cause: unknown, secrets: readonly (string | undefined)[] = []) {
    // The platform's reason, a cause down (undici: `fetch failed` → ECONNREFUSED, ENOTFOUND, a TLS
    // code): an identifier, through the redaction below like the message (issue 19).
    const code = (cause as { cause?: { code?: string } } | undefined)?.cause?.code
    const said = `${cause instanceof Error ? cause.message : ''}${code ? `: ${code}` : ''}`
    const safe = redact(said, secrets)
    super(`${method} ${url}: network error${said ? ` (${safe})` : ''}`, {
      cause: safe === said ? cause : undefined,
      recoverySuggestion: 'Check connectivity and the endpoint.',
    })
  }
}
