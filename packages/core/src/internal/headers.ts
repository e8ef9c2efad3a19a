type HeadersLike = ConstructorParameters<typeof Headers>[0]

/** Headers from any `HeadersInit` (or a plain record) as one record with lower-case names; later sources win. */
export function normalizeHeaders(...sources: (HeadersLike | null | undefined)[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const source of sources) {
    if (!source) continue
    // A plain record of strings (the usual case) without the cost of a `Headers` object.
    if (Object.getPrototypeOf(source) == Object.prototype) {
      for (const [name, value] of Object.entries(source)) out[name.toLowerCase()] = String(value).trim()
    } else {
      new Headers(source).forEach((value, name) => (out[name] = value))
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
