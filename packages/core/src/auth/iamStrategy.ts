import { ConfigurationError } from '../errors/ConfigurationError'
import { CredentialsError } from '../errors/CredentialsError'
import { NetworkError } from '../errors/NetworkError'
import { wrapCredentialsProvider } from '../identity/providerError'
import type { Signer } from '../sigv4/signer'
import type { Answer } from './authorizer'
import type { ModeSetup } from './definition'
import type { IamModeOptions } from './iam'
import { identitySource, keepsSession, type Provider } from './identitySource'
import {
  eraseIdentity,
  type AuthStrategy,
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  type SessionResolveOptions,
} from './types'

const REFRESH_WINDOW_MS = 300_000 // 5 minutes

export const CREDENTIALS_SHAPE =
  '`credentials` must be { accessKeyId, secretAccessKey, sessionToken? } or a credentials provider.'

/**
 * The `iam` mode's strategy for one client: memoized credentials, and SigV4 from a chunk loaded on
 * the first signature (auth/iamSigning.ts); a failed load is tried again on the next request.
 */
export function iamStrategy(setup: ModeSetup, region: string, options: IamModeOptions): AuthStrategy {
  const { clock, events } = setup
  const source = setup.source as AwsCredentialIdentity | AwsCredentialIdentityProvider
  const session = keepsSession(source)
  // AWS SDK providers take identity properties; `forceRefresh` is the one they share with ours.
  const provider: Provider<AwsCredentialIdentity> =
    typeof source === 'function'
      ? wrapCredentialsProvider((opts?: SessionResolveOptions) =>
          source(session ? { ...opts } : { forceRefresh: opts?.forceRefresh === true }),
        )
      : () => Promise.resolve(source)
  const memoized = identitySource(provider, session, {
    clock,
    refreshWindowMs: REFRESH_WINDOW_MS,
    expiration: (identity) => identity.expiration,
  })
  let last: AwsCredentialIdentity | undefined
  // Checked and reported once per new credentials object (a fetch, or the session's new credentials).
  const checked = (credentials: AwsCredentialIdentity): AwsCredentialIdentity => {
    if (credentials !== last) {
      if (!credentials.accessKeyId || !credentials.secretAccessKey) {
        throw new CredentialsError('SigV4: the credentials have no accessKeyId or secretAccessKey.', {
          recoverySuggestion: CREDENTIALS_SHAPE,
        })
      }
      events.emit('credentialsRefreshed', { expiration: credentials.expiration })
    }
    last = credentials
    return credentials
  }
  let sign: Signer | undefined = options.signer
  let mend: ((answer: Answer) => boolean) | undefined
  let refused: ((answer: Answer) => boolean) | undefined
  let loading: Promise<Signer> | undefined
  // The signer's chunk, and beside it (in parallel) the default hash's unless a hash was given:
  // @authmode/node passes Node's own, so Node never loads the JS one.
  const signer = (): Promise<Signer> =>
    (loading ??= Promise.all([
      import('./iamSigning'),
      options.sha256 ?? import('./defaultSha256').then((module) => module.Sha256),
    ]).then(
      ([module, hash]) => {
        mend = module.correctClockSkew(clock, events)
        refused = module.credentialsRefused
        return (sign ??= module.signerWith(hash))
      },
      (cause: unknown) => {
        loading = undefined
        throw new NetworkError('import', 'the SigV4 signer (a chunk of @authmode/core)', cause)
      },
    ))
  return eraseIdentity<AwsCredentialIdentity>({
    mode: 'iam',
    resolveIdentity: (opts) => memoized(opts).then(checked),
    // Plain credentials have nothing to refresh: the authorizer then does not resend them (issue 19).
    refreshAfterRejection:
      typeof source === 'function'
        ? (rejected, signal) => memoized.refreshAfterRejection(rejected, signal).then(checked)
        : undefined,
    // Called on an answer only, after `authorize` loaded the chunk.
    mend: (answer) => mend?.(answer) ?? false,
    refused: (answer) => refused?.(answer) ?? false,
    authorize: (request, credentials, context) => {
      const scope = { region, service: 'appsync', ...context.signing, signingDate: new Date(context.clock.now()) }
      // Once loaded, signed without a promise hop.
      const signed =
        mend && sign ? sign(request, credentials, scope) : signer().then((s) => s(request, credentials, scope))
      // The signer (a chunk that imports none of our errors) refuses a query it cannot decode with
      // decodeURIComponent's URIError; only a URL with a query can meet it.
      return request.url.search ? signed.catch(undecodableQuery) : signed
    },
  })
}

function undecodableQuery(error: unknown): never {
  throw error instanceof URIError
    ? new ConfigurationError("SigV4: a `%` in the URL's query encodes no UTF-8; use encodeURIComponent.")
    : error
}
