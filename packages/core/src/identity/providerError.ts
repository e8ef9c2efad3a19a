import type { AuthMode, ResolveIdentityOptions } from '../auth/types'
import { CredentialsError } from '../errors/CredentialsError'
import { isAuthmodeError } from '../errors/AuthmodeError'
import { NoIdentityError } from '../errors/NoIdentityError'
import { TokenRefreshError } from '../errors/TokenRefreshError'

function isTryNext(error: unknown): boolean {
  const e = error as { tryNext?: unknown; tryNextLink?: unknown } | null
  return typeof e === 'object' && e !== null && (e.tryNext === true || e.tryNextLink === true)
}

/**
 * Gives a user's provider typed failures: authmode errors pass through; anything else becomes a
 * `TokenRefreshError` (token modes) or `CredentialsError` (iam). The original stays in `cause`,
 * and the message names only its type, as a provider's own message may quote what it was given.
 */
export function wrapProviderError<TResult>(
  mode: AuthMode,
  provider: (options?: ResolveIdentityOptions) => Promise<TResult>,
): (options?: ResolveIdentityOptions) => Promise<TResult> {
  return async (options) => {
    try {
      return await provider(options)
    } catch (error) {
      if (isAuthmodeError(error)) throw error
      const name = error instanceof Error ? error.name : typeof error
      if (mode === 'iam') {
        throw new CredentialsError(
          `iam: the credentials provider failed (${name}${error instanceof Error && isAwsSdkMessageSafe(error) ? `: ${error.message}` : ''})`,
          {
            cause: error,
            tryNext: isTryNext(error),
            recoverySuggestion: 'Check the credentials source (environment, profile, role or identity pool).',
          },
        )
      }
      if (isTryNext(error))
        throw new NoIdentityError(`${mode}: the token provider has no identity (${name})`, { cause: error })
      throw new TokenRefreshError(`${mode}: the token provider failed (${name})`, {
        cause: error,
        recoverySuggestion: 'Check the token provider; a user may need to sign in again.',
      })
    }
  }
}

// The AWS SDK's credential provider errors describe the source, never the secret.
function isAwsSdkMessageSafe(error: Error): boolean {
  return error.name === 'CredentialsProviderError' || error.name === 'ProviderError'
}
