import {
  fromCognitoUserPool as fromCognitoUserPoolCore,
  type CognitoUserPoolOptions,
  type CognitoUserPoolSession,
} from '@authmode/core'
import { browserRefreshLock } from './locks/browserRefreshLock'
import { browserStorage } from './storage/browserStorage'

/**
 * `fromCognitoUserPool` of `@authmode/core` with browser defaults: the session is kept in
 * `localStorage` (memory where there is none, as in SSR), so a reload stays signed in, and
 * refreshes run under `browserRefreshLock()`, so tabs refresh once between them and never use a
 * rotating refresh token twice: inside the lock a tab re-reads storage and adopts the tokens
 * another tab just got. Anything you pass (`storage`, `lock`, …) wins.
 *
 * @example
 * ```ts
 * import { createClient, fromCognitoUserPool, signInWithPassword } from '@authmode/browser'
 *
 * // On load: the session stored by an earlier visit, if any.
 * let session = fromCognitoUserPool({ clientId, region: 'us-east-1' })
 * if (!(await session.currentTokens())) {
 *   const tokens = await signInWithPassword({ clientId, region: 'us-east-1', username, password })
 *   session = fromCognitoUserPool({ clientId, region: 'us-east-1', tokens }) // stored for the next visit
 * }
 * const client = createClient({ endpoint, authMode: 'userPool', userPool: session })
 * ```
 */
export function fromCognitoUserPool(options: CognitoUserPoolOptions): CognitoUserPoolSession {
  // Not an object (null included): the core says what is wrong with it.
  const given = options as Partial<CognitoUserPoolOptions> | null
  return fromCognitoUserPoolCore({
    ...options,
    storage: given?.storage ?? browserStorage(),
    lock: given?.lock ?? browserRefreshLock(),
  })
}
