import { ConfigurationError } from '../errors/ConfigurationError'
import { isRegion } from '../identity/cognitoConfig'
import { appSyncRegion } from '../internal/appsync'
import type { Signer, SignerOptions } from '../sigv4/signer'
import type { AuthModeDefinition } from './definition'
import { CREDENTIALS_SHAPE, iamStrategy } from './iamStrategy'

/** The API's region for signing: `region` when given (checked), else read from an AppSync endpoint. */
export function apiRegion(region: unknown, endpoint: URL): string | undefined {
  if (region === undefined) return appSyncRegion(endpoint)
  if (isRegion(region)) return region
  throw new ConfigurationError(`\`region\` must be an AWS region, e.g. "us-east-1", not ${JSON.stringify(region)}.`)
}

export interface IamModeOptions extends SignerOptions {
  /** Replaces the SigV4 signer entirely. */
  readonly signer?: Signer | undefined
}

/**
 * The `iam` mode (SigV4 over the exact body sent) for the bare core (the browser and node packages
 * register it); the signer is a chunk of its own, loaded on the first `iam` request.
 *
 * @example createClient({ endpoint, authMode: 'iam', credentials, modes: [iamMode()] })
 */
export function iamMode(options: IamModeOptions = {}): AuthModeDefinition {
  return {
    mode: 'iam',
    option: 'credentials',
    create(setup) {
      const { source } = setup
      if (source === undefined) return undefined
      if (typeof source !== 'function' && (typeof source !== 'object' || !source)) {
        throw new ConfigurationError(CREDENTIALS_SHAPE)
      }
      const region = apiRegion(setup.region, setup.endpoint)
      if (region === undefined) {
        throw new ConfigurationError(
          '`region` is required for iam on a custom domain (not an AppSync URL): pass `region`, e.g. "us-east-1".',
        )
      }
      return iamStrategy(setup, region, options)
    },
  }
}
