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
 * The `iam` mode: SigV4 with service `appsync` (or the `service` of a `createAuthFetch`), signed
 * last over the exact body sent. Credentials (`AwsCredentialIdentity` or any AWS SDK v3 provider)
 * are memoized and refreshed 5 minutes before they expire. SigV4 is a separate chunk, loaded on the
 * first `iam` request, so an app that registers `iam` but never uses it does not load it.
 *
 * @example
 * ```ts
 * import { createClient, iamMode } from '@authmode/core'
 * const client = createClient({ endpoint, authMode: 'iam', credentials, modes: [iamMode()] })
 * ```
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
