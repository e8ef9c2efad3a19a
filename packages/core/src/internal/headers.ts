/** Lower-cases header names; later entries win. */
type HeadersLike = ConstructorParameters<typeof Headers>[0]

export function normalizeHeaders(
  ...sources: (HeadersLike | Record<string, string> | null | undefined)[]
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const source of sources) {
    if (source === undefined || source === null) continue
    new Headers(source).forEach((value, name) => {
      out[name] = value
    })
  }
  return out
}

/** Headers that carry a credential in some mode: removed before any request leaves a mode. */
export const CREDENTIAL_HEADERS: readonly string[] = [
  'authorization',
  'x-api-key',
  'x-amz-security-token',
  'x-amz-date',
]

export function withoutCredentialHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!CREDENTIAL_HEADERS.includes(name)) out[name] = value
  }
  return out
}
