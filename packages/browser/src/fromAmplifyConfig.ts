import type { AmplifyConfig } from '@authmode/core'
import { amplifyConfigWith, type AmplifyConfigOptions, type AmplifySessionClientOptions } from '@authmode/core/internal'
import { fromCognitoIdentityPool } from './cognitoIdentityPool'
import { fromCognitoUserPool } from './cognitoUserPool'

/**
 * Options for `createClient` from an Amplify app's configuration file (Gen 2
 * `amplify_outputs.json` or Gen 1 `aws-exports.js`), as `fromAmplifyConfig` of `@authmode/core`
 * reads them (endpoint, region, API key, the `authMode` list with the default type first), plus
 * what the file's Cognito resources give a browser:
 *
 * - its user pool: a `fromCognitoUserPool` session read from `localStorage` (signed in on an
 *   earlier visit), as `userPool`, and as `session` for `signOut`. Nobody signed in: the
 *   `userPool` mode is skipped.
 * - its identity pool: `fromCognitoIdentityPool` credentials, as `credentials`: the signed-in
 *   user's (the session's ID token as `logins`), else a guest's when the pool allows guests
 *   (`unauthenticated_identities_enabled`; in Gen 1 unless `aws_mandatory_sign_in` is `"enable"`).
 *
 * Your options (the second argument) win over the file: a `userPool` or `credentials` of yours
 * replaces what would be made (a `fromCognitoUserPool` session given as `userPool` still supplies
 * the identity pool's `logins`). `cognitoUserPool` and `cognitoIdentityPool` go to the providers
 * made here (an emulator's `endpoint`, another `storage`, …).
 *
 * The session reads storage once, on first use: after a sign-in, pass the new session as
 * `userPool` (and make a new client), as below.
 *
 * @throws {ConfigurationError} When `config` is neither file, lacks the endpoint, or holds a value
 * of the wrong type: the message names the key.
 *
 * @example
 * ```ts
 * import { createClient, fromAmplifyConfig, fromCognitoUserPool, signInWithPassword, signOut } from '@authmode/browser'
 * import outputs from '../amplify_outputs.json'
 *
 * // Signed in on an earlier visit: the user pool; a guest: the next mode the file lists (API key, guest IAM).
 * const options = fromAmplifyConfig(outputs)
 * let client = createClient(options)
 * const { listPosts } = await client.request(LIST_POSTS)
 *
 * // A sign-in: the new session is the user pool, and the identity pool's login.
 * const clientId = outputs.auth.user_pool_client_id
 * const tokens = await signInWithPassword({ clientId, region: outputs.auth.aws_region, username, password })
 * const session = fromCognitoUserPool({ clientId, tokens })
 * client = createClient(fromAmplifyConfig(outputs, { userPool: session }))
 * // A sign-out: the next request goes as a guest.
 * await signOut(session)
 * ```
 */
export function fromAmplifyConfig(config: AmplifyConfig, options?: AmplifyConfigOptions): AmplifySessionClientOptions {
  return amplifyConfigWith({ fromCognitoUserPool, fromCognitoIdentityPool }, config, options)
}
