import type { KeyValueStorage } from '@authmode/core'
import { cookieStorage, type CookieJar, type CookieStorageOptions } from '@authmode/core/cookies'
import { parseCookies, serializeCookie } from '@authmode/core/internal'

/**
 * `document.cookie` as a cookie jar (for `cookieStorage`): reads and writes the cookies a server
 * reads from the `Cookie` header, URI-encoded as js-cookie (Amplify's `CookieStorage`) and Next.js
 * write them. `HttpOnly` is left out: a page cannot set it, and browsers drop a cookie that asks.
 */
export function documentCookies(): CookieJar {
  const doc = (globalThis as unknown as { document?: { cookie: string } }).document
  const jar = doc ?? { cookie: '' } // no document (SSR): nothing is read, writes go nowhere
  const write = (line: string): void => {
    jar.cookie = line
  }
  return {
    url: (globalThis as unknown as { location?: { href: string } }).location?.href,
    get: (name) => parseCookies(jar.cookie).get(name),
    set: (name, value, attributes) => {
      write(serializeCookie(name, value, { ...attributes, httpOnly: false }))
    },
    delete: (name) => {
      write(serializeCookie(name, '', { path: '/', maxAge: 0, expires: new Date(0) }))
    },
  }
}

/**
 * A user pool session kept in `document.cookie` in Amplify's layout, so that the server (with
 * `cookieStorage` over the request's cookies) and the page share one session: pass it as
 * `storage` of `fromCognitoUserPool`. Options as `cookieStorage`'s (`Secure` is off on
 * http://localhost only).
 *
 * @example fromCognitoUserPool({ clientId, region, storage: documentCookieStorage() })
 */
export function documentCookieStorage(options?: CookieStorageOptions): KeyValueStorage {
  return cookieStorage(documentCookies(), options)
}
