import { CredentialsError, type AwsCredentialIdentity, type AwsCredentialIdentityProvider } from '@authmode/core'
import type { DefaultProviderInit } from '@aws-sdk/credential-provider-node'

/**
 * The AWS SDK's default Node credential chain (`fromNodeProviderChain`: environment and Lambda
 * variables, SSO and ini profiles, credential_process, web identity, ECS container credentials,
 * EC2 IMDSv2), imported on its first call so that a process that never signs a request never
 * loads it. The chain caches and refreshes its credentials itself. It is what `createClient` of
 * `@authmode/node` uses when no `credentials` are given.
 *
 * When no source has credentials, that is no identity (a `CredentialsError` with `tryNext`): a
 * mode list or `auto` goes on to its next mode, and the chain is walked again a minute later, not
 * before every request.
 *
 * @example
 * ```ts
 * import { createClient, lazyNodeProviderChain } from '@authmode/node'
 *
 * // The same as leaving `credentials` out; options go to the SDK's chain (here: a named profile).
 * const client = createClient({ endpoint, authMode: 'iam', credentials: lazyNodeProviderChain({ profile: 'ci' }) })
 * ```
 */
export function lazyNodeProviderChain(init: DefaultProviderInit = {}): AwsCredentialIdentityProvider {
  let chain: Promise<(properties?: Record<string, unknown>) => Promise<AwsCredentialIdentity>> | undefined
  // The chain found nothing a moment ago: said again until `noneUntil`, rather than walking the
  // chain (files, an IMDS timeout of a second or more) before every request that falls back.
  let none: CredentialsError | undefined
  let noneUntil = 0
  return async (properties) => {
    if (none && Date.now() < noneUntil) throw none
    chain ??= import('@aws-sdk/credential-provider-node').then(
      ({ defaultProvider }) => defaultProvider(init),
      (error: unknown) => {
        chain = undefined // a later call may try again
        throw new CredentialsError(
          'iam: the AWS SDK credential chain (@aws-sdk/credential-provider-node) could not be loaded.',
          { cause: error, recoverySuggestion: 'Install @authmode/node with its dependencies, or pass `credentials`.' },
        )
      },
    )
    const provider = await chain
    try {
      return await provider(properties)
    } catch (error) {
      // The chain's last link: no source had credentials (nor answered, as an unreachable IMDS).
      // That is "no identity now", as a signed-out user is: a mode list or `auto` goes on to its
      // next mode, and `NoAuthModeAvailableError` gives this reason when none is left.
      if (!(error instanceof Error) || error.message !== NONE_FOUND) throw error
      noneUntil = Date.now() + NONE_PAUSE_MS
      // The message is the skip reason `NoAuthModeAvailableError` lists: it says what to do itself.
      throw (none = new CredentialsError(NO_CREDENTIALS, { cause: error, tryNext: true }))
    }
  }
}

// What the SDK's chain (`defaultProvider`) throws from its last link when no source had credentials.
const NONE_FOUND = 'Could not load credentials from any providers'
const NONE_PAUSE_MS = 60_000
const NO_CREDENTIALS =
  'iam: the AWS SDK credential chain found no credentials (environment, profile, container or instance role): give the process some, or pass `credentials`'
