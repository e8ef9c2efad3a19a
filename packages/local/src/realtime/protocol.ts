// AppSync's real-time protocol (its own `graphql-ws`, not the graphql-ws library's): the messages a
// client sends, the answers' shapes, and the connect header object (in a `header-<base64url JSON>`
// subprotocol, or the legacy `?header=<base64 JSON>&payload=e30=` query).

export const REALTIME_PATH = '/graphql/realtime'
export const SUBPROTOCOL = 'graphql-ws'

/** A message from a client, once it parsed as a JSON object with a string `type`. */
export interface ClientMessage {
  readonly type: string
  readonly id: string | undefined
  readonly payload: unknown
}

/** An error entry as AppSync's real-time messages carry them (`payload.errors[]`). */
export interface RealtimeError {
  readonly errorType: string
  readonly message: string
  readonly errorCode?: number
}

/** What a header object or a start's `authorization` decoded to: lower-cased names, string values. */
export type HeaderObject = Readonly<Record<string, string>>

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string }

/** Parses one WebSocket text frame; undefined when it is not JSON or not a `{ type: string }` object. */
export function parseClientMessage(raw: string): ClientMessage | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const { type, id, payload } = parsed as Record<string, unknown>
  if (typeof type !== 'string') return undefined
  // Ids are echoed and logged: a non-empty string of a sane length.
  return { type, id: typeof id === 'string' && id !== '' && id.length <= 128 ? id : undefined, payload }
}

export function errorsPayload(...errors: RealtimeError[]): { readonly errors: readonly RealtimeError[] } {
  return { errors }
}

/**
 * The connect header object from the upgrade request: the `header-…` subprotocol (base64url) wins
 * over the legacy `header` query parameter (base64). Undefined when neither was sent.
 */
export function connectHeader(protocols: readonly string[], search: string): Decoded<HeaderObject> | undefined {
  const fromProtocol = protocols.find((p) => p.startsWith('header-'))?.slice('header-'.length)
  if (fromProtocol !== undefined) return decodeHeader(fromProtocol, 'base64url')
  const fromQuery = new URLSearchParams(search).get('header')
  // A `+` sent unescaped in the query reads as a space.
  if (fromQuery !== null) return decodeHeader(fromQuery.replace(/ /g, '+'), 'base64')
  return undefined
}

function decodeHeader(encoded: string, encoding: 'base64' | 'base64url'): Decoded<HeaderObject> {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(encoded, encoding).toString('utf8'))
  } catch {
    return { ok: false, message: `The connect header is not ${encoding} JSON of the authorization header object.` }
  }
  return headerObject(parsed, 'The connect header')
}

/**
 * Checks a header object (connect header, or a start's `extensions.authorization`): an object of
 * string values, names compared without case (`Authorization` and `authorization` are one header).
 */
export function headerObject(value: unknown, what: string): Decoded<HeaderObject> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: `${what} must be an object of headers (host and one mode's credentials).` }
  }
  const headers: Record<string, string> = {}
  for (const [name, header] of Object.entries(value as Record<string, unknown>)) {
    const lower = name.toLowerCase()
    if (typeof header !== 'string') return { ok: false, message: `${what}: header ${lower} must be a string.` }
    if (lower in headers) return { ok: false, message: `${what}: header ${lower} is given twice.` }
    headers[lower] = header
  }
  if (!headers['host']) return { ok: false, message: `${what} needs host: the GraphQL API's host.` }
  return { ok: true, value: headers }
}
