import type { ClientOptions } from '../client/options'
import { givenOptions, readAmplifyConfig, type AmplifyConfig } from './amplifyConfig'

/** Options for `createClient`, read from an Amplify configuration file. */
export type AmplifyClientOptions = ClientOptions

/**
 * Options for `createClient` from the configuration file an Amplify app already has: Gen 2
 * `amplify_outputs.json` or Gen 1 `aws-exports.js` (the object it exports). It reads the API's
 * URL (`endpoint`), its region, its API key, its model introspection schema (`modelIntrospection`,
 * for `authMode: 'auto'`), and its authorization types as `apiAuthModes` and an `authMode` list,
 * the default type first (`API_KEY` → `apiKey`, `AMAZON_COGNITO_USER_POOLS` → `userPool`,
 * `AWS_IAM` → `iam`, `OPENID_CONNECT` → `oidc`, `AWS_LAMBDA` → `lambda`). A mode of the list
 * without a provider (no `userPool` session, no `credentials`) is skipped, as in any mode list.
 *
 * `overrides` are your own options: they win over the file (the same as spreading the result
 * into your options). Here in `@authmode/core`, and in `@authmode/node`, only the options above
 * come from the file: pass `userPool`, `oidc`, `lambda` and `credentials` yourself
 * (`@authmode/node` adds the AWS SDK's default credential chain for `iam`; the bare core needs
 * `modes: [iamMode()]` when the list has `iam`). `@authmode/browser`'s `fromAmplifyConfig` also
 * wires the file's user pool (a session read from storage) and identity pool (credentials).
 *
 * @throws {ConfigurationError} When `config` is neither file, or lacks the endpoint (or the default
 * authorization type), or holds a value of the wrong type: the message names the key and what to
 * pass instead.
 *
 * @example
 * ```ts
 * import { createClient, fromAmplifyConfig } from '@authmode/node'
 * import outputs from '../amplify_outputs.json' with { type: 'json' }
 *
 * // API key and IAM as the file says; IAM signs with the default credential chain (a Lambda's role).
 * const client = createClient(fromAmplifyConfig(outputs))
 * // Your options win: your own token provider and fetch.
 * const mine = createClient(fromAmplifyConfig(outputs, { userPool: myTokenProvider, fetch: myFetch }))
 * ```
 */
export function fromAmplifyConfig(config: AmplifyConfig, overrides?: Partial<ClientOptions>): AmplifyClientOptions {
  const given = givenOptions(overrides)
  return { ...readAmplifyConfig(config, given).options, ...given } as ClientOptions
}
