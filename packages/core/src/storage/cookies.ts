// Cookie names, values and `Set-Cookie` lines as Amplify writes and reads them, so that a session
// in cookies is shared with Amplify's cookie storage (js-cookie in the browser) and its Next.js
// adapter (Next's cookie store on the server):
// - names: URI-encoded, leaving `# $ & + ^ ` |` as they are (adapter-nextjs `ensureEncodedForJSCookie`);
// - values: URI-encoded when written (js-cookie and Next both do), decoded when read.

/** Cookie attributes, named as Next.js's `cookies().set` takes them. */
export interface CookieAttributes {
  readonly path?: string | undefined
  readonly domain?: string | undefined
  readonly secure?: boolean | undefined
  readonly httpOnly?: boolean | undefined
  readonly sameSite?: 'lax' | 'strict' | 'none' | undefined
  /** Seconds from now; 0 or less removes the cookie. */
  readonly maxAge?: number | undefined
  readonly expires?: Date | undefined
}

/**
 * Where cookies are read and written: Next.js's `await cookies()` fits as it is, as does the jar of
 * `requestCookies(request)`. `get` gives the value as stored in the browser, decoded (Next decodes);
 * `set` encodes it.
 */
export interface CookieJar {
  get(name: string): { readonly value: string } | string | null | undefined
  set(name: string, value: string, attributes: CookieAttributes): unknown
  delete(name: string): unknown
  /** The page or request URL, when known: `Secure` is left out on http://localhost (see `cookieStorage`). */
  readonly url?: string | URL | undefined
}

/** A storage key as a cookie name, encoded as Amplify's Next.js adapter and js-cookie encode it. */
export function cookieName(key: string): string {
  return encodeURIComponent(key).replace(/%(2[346B]|5E|60|7C)/g, decodeURIComponent)
}

/** A `Set-Cookie` line (what `document.cookie` takes too): the value URI-encoded. */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  const { path, domain, secure, httpOnly, sameSite, maxAge, expires } = attributes
  const parts = [`${name}=${encodeURIComponent(value)}`]
  if (path) parts.push(`Path=${path}`)
  if (domain) parts.push(`Domain=${domain}`)
  if (maxAge !== undefined) parts.push(`Max-Age=${Math.floor(maxAge)}`)
  if (expires) parts.push(`Expires=${expires.toUTCString()}`)
  if (sameSite) parts.push(`SameSite=${sameSite.charAt(0).toUpperCase()}${sameSite.slice(1)}`)
  if (secure) parts.push('Secure')
  if (httpOnly) parts.push('HttpOnly')
  return parts.join('; ')
}

/** A `Cookie` header (or `document.cookie`) as names to decoded values; the first of a name wins. */
export function parseCookies(header: string | null | undefined): Map<string, string> {
  const found = new Map<string, string>()
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=')
    if (at < 0) continue
    const name = pair.slice(0, at).trim()
    if (name && !found.has(name)) found.set(name, decodeValue(pair.slice(at + 1).trim()))
  }
  return found
}

// As js-cookie reads: runs of %XX decoded, a malformed one left as it is; quotes around it removed.
function decodeValue(raw: string): string {
  const value = raw.startsWith('"') && raw.endsWith('"') && raw.length > 1 ? raw.slice(1, -1) : raw
  return value.replace(/(%[\dA-F]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run)
    } catch {
      return run
    }
  })
}

/** http(s)://localhost (and *.localhost, 127.x, [::1]): where browsers accept cookies without `Secure`. */
export function isLocalhost(url: string | URL): boolean {
  try {
    const { hostname } = new URL(url)
    return (
      hostname === 'localhost' || hostname.endsWith('.localhost') || hostname.startsWith('127.') || hostname === '[::1]'
    )
  } catch {
    return false
  }
}
