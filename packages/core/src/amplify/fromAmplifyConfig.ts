import type { ClientOptions } from '../client/options'
import { givenOptions, readAmplifyConfig, type AmplifyConfig, type ModelIntrospection } from './amplifyConfig'

/** Options for `createClient`, read from an Amplify configuration file. */
export interface AmplifyClientOptions extends ClientOptions {
  /** The file's model introspection schema: `createClient` ignores it; it is for the coming `authMode: 'auto'`. */
  readonly modelIntrospection?: ModelIntrospection | undefined
}

/**
 * `createClient` options from Gen 2 `amplify_outputs.json` or Gen 1 `aws-exports.js`: endpoint, region,
 * API key and authorization types (an `authMode` list, default first); `overrides` win. Throws
 * `ConfigurationError` naming a missing or malformed key. See the README's "From an Amplify configuration".
 *
 * @example createClient(fromAmplifyConfig(outputs, { userPool: session }))
 */
export function fromAmplifyConfig(config: AmplifyConfig, overrides?: Partial<ClientOptions>): AmplifyClientOptions {
  const given = givenOptions(overrides)
  return { ...readAmplifyConfig(config, given).options, ...given } as AmplifyClientOptions
}
