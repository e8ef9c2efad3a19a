import type { AuthMode, ResolveIdentityOptions } from '../auth/types'
import { isAuthmodeError } from '../errors/AuthmodeError'
import { CredentialsError } from '../errors/CredentialsError'
import { NoIdentityError } from '../errors/NoIdentityError'
import { TokenRefreshError } from '../errors/TokenRefreshError'

/**
 * A user's provider with its failures turned into our errors: `NoIdentityError` when it says to
 * try the next mode (`tryNext`, or the AWS SDK's `tryNextLink`), else `TokenRefreshError` (token
 * modes) or `CredentialsError` (iam). The message names the error type only, and the error itself
 * is not kept as `cause`: a provider's own message may quote a secret, and nothing we throw may
 * carry one. The AWS SDK's credential provider errors, which describe the source and never the
 * secret, are kept (message and `cause`). Our own errors pass through unchanged.
 */
export function wrapProviderError<TResult, TOptions = ResolveIdentityOptions>(
  mode: AuthMode,
  provider: (options?: TOptions) => Promise<TResult>,
): (options?: TOptions) => Promise<TResult> {
  return async (options) => {
    try {
      return await provider(options)
    } catch (error) {
      if (isAuthmodeError(error)) throw error
      const e = error as { name?: unknown; message?: unknown; tryNext?: unknown; tryNextLink?: unknown } | null
      const tryNext = e?.tryNext === true || e?.tryNextLink === true
      const name = error instanceof Error ? error.name : typeof error
      if (mode == 'iam') {
        // The AWS SDK's credential provider errors describe the source, never the secret.
        const safe = /^(Credentials)?ProviderError$/.test(name)
        throw new CredentialsError(
          `iam: the credentials provider failed (${name}${safe ? `: ${String(e?.message)}` : ''})`,
          {
            cause: safe ? error : undefined,
            tryNext,
            recoverySuggestion: 'Check the credentials source (environment, profile, role or identity pool).',
          },
        )
      }
      if (tryNext) throw new NoIdentityError(`${mode}: the token provider has no identity (${name})`)
      throw new TokenRefreshError(`${mode}: the token provider failed (${name})`, {
        recoverySuggestion: 'Check the token provider; a user may need to sign in again.',
      })
    }
  }
}
