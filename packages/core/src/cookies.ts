// `@authmode/core/cookies`: user pool sessions in cookies, for server-side rendering (Next.js
// `cookies()`, Web `Request`/`Response`). Re-exported by `@authmode/browser` and `@authmode/node`;
// an entry of its own so that the core's published types and its other bundles stay as they were.
export { cookieStorage } from './storage/cookieStorage'
export type { CookieStorageOptions } from './storage/cookieStorage'
export { requestCookies } from './storage/requestCookies'
export type { RequestCookies } from './storage/requestCookies'
export type { CookieAttributes, CookieJar } from './storage/cookies'
