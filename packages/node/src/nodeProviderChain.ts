import { CredentialsError, type AwsCredentialIdentity, type AwsCredentialIdentityProvider } from '@authmode/core'
import type { DefaultProviderInit } from '@aws-sdk/credential-provider-node'

/**
 * The AWS SDK's default Node credential chain (`fromNodeProviderChain`: environment and Lambda
 * variables, SSO and ini profiles, credential_process, web identity, ECS container credentials,
 * EC2 IMDSv2), imported on its first call so that a process that never signs a request never
 * loads it. The chain caches and refreshes its credentials itself. It is what `createClient` of
 * `@authmode/node` uses when no `credentials` are given.
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
  return async (properties) => {
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
    return provider(properties)
  }
}
