import type { Authorization } from '../auth/authorizer'
import type { ResolvedConfig } from '../client/config'
import { CREDENTIAL_HEADERS } from '../internal/headers'

// The headers AppSync's real-time protocol signs (IAM) along with the credentials.
const SIGNED_HEADERS = {
  accept: 'application/json, text/javascript',
  'content-encoding': 'amz-1.0',
  'content-type': 'application/json; charset=UTF-8',
}

/**
 * AppSync's header object for `POST <url>` over `body` (`<endpoint>/connect` and `{}` for the
 * connection, the endpoint and the `data` string for a `start`), authorized by `authorization` (the
 * mode it is up to: the first usable one, or the same one refreshed after a rejection): the HTTP
 * API's host (never the real-time host), the client's `headers`, the credential headers and, for a
 * signature, every header it signed, since AppSync recomputes it from this object. Undefined when
 * no mode is left (`authorization.kept` says why).
 */
export async function authHeader(
  config: ResolvedConfig,
  authorization: Authorization<unknown>,
  url: URL,
  body: string,
): Promise<Record<string, string> | undefined> {
  // The client's own `headers` go along, as on requests (a Lambda authorizer reads them).
  const authorized = await authorization.authorize({
    method: 'POST',
    url,
    headers: { ...config.headers, ...SIGNED_HEADERS },
    body,
  })
  if (!authorized) return undefined
  const { headers } = authorized.request
  const signed = /SignedHeaders=([^,\s]+)/.exec(headers['authorization'] ?? '')?.[1]?.split(';') ?? []
  const header: Record<string, string> = { host: url.host }
  for (const [name, value] of Object.entries(headers))
    if (CREDENTIAL_HEADERS.includes(name) || signed.includes(name) || name in config.headers) header[name] = value
  // AppSync wants an API key dated, as its real-time documentation shows: SigV4's date form, written
  // out here rather than taken from sigv4/canonical.ts (amzDate), so that apps that never sign hold
  // no module of the signer (the iam mode loads it as a chunk of its own).
  if (header['x-api-key'] && !header['x-amz-date'])
    header['x-amz-date'] = new Date(config.clock.now()).toISOString().replace(/[-:]|\.\d+/g, '')
  return header
}

/** The header object as JSON in base64 (UTF-8), or base64url without padding for the subprotocol. */
export function encodeHeader(header: Readonly<Record<string, string>>, urlSafe: boolean): string {
  const text = btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(header))))
  return urlSafe ? text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : text
}
