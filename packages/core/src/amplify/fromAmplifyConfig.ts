import type { ClientOptions } from '../client/options'
import { givenOptions, readAmplifyConfig, type AmplifyConfig } from './amplifyConfig'

/** Options for `createClient`, read from an Amplify configuration file. */
export type AmplifyClientOptions = ClientOptions

/**
 * `createClient` options from Gen 2 `amplify_outputs.json` or Gen 1 `aws-exports.js`: endpoint, region,
 * API key, model introspection (for `authMode: 'auto'`) and authorization types (`apiAuthModes` and
 * an `authMode` list, default first); `overrides` win. Throws `ConfigurationError` naming a missing
 * or malformed key. See the README's "From an Amplify configuration".
 *
 * @example createClient(fromAmplifyConfig(outputs, { userPool: session }))
 */
export function fromAmplifyConfig(config: AmplifyConfig, overrides?: Partial<ClientOptions>): AmplifyClientOptions {
  const given = givenOptions(overrides)
  return { ...readAmplifyConfig(config, given).options, ...given } as ClientOptions
}
