import { memoizeIdentity, type MemoizedProvider } from '../identity/memoize'
import type { SkewedClock } from '../internal/clock'
import type { SessionResolveOptions } from './types'

export type Provider<T> = (options?: SessionResolveOptions) => Promise<T>

/**
 * True for a provider that caches by itself and must be asked on every request
 * (`fromCognitoUserPool`, `fromCognitoIdentityPool`): its answer follows sign-in and sign-out,
 * which a second cache here would hide until expiry.
 */
export function keepsSession(source: unknown): boolean {
  return (source as { keepsSession?: unknown } | undefined)?.keepsSession === true
}

/**
 * A mode's identities: a provider that keeps its own session is asked on every request (with the
 * client's clock, and the rejected identity when the server refused it); any other is memoized
 * (one fetch however many requests wait, refreshed `refreshWindowMs` ahead of expiry).
 */
export function identitySource<T>(
  provider: Provider<T>,
  session: boolean,
  options: {
    readonly clock: SkewedClock
    readonly refreshWindowMs: number
    readonly expiration: (identity: T) => Date | undefined
    /** The rejected token, for token providers that compare it (`rejectedToken`). */
    readonly tokenOf?: ((identity: T) => string) | undefined
  },
): MemoizedProvider<T> {
  const { clock, tokenOf } = options
  return session
    ? Object.assign((opts: SessionResolveOptions = {}) => provider({ ...opts, clock }), {
        refreshAfterRejection: (rejected: T, signal?: AbortSignal) =>
          provider({ forceRefresh: true, signal, clock, rejected, rejectedToken: tokenOf?.(rejected) }),
      })
    : memoizeIdentity(provider, options)
}
