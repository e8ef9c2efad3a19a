import { iamMode, type AuthFetch, type AuthFetchOptions, type Client, type ClientOptions } from '@authmode/core'
import { authFetchWith, clientWith, type ClientDefaults } from '@authmode/core/internal'

// The public surface of the core (never its internal entry), plus what only browsers have.
export * from '@authmode/core'
// Browser defaults over the core's function of the same name (a local export wins over `export *`).
export { fromCognitoUserPool } from './cognitoUserPool'
export { fromCognitoIdentityPool } from './cognitoIdentityPool'
export { fromAmplifyConfig } from './fromAmplifyConfig'
export type { AmplifyConfigOptions, AmplifySessionClientOptions } from '@authmode/core/internal'
export { browserStorage } from './storage/browserStorage'
export type { SyncStorage } from './storage/browserStorage'
export { documentCookieStorage, documentCookies } from './storage/documentCookies'
export { cookieStorage, requestCookies } from '@authmode/core/cookies'
export type { CookieAttributes, CookieJar, CookieStorageOptions, RequestCookies } from '@authmode/core/cookies'
export { browserRefreshLock } from './locks/browserRefreshLock'
export type { BrowserRefreshLockOptions, RefreshLockKind } from './locks/browserRefreshLock'
export { storageLeaseLock } from './locks/storageLeaseLock'
export { webLocksLock } from './locks/webLocksLock'
export type { StorageLeaseLockOptions } from './locks/storageLeaseLock'

/** Browsers may not set `User-Agent`; AWS services read this header instead. */
const USER_AGENT = 'authmode/0.1.0 browser'

/**
 * `createClient` of `@authmode/core` with browser defaults: every mode registered and an
 * `x-amz-user-agent` header. Anything you pass wins. For the smallest API-key-only bundle, use
 * `@authmode/core` directly: it registers no SigV4.
 *
 * @example
 * ```ts
 * import { createClient } from '@authmode/browser'
 * const client = createClient({ endpoint, apiKey: 'da2-…', authMode: 'apiKey' })
 * ```
 */
export function createClient(options: ClientOptions): Client {
  return clientWith(browserDefaults(), options)
}

/** `createAuthFetch` of `@authmode/core` with the browser defaults of `createClient`. */
export function createAuthFetch(from: ClientOptions | Client, options?: AuthFetchOptions): AuthFetch {
  return authFetchWith(browserDefaults(), from, options)
}

const browserDefaults = (): ClientDefaults => ({ headers: { 'x-amz-user-agent': USER_AGENT }, modes: [iamMode()] })
