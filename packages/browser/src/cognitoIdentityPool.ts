import {
  fromCognitoIdentityPool as fromCognitoIdentityPoolCore,
  type CognitoIdentityPoolOptions,
  type CognitoIdentityPoolProvider,
} from '@authmode/core'
import { browserStorage } from './storage/browserStorage'

/**
 * `fromCognitoIdentityPool` of `@authmode/core` with the browser default `storage:
 * browserStorage()`: a guest's identity id is kept in `localStorage` (memory where there is none,
 * as in SSR) under Amplify's key `com.amplify.Cognito.<identityPoolId>.identityId`, so a reload, or
 * an app moving from Amplify, keeps the same guest identity and skips `GetId`. Credentials
 * themselves stay in memory. Anything you pass wins.
 *
 * @example
 * ```ts
 * import { createClient, fromCognitoIdentityPool } from '@authmode/browser'
 *
 * // A guest (no `logins`): the identity pool's unauthenticated role.
 * const credentials = fromCognitoIdentityPool({ identityPoolId: 'us-east-1:1a2b3c4d-0000-4000-8000-000000000000' })
 * const client = createClient({ endpoint, authMode: 'iam', credentials })
 * ```
 */
export function fromCognitoIdentityPool(options: CognitoIdentityPoolOptions): CognitoIdentityPoolProvider {
  // Not an object (null included): the core says what is wrong with it.
  const storage = (options as Partial<CognitoIdentityPoolOptions> | null)?.storage ?? browserStorage()
  return fromCognitoIdentityPoolCore({ ...options, storage })
}
