import { ConfigurationError } from '../errors/ConfigurationError'
import { isRegion } from '../identity/cognitoConfig'
import { appSyncRegion } from '../internal/appsync'
import { wrapCredentialsProvider } from '../identity/providerError'
import { createSigV4Signer, type Signer, type SignerOptions } from '../sigv4/signer'
import { correctClockSkew } from './clockSkew'
import type { AuthModeDefinition } from './definition'
import { identitySource, keepsSession, type Provider } from './identitySource'
import {
  eraseIdentity,
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  type SessionResolveOptions,
} from './types'

const REFRESH_WINDOW_MS = 300_000 // 5 minutes

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
 * The `iam` mode: SigV4 with service `appsync`, signed last over the exact body sent. Credentials
 * (`AwsCredentialIdentity` or any AWS SDK v3 provider) are memoized and refreshed 5 minutes
 * before they expire.
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
      const { endpoint, clock, events } = setup
      const source = setup.source as AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined
      if (source === undefined) return undefined
      const region = apiRegion(setup.region, endpoint)
      if (region === undefined) {
        throw new ConfigurationError(
          '`region` is required for iam on a custom domain (not an AppSync URL): pass `region`, e.g. "us-east-1".',
        )
      }
      const sign = options.signer ?? createSigV4Signer(options)
      const session = keepsSession(source)
      // AWS SDK providers take identity properties; `forceRefresh` is the one they share with ours.
      const provider: Provider<AwsCredentialIdentity> =
        typeof source === 'function'
          ? wrapCredentialsProvider((opts?: SessionResolveOptions) =>
              source(session ? { ...opts } : { forceRefresh: opts?.forceRefresh === true }),
            )
          : () => Promise.resolve(checkStatic(source))
      const memoized = identitySource(provider, session, {
        clock,
        refreshWindowMs: REFRESH_WINDOW_MS,
        expiration: (identity) => identity.expiration,
      })
      let last: AwsCredentialIdentity | undefined
      // Reported once per new credentials object (a fetch, or the session's new credentials). The
      // signer rejects credentials without a key id or secret (CredentialsError).
      const checked = (credentials: AwsCredentialIdentity): AwsCredentialIdentity => {
        if (credentials !== last) events.emit('credentialsRefreshed', { expiration: credentials.expiration })
        last = credentials
        return credentials
      }
      return eraseIdentity<AwsCredentialIdentity>({
        mode: 'iam',
        resolveIdentity: (opts) => memoized(opts).then(checked),
        refreshAfterRejection: (rejected, signal) => memoized.refreshAfterRejection(rejected, signal).then(checked),
        mend: correctClockSkew(clock, events),
        authorize: (request, credentials, context) =>
          sign(request, credentials, { region, service: 'appsync', signingDate: new Date(context.clock.now()) }),
      })
    },
  }
}

function checkStatic(credentials: AwsCredentialIdentity): AwsCredentialIdentity {
  if (typeof credentials !== 'object' || (credentials as unknown) === null) {
    throw new ConfigurationError(
      '`credentials` must be { accessKeyId, secretAccessKey, sessionToken? } or a credentials provider.',
    )
  }
  return credentials
}
