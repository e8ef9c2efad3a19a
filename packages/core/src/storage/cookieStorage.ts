import { ConfigurationError } from '../errors/ConfigurationError'
import { isDuration } from '../internal/checks'
import { cookieName, isLocalhost, serializeCookie, type CookieAttributes, type CookieJar } from './cookies'
import type { KeyValueStorage } from './types'

/** Attributes of the cookies `cookieStorage` writes; each has a safe default. */
export interface CookieStorageOptions extends Omit<CookieAttributes, 'expires'> {
  // The doc comments below are the defaults, restated for editors.
  /** Default `/` (one session for the whole site, as Amplify's). */
  readonly path?: string | undefined
  /** Default: on, except when the jar's (or this) `url` is http://localhost, where browsers keep cookies without it. */
  readonly secure?: boolean | undefined
  /**
   * Default `false`: the page's own session (`documentCookieStorage()` of `@authmode/browser`, or
   * Amplify's cookie storage) reads the tokens and refreshes them. Pass `true` when only the server
   * uses the session (as Amplify's server-side sign-in does): scripts then cannot read the tokens.
   */
  readonly httpOnly?: boolean | undefined
  /** Default `'lax'`: sent on top-level navigations from other sites, never on their subrequests. */
  readonly sameSite?: 'lax' | 'strict' | 'none' | undefined
  /**
   * Seconds a written cookie lives: default 30 days, Cognito's default refresh token lifetime; set
   * it to your app client's. A cookie outliving its refresh token only ends the session when used.
   */
  readonly maxAge?: number | undefined
  /** The page or request URL, when the jar does not have it: decides the `secure` default. */
  readonly url?: string | URL | undefined
}

/** What browsers keep of one cookie, name, value and attributes together (RFC 6265's minimum). */
export const MAX_COOKIE_BYTES = 4096
const THIRTY_DAYS = 30 * 24 * 60 * 60

/**
 * A `KeyValueStorage` in cookies: pass it as `storage` of `fromCognitoUserPool` to keep a user pool
 * session in cookies, in Amplify's layout and encoding, so that a server reads the session the page
 * signed in with (and Amplify's Next.js adapter and cookie storage read ours, and we theirs). The
 * jar is Next.js's `await cookies()` (in a Server Action, Route Handler or middleware, where Next
 * lets you set cookies) or `requestCookies(request)` for any server on Web `Request`/`Response`.
 * Make one per request: a jar holds one user's cookies.
 *
 * A cookie that would not fit (over 4096 bytes with its name and attributes, e.g. an ID token with
 * many groups) is a `ConfigurationError` that says so: the session's sign-in or refresh fails with it,
 * rather than writing a cut token.
 *
 * @example
 * ```ts
 * const cookies = requestCookies(request)
 * const session = fromCognitoUserPool({ clientId, region, storage: cookieStorage(cookies) })
 * // … use the session, then send refreshed tokens back: cookies.applyTo(response.headers)
 * ```
 */
export function cookieStorage(jar: CookieJar, options: CookieStorageOptions = {}): KeyValueStorage {
  const fail = (message: string): never => {
    throw new ConfigurationError(`cookieStorage: ${message}`)
  }
  if (
    !['get', 'set', 'delete'].every(
      (m) => typeof (jar as unknown as Record<string, unknown> | null)?.[m] === 'function',
    )
  )
    fail('the jar needs get, set and delete (Next.js `await cookies()` or `requestCookies(request)` fit).')
  const { url = jar.url, path = '/', domain, httpOnly = false, sameSite = 'lax', maxAge = THIRTY_DAYS } = options
  const secure = options.secure ?? !(url !== undefined && isLocalhost(url))
  if (!isDuration(maxAge, 1)) fail('`maxAge` must be seconds (at least 1).')
  if (!['lax', 'strict', 'none'].includes(sameSite)) fail("`sameSite` must be 'lax', 'strict' or 'none'.")
  if (sameSite === 'none' && !secure) fail("`sameSite: 'none'` needs `secure` (browsers drop the cookie otherwise).")
  const attributes: CookieAttributes = { path, domain, secure, httpOnly, sameSite, maxAge }

  return {
    getItem(key) {
      const found = jar.get(cookieName(key))
      return typeof found === 'string' ? found : (found?.value ?? null)
    },
    setItem(key, value) {
      const name = cookieName(key)
      const bytes = new TextEncoder().encode(serializeCookie(name, value, attributes)).length
      if (bytes > MAX_COOKIE_BYTES) {
        // The key's last part (idToken, accessToken, …): never the value.
        const part = key.slice(key.lastIndexOf('.') + 1)
        fail(
          `the ${part} cookie would be ${bytes} bytes, over the ${MAX_COOKIE_BYTES} browsers keep, so it is not written. ` +
            'Make the token smaller (fewer groups or custom claims in the ID token), or keep this session in another storage.',
        )
      }
      jar.set(name, value, attributes)
    },
    removeItem(key) {
      jar.delete(cookieName(key))
    },
  }
}
