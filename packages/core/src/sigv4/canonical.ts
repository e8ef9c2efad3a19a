// The pieces of a SigV4 canonical request, with the rules of the AWS SDK's signer
// (@smithy/signature-v4 with `uriEscapePath: true`), which the AWS test vectors pin.

// Headers the AWS SDK never signs: proxies and browsers may add, drop or rewrite them.
const UNSIGNABLE =
  /^(?:authorization|cache-control|connection|expect|from|keep-alive|max-forwards|pragma|referer|te|trailer|transfer-encoding|upgrade|user-agent|x-amzn-trace-id)$|^(?:proxy|sec)-/

/** RFC 3986 escaping: `encodeURIComponent` plus the sub-delimiters it leaves as they are. */
export function escape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * The path as AWS computes it: `URL.pathname` decoded, empty and `.` segments dropped, `..`
 * applied, then RFC 3986-escaped, so each segment is escaped exactly once however the URL spelled
 * it (`/a b` and `/a%20b` both sign as `/a%20b`; an encoded `/` counts as a separator).
 */
export function canonicalPath(pathname: string): string {
  // The usual case (`/graphql`): nothing to decode, normalize or escape.
  if (/^(\/[\w~-]+)+$/.test(pathname)) return pathname
  let path = pathname
  try {
    path = decodeURIComponent(pathname)
  } catch {
    // Not valid percent-encoding: escape the path as it is.
  }
  const segments: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '..') segments.pop()
    else if (segment !== '' && segment !== '.') segments.push(segment)
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : ''
  return escape(`/${segments.join('/')}${trailing}`).replace(/%2F/g, '/')
}

/** The query: escaped names and values, sorted by name then value; a `X-Amz-Signature` is left out. */
export function canonicalQuery(params: URLSearchParams): string {
  const pairs: string[] = []
  for (const [name, value] of params) {
    // A space (never in an escaped string, and below every character that is) sorts `a` before `a-b`.
    if (name.toLowerCase() !== 'x-amz-signature') pairs.push(`${escape(name)} ${escape(value)}`)
  }
  return pairs.sort().join('&').replace(/ /g, '=')
}

/**
 * The signed header names (`a;b;c`) and the canonical header lines (`name:value\n` each) of the
 * headers (lower-case names) and `host`: sorted by name; values with runs of spaces, tabs and line
 * breaks collapsed to one space and a leading or trailing space dropped.
 */
export function canonicalHeaders(
  headers: Readonly<Record<string, string>>,
  host: string,
): [names: string, lines: string] {
  const names = ['host']
  for (const name in headers) if (!UNSIGNABLE.test(name)) names.push(name)
  names.sort()
  let lines = ''
  for (const name of names) {
    let value = name === 'host' ? host : (headers[name] ?? '')
    if (/[\t\n\r]| {2}|^ | $/.test(value)) value = value.replace(/[\r\n \t]+/g, ' ').replace(/^ | $/g, '')
    lines += `${name}:${value}\n`
  }
  return [names.join(';'), lines]
}

const HEX_DIGITS: readonly string[] = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) =>
  (i + 256).toString(16).slice(1),
)

/** Lower-case hex. */
export function hex(bytes: Uint8Array): string {
  let text = ''
  // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- a byte indexes all 256 entries
  for (const byte of bytes) text += HEX_DIGITS[byte]!
  return text
}
