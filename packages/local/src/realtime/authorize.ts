// The real-time protocol's authorization, verified as an HTTP request of the same mode would be:
// the header object becomes the headers of `POST <graphql path>/connect` with body `{}` (the
// connection) or of `POST <graphql path>` with the start's `data` string as body (a start), so an
// IAM signature is checked over exactly what the client signed.
import { authenticate, type Authenticator } from '../auth/authenticate'
import type { Caller } from '../auth/caller'
import { unauthorized, type Verified } from '../auth/rejection'
import type { Decoded, HeaderObject } from './protocol'

export const GRAPHQL_PATH = '/graphql'

/** Verifies the connect header object (or why it could not be read). */
export function authorizeConnection(
  header: Decoded<HeaderObject> | undefined,
  auth: Authenticator,
): Promise<Verified<Caller>> {
  if (!header) {
    return Promise.resolve(
      unauthorized(
        'Missing authorization: send the header object as a header-<base64url JSON> subprotocol (or ?header=<base64 JSON>).',
      ),
    )
  }
  if (!header.ok) return Promise.resolve(unauthorized(header.message))
  return verify(header.value, `${GRAPHQL_PATH}/connect`, '{}', auth)
}

/** Verifies a start's `extensions.authorization` over its `data` string. */
export function authorizeStart(
  header: Decoded<HeaderObject>,
  data: string,
  auth: Authenticator,
): Promise<Verified<Caller>> {
  if (!header.ok) return Promise.resolve(unauthorized(header.message))
  return verify(header.value, GRAPHQL_PATH, data, auth)
}

async function verify(
  headers: HeaderObject,
  path: string,
  body: string,
  auth: Authenticator,
): Promise<Verified<Caller>> {
  const verified = await authenticate({ method: 'POST', path, headers, body: new TextEncoder().encode(body) }, auth)
  // The real-time protocol reports every refusal as UnauthorizedException (the client refreshes once on it).
  return verified.ok ? verified : unauthorized(verified.rejection.message)
}
