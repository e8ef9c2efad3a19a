import type { AuthMode, HttpRequest } from '../auth/types'
import type { ResolvedConfig } from '../client/config'
import { NoAuthModeAvailableError, type SkippedMode } from '../errors/NoAuthModeAvailableError'
import { skipMode } from '../client/skipMode'
import { CREDENTIAL_HEADERS } from '../internal/headers'
import { amzDate } from '../sigv4/canonical'

/** AppSync's header object (the API host and one mode's credentials), and the mode that made it. */
export interface AuthHeader {
  readonly mode: AuthMode
  readonly header: Readonly<Record<string, string>>
  /** The identity it was made from (to refresh it when AppSync rejects the header). */
  readonly identity: unknown
}

export interface AuthHeaderRequest {
  readonly modes: readonly AuthMode[]
  /** `<endpoint>/connect` for the connection, the endpoint for a `start`. */
  readonly url: URL
  /** `{}` for the connection, the `start` message's `data` string. */
  readonly body: string
  /** A header AppSync rejected: its mode's identity is refreshed (once) instead of resolved. */
  readonly rejected?: AuthHeader | undefined
}

// The headers AppSync's real-time protocol signs (IAM) along with the credentials.
const SIGNED_HEADERS = {
  accept: 'application/json, text/javascript',
  'content-encoding': 'amz-1.0',
  'content-type': 'application/json; charset=UTF-8',
}

/**
 * Authorizes `POST <url>` over `body` with the first usable mode of `modes` (a mode without a
 * provider or identity is skipped, as for requests) and returns the header object of AppSync's
 * real-time protocol: the HTTP API's host (never the real-time host), the client's `headers`, the
 * credential headers and, for a signature, every header it signed, since AppSync recomputes it
 * from this object.
 */
export async function authHeader(config: ResolvedConfig, request: AuthHeaderRequest): Promise<AuthHeader> {
  const reasons: SkippedMode[] = []
  for (const mode of request.modes) {
    const strategy = config.strategies.get(mode)
    if (!strategy) {
      skipMode(config, reasons, mode)
      continue
    }
    let identity: unknown
    try {
      const { rejected } = request
      identity =
        rejected?.mode == mode
          ? await strategy.refreshAfterRejection(rejected.identity)
          : await strategy.resolveIdentity({})
    } catch (error) {
      skipMode(config, reasons, mode, error)
      continue
    }
    const { url, body } = request
    // The client's own `headers` go along, as on requests (a Lambda authorizer reads them).
    const { headers } = await strategy.authorize(
      { method: 'POST', url, headers: { ...config.headers, ...SIGNED_HEADERS }, body },
      identity,
      { clock: config.clock },
    )
    const signed = /SignedHeaders=([^,\s]+)/.exec(headers['authorization'] ?? '')?.[1]?.split(';') ?? []
    const header: Record<string, string> = { host: url.host }
    for (const [name, value] of Object.entries(headers))
      if (CREDENTIAL_HEADERS.includes(name) || signed.includes(name) || name in config.headers) header[name] = value
    // AppSync wants an API key dated, as its real-time documentation shows.
    if (header['x-api-key'] && !header['x-amz-date']) header['x-amz-date'] = amzDate(config.clock.now())
    return { mode, header, identity }
  }
  throw new NoAuthModeAvailableError(reasons)
}

/** The header object as JSON in base64 (UTF-8), or base64url without padding for the subprotocol. */
export function encodeHeader(header: Readonly<Record<string, string>>, urlSafe: boolean): string {
  const text = btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(header))))
  return urlSafe ? text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : text
}

/** A request-shaped view of a header object, for `redactServerMessage`. */
export function sentWith(header: Readonly<Record<string, string>>, url: URL): HttpRequest {
  return { method: 'POST', url, headers: header, body: undefined }
}
