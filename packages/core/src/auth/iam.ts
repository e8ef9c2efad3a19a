import { ConfigurationError } from '../errors/ConfigurationError'
import { correctClockSkew } from './clockSkew'
import { CredentialsError } from '../errors/CredentialsError'
import { memoizeIdentity, type MemoizedProvider } from '../identity/memoize'
import { wrapProviderError } from '../identity/providerError'
import { isSelfMemoized } from '../identity/selfMemoized'
import { abandonOnAbort } from '../internal/abort'
import { createSigV4Signer, type Signer, type SignerOptions } from '../sigv4/signer'
import type { AuthModeDefinition } from './definition'
import { eraseIdentity, type AwsCredentialIdentity, type ResolveIdentityOptions } from './types'

const REFRESH_WINDOW_MS = 5 * 60 * 1000

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
    create({ options: clientOptions, region, clock, events }) {
      const source = clientOptions.credentials
      if (source === undefined) return undefined
      if (region === undefined) {
        throw new ConfigurationError(
          '`region` is required for the iam mode when the endpoint is not an AppSync URL (a custom domain): pass `region`, e.g. "us-east-1".',
        )
      }
      const sign = options.signer ?? createSigV4Signer(options)
      // AWS SDK providers take identity properties; `forceRefresh` is the one they share with ours.
      const provider =
        typeof source === 'function'
          ? wrapProviderError('iam', (opts) => source({ forceRefresh: opts?.forceRefresh === true }))
          : () => Promise.resolve(checkStatic(source))
      const onFetched = (identity: AwsCredentialIdentity): void => {
        events.emit('credentialsRefreshed', { expiration: identity.expiration })
      }
      // A provider that caches by itself (fromCognitoIdentityPool) is asked on every request: its
      // answer follows sign-in and sign-out, which a second cache here would hide until expiry.
      const resolve = isSelfMemoized(source)
        ? askEachTime(provider, onFetched)
        : memoizeIdentity<AwsCredentialIdentity>(provider, {
            clock,
            refreshWindowMs: REFRESH_WINDOW_MS,
            expiration: (identity) => identity.expiration,
            onFetched,
          })
      return eraseIdentity<AwsCredentialIdentity>({
        mode: 'iam',
        resolveIdentity: async (opts) => checkResolved(await resolve(opts)),
        refreshAfterRejection: async (rejected, signal) =>
          checkResolved(await resolve.refreshAfterRejection(rejected, signal)),
        mend: correctClockSkew(clock, events),
        authorize: (request, credentials, context) =>
          sign(request, credentials, { region, service: 'appsync', signingDate: new Date(context.clock.now()) }),
      })
    },
  }
}

/** The memoized-provider shape over a provider that caches by itself. */
function askEachTime(
  provider: (options?: ResolveIdentityOptions) => Promise<AwsCredentialIdentity>,
  onFetched: (identity: AwsCredentialIdentity) => void,
): MemoizedProvider<AwsCredentialIdentity> {
  let last: AwsCredentialIdentity | undefined
  const get = (async (options = {}) => {
    const identity = await abandonOnAbort(provider(options), options.signal)
    if (identity !== last) {
      last = identity
      onFetched(identity)
    }
    return identity
  }) as MemoizedProvider<AwsCredentialIdentity>
  get.refreshAfterRejection = async (rejected, signal) => {
    // Another caller may have refreshed already: only the rejected credentials force a new fetch.
    const current = await get({ signal })
    if (current.accessKeyId !== rejected.accessKeyId) return current
    return get({ forceRefresh: true, signal })
  }
  return get
}

function checkStatic(credentials: AwsCredentialIdentity): AwsCredentialIdentity {
  if (typeof credentials !== 'object' || (credentials as unknown) === null) {
    throw new ConfigurationError(
      '`credentials` must be { accessKeyId, secretAccessKey, sessionToken? } or a credentials provider.',
    )
  }
  return credentials
}

function checkResolved(credentials: AwsCredentialIdentity): AwsCredentialIdentity {
  const c = credentials as Partial<AwsCredentialIdentity> | null
  if (
    typeof c?.accessKeyId !== 'string' ||
    c.accessKeyId === '' ||
    typeof c.secretAccessKey !== 'string' ||
    c.secretAccessKey === ''
  ) {
    throw new CredentialsError('iam: the credentials have no accessKeyId or secretAccessKey.', {
      recoverySuggestion: 'Pass { accessKeyId, secretAccessKey, sessionToken? } or an AWS SDK credentials provider.',
    })
  }
  return credentials
}
