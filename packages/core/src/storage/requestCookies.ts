import { parseCookies, serializeCookie, type CookieAttributes, type CookieJar } from './cookies'

/** The cookies of one request, and the `Set-Cookie` lines its response must carry. */
export interface RequestCookies extends CookieJar {
  readonly url: string | undefined
  /** What was set or deleted while handling the request: one `Set-Cookie` line per cookie, last write wins. */
  setCookieHeaders(): string[]
  /** The `Cookie` header as it stands after this request's writes: for what handles the request next (Next.js middleware to the page). */
  cookieHeader(): string
  /** Appends `setCookieHeaders()` to a response's headers (a `Response`'s, or a `Headers`). */
  applyTo(target: Response | Headers): void
}

const GONE = { path: '/', maxAge: 0, expires: new Date(0) } as const

/**
 * A cookie jar over a Web `Request` (its `Cookie` header and URL): for `cookieStorage` on any
 * server built on Web APIs (Route Handlers, Remix, Hono, Deno, Bun, or node:http with a `Headers`).
 * Reads see this request's writes. Make one per request and apply it to that request's response:
 * a jar never serves another user.
 *
 * @example
 * ```ts
 * export async function GET(request: Request) {
 *   const cookies = requestCookies(request)
 *   const session = fromCognitoUserPool({ clientId, region, storage: cookieStorage(cookies) })
 *   const client = createClient({ endpoint, authMode: 'userPool', userPool: session })
 *   const response = Response.json(await client.request(LIST_NOTES))
 *   cookies.applyTo(response) // the refreshed tokens, if the session refreshed
 *   return response
 * }
 * ```
 */
export function requestCookies(
  request: Request | { readonly headers: Headers; readonly url?: string },
): RequestCookies {
  const values = parseCookies(request.headers.get('cookie'))
  const lines = new Map<string, string>()
  const write = (name: string, value: string, attributes: CookieAttributes): void => {
    lines.delete(name) // the last write goes last
    lines.set(name, serializeCookie(name, value, attributes))
  }
  return {
    url: request.url,
    get: (name) => values.get(name),
    set(name, value, attributes) {
      values.set(name, value)
      write(name, value, attributes)
    },
    delete(name) {
      values.delete(name)
      write(name, '', GONE)
    },
    setCookieHeaders: () => [...lines.values()],
    cookieHeader: () => [...values].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; '),
    applyTo(target) {
      const headers = target instanceof Headers ? target : target.headers
      for (const line of lines.values()) headers.append('set-cookie', line)
    },
  }
}
