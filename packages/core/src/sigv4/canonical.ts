// The pieces of a SigV4 canonical request, with the rules of the AWS SDK's signer
// (@smithy/signature-v4, as the SDK configures it: `uriEscapePath` for every service but S3), which
// the AWS test vectors and the differential test (test/sigv4.differential.test.ts) pin.

// Headers the AWS SDK never signs: proxies and browsers may add, drop or rewrite them.
const UNSIGNABLE =
  /^(?:authorization|cache-control|connection|expect|from|keep-alive|max-forwards|pragma|referer|te|trailer|transfer-encoding|upgrade|user-agent|x-amzn-trace-id)$|^(?:proxy|sec)-/

/** RFC 3986 escaping: `encodeURIComponent` plus the sub-delimiters it leaves as they are. */
export function escape(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * The path as AWS computes it from the path as sent (`URL.pathname`, already percent-encoded once).
 * S3 signs it as it is. Every other service drops empty and `.` segments, applies `..` and escapes
 * each segment once more, without decoding it first: `/a%20b` signs as `/a%2520b`, and an encoded
 * `/` (`%2F`) stays inside its segment.
 */
export function canonicalPath(pathname: string, s3: boolean): string {
  // S3, and the usual case (`/graphql`): nothing to normalize or escape.
  if (s3 || /^(\/[\w~-]+)+$/.test(pathname)) return pathname
  const segments: string[] = []
  for (const segment of pathname.split('/')) {
    if (segment === '..') segments.pop()
    else if (segment !== '' && segment !== '.') segments.push(escape(segment))
  }
  return `/${segments.join('/')}${segments.length > 0 && pathname.endsWith('/') ? '/' : ''}`
}

/**
 * The query (`URL.search`): names and values decoded, escaped (RFC 3986) and sorted by name then
 * value; a name without `=` gets an empty value; an `X-Amz-Signature` is left out. As in the AWS
 * SDK, which signs decoded names and values and reads a query with `decodeURIComponent`: a `+` is a
 * plus (`%2B`), not a space as `URLSearchParams` reads it; and a `%` that does not encode UTF-8
 * (`%E2%82`, a lone `%`) has no decoded form, so it is refused: `decodeURIComponent`'s `URIError`,
 * which the iam mode reports as a `ConfigurationError` (auth/iamStrategy.ts).
 */
export function canonicalQuery(search: string): string {
  const pairs: string[] = []
  for (const pair of search.slice(1).split('&')) {
    const [name = '', ...value] = pair.split('=')
    const key = decodeURIComponent(name)
    // A space (never in an escaped string, and below every character that is) sorts `a` before `a-b`.
    if (pair && key.toLowerCase() !== 'x-amz-signature')
      pairs.push(`${escape(key)} ${escape(decodeURIComponent(value.join('=')))}`)
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

// The last second formatted and its text: a signer asks on every request, and the text changes
// once a second.
let lastSecond: number | undefined
let lastText: string

/** SigV4's `x-amz-date` form of a time: `YYYYMMDDTHHMMSSZ`. */
export function amzDate(time: number): string {
  const second = Math.floor(time / 1000)
  if (second !== lastSecond) {
    lastText = new Date(time).toISOString().replace(/[-:]|\.\d+/g, '')
    lastSecond = second
  }
  return lastText
}
