import { ConfigurationError } from '../errors/ConfigurationError'

type HeadersLike = ConstructorParameters<typeof Headers>[0]

/** Headers from any `HeadersInit` (or a plain record) as one record with lower-case names; later sources win. */
export function normalizeHeaders(...sources: (HeadersLike | null | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const source of sources) {
    if (!source) continue
    // A plain record of strings (the usual case) without the cost of a `Headers` object.
    if (source.constructor === Object) {
      for (const [name, value] of Object.entries(source)) out[name.toLowerCase()] = String(value).trim()
    } else {
      // A Headers object is read as it is: a copy can lose entries where `Headers` is patched
      // (msw's interceptors drop a Request's other headers when fetch added its content-type).
      ;(source instanceof Headers ? source : new Headers(source)).forEach((value, name) => (out[name] = value))
    }
  }
  return out
}

/** Headers that carry credentials: only an auth mode sets them. */
export const CREDENTIAL_HEADERS: readonly string[] = [
  'authorization',
  'x-api-key',
  'x-amz-security-token',
  'x-amz-date',
]

export function withoutCredentialHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name)))
}

/**
 * Throws unless every credential header of `headers` can be sent: `fetch` would refuse a CR, LF,
 * NUL or a character above U+00FF with a message quoting the value, and a server may read a line
 * break as the end of the header. The error names `option` (what the value came from), never the
 * value. Tabs, spaces and Latin-1 are allowed, as in HTTP.
 */
export function checkCredentialHeaders(headers: Readonly<Record<string, string>>, option: string): void {
  for (const name of CREDENTIAL_HEADERS)
    if (/[^\t\x20-\x7e\x80-\xff]/.test(headers[name] ?? ''))
      throw new ConfigurationError(`\`${option}\` has a character no header may carry (a line break, NUL…).`)
}
