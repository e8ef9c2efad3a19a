import { memoizeIdentity } from '../identity/identityCache'
import type { SkewedClock } from '../internal/clock'
import type { SessionResolveOptions } from './types'

export type Provider<T> = (options?: SessionResolveOptions) => Promise<T>

/** How a mode asks for its identities. */
export interface IdentitySource<T> {
  (options?: SessionResolveOptions): Promise<T>
  /** After the server rejected `rejected`: a different identity (one shared refresh). */
  refreshAfterRejection(rejected: T, signal?: AbortSignal): Promise<T>
}

/**
 * True for a provider marked `keepsSession: true`: it keeps its own session (ours are built on the
 * identity cache: `fromCognitoUserPool`, `fromCognitoIdentityPool`, `fromAmazonCognitoIdentityJs`;
 * or a user's own) and is asked on every request, so its answer follows sign-in and sign-out at
 * once: it may answer `NoIdentityError` (signed out) or another user's token at any time.
 */
export function keepsSession(source: unknown): boolean {
  return (source as { keepsSession?: unknown } | undefined)?.keepsSession === true
}

/**
 * A mode's identities: a provider that keeps its own session is asked on every request (with the
 * client's clock, and the rejected identity when the server refused it), never behind a second
 * cache; any other goes through the identity cache (one fetch however many requests wait,
 * refreshed `refreshWindowMs` ahead of expiry).
 */
export function identitySource<T>(
  provider: Provider<T>,
  session: boolean,
  options: {
    readonly clock: SkewedClock
    readonly refreshWindowMs: number
    readonly expiration: (identity: T, now: number) => Date | undefined
    /** The rejected token, for token providers that compare it (`rejectedToken`). */
    readonly tokenOf?: ((identity: T) => string) | undefined
  },
): IdentitySource<T> {
  const { clock, tokenOf } = options
  return session
    ? Object.assign((opts: SessionResolveOptions = {}) => provider({ ...opts, clock }), {
        refreshAfterRejection: (rejected: T, signal?: AbortSignal) =>
          provider({ forceRefresh: true, signal, clock, rejected, rejectedToken: tokenOf?.(rejected) }),
      })
    : memoizeIdentity(provider, options)
}
