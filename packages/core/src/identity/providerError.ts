import type { AuthMode } from '../auth/types'
import { isAuthmodeError } from '../errors/AuthmodeError'
import { CredentialsError } from '../errors/CredentialsError'
import { NoIdentityError } from '../errors/NoIdentityError'
import { TokenRefreshError } from '../errors/TokenRefreshError'

// A user's provider with its failures turned into our errors. The message names the error type
// only, and the error itself is not kept as `cause`: a provider's own message may quote a secret,
// and nothing we throw may carry one. Our own errors pass through unchanged. `tryNext` (or the
// AWS SDK's `tryNextLink`) says the next mode of a list may be tried.
export function wrapFailures<TResult, TOptions>(
  provider: (options?: TOptions) => Promise<TResult>,
  toError: (name: string, tryNext: boolean, error: unknown) => Error,
): (options?: TOptions) => Promise<TResult> {
  return async (options) => {
    try {
      return await provider(options)
    } catch (error) {
      if (isAuthmodeError(error)) throw error
      const e = error as { tryNext?: unknown; tryNextLink?: unknown } | null
      throw toError(
        error instanceof Error ? error.name : typeof error,
        e?.tryNext === true || e?.tryNextLink === true,
        error,
      )
    }
  }
}

/**
 * A token or API key provider's failures as `NoIdentityError` (when it says to try the next mode)
 * or `TokenRefreshError`, naming the provider by its option (issue 19: an API key provider is not
 * a "token provider").
 */
export function wrapTokenProvider<TResult, TOptions>(
  mode: AuthMode,
  provider: (options?: TOptions) => Promise<TResult>,
): (options?: TOptions) => Promise<TResult> {
  return wrapFailures(provider, (name, tryNext) =>
    tryNext
      ? new NoIdentityError(`the ${mode} provider has no identity (${name})`)
      : new TokenRefreshError(`the ${mode} provider failed (${name})`, {
          recoverySuggestion: 'Check the provider, or sign in again.',
        }),
  )
}

/**
 * A credentials provider's failures as `CredentialsError`. The AWS SDK's credential provider
 * errors describe the source, never the secret: they keep their message and are the `cause`.
 */
export function wrapCredentialsProvider<TResult, TOptions>(
  provider: (options?: TOptions) => Promise<TResult>,
): (options?: TOptions) => Promise<TResult> {
  return wrapFailures(provider, (name, tryNext, error) => {
    const safe = /^(Credentials)?ProviderError$/.test(name)
    return new CredentialsError(
      `iam: the credentials provider failed (${name}${safe ? `: ${(error as Error).message}` : ''})`,
      {
        cause: safe ? error : undefined,
        tryNext,
        recoverySuggestion: 'Check the credentials provider and its source.',
      },
    )
  })
}
