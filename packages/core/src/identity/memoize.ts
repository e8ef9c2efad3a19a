import type { Clock } from '../internal/clock'
import type { ResolveIdentityOptions } from '../auth/types'
import { abandonOnAbort } from '../internal/abort'

export interface MemoizeOptions<T> {
  readonly clock: Clock
  /** Refresh this long before expiry (capped at half of the identity's lifetime). */
  readonly refreshWindowMs: number
  /** When the identity expires, if it does. */
  readonly expiration: (identity: T) => Date | undefined
  /** Called with each newly fetched identity. */
  readonly onFetched?: ((identity: T) => void) | undefined
}

export interface MemoizedProvider<T> {
  (options?: ResolveIdentityOptions): Promise<T>
  /** A different identity than `rejected`, sharing any refresh already under way. */
  refreshAfterRejection(rejected: T, signal?: AbortSignal): Promise<T>
}

interface Cached<T> {
  readonly value: T
  readonly fetchedAt: number
  readonly expiresAt: number | undefined
}

/**
 * Single-flight memoization: concurrent callers share one fetch, identities are refreshed ahead
 * of expiry, and a failed early refresh keeps serving the identity while it is still valid.
 */
export function memoizeIdentity<T>(
  provider: (options?: ResolveIdentityOptions) => Promise<T>,
  options: MemoizeOptions<T>,
): MemoizedProvider<T> {
  const { clock } = options
  let cached: Cached<T> | undefined
  let inflight: Promise<T> | undefined

  const isExpired = (c: Cached<T>): boolean => c.expiresAt !== undefined && clock.now() >= c.expiresAt
  const isStale = (c: Cached<T>): boolean => {
    if (c.expiresAt === undefined) return false
    const window = Math.min(options.refreshWindowMs, (c.expiresAt - c.fetchedAt) / 2)
    return clock.now() >= c.expiresAt - window
  }

  // The shared fetch takes no caller's signal: one caller giving up must not fail the others.
  const fetchFresh = (forceRefresh: boolean): Promise<T> => {
    if (inflight) return inflight
    const previous = cached
    const run = (async () => {
      try {
        const value = await provider({ forceRefresh })
        cached = { value, fetchedAt: clock.now(), expiresAt: options.expiration(value)?.getTime() }
        options.onFetched?.(value)
        return value
      } catch (error) {
        // An early refresh that fails keeps the session: the old identity is still valid.
        if (!forceRefresh && previous !== undefined && !isExpired(previous)) return previous.value
        throw error
      }
    })()
    // Cleared once settled, not in a `finally` above: a provider that throws synchronously settles
    // `run` before it is stored here, which left the failure in `inflight` for every later call.
    const clear = (): void => {
      if (inflight === run) inflight = undefined
    }
    inflight = run
    run.then(clear, clear)
    return run
  }

  const get = ((opts: ResolveIdentityOptions = {}) => {
    if (!opts.forceRefresh && cached !== undefined && !isStale(cached)) return Promise.resolve(cached.value)
    return abandonOnAbort(fetchFresh(opts.forceRefresh === true), opts.signal)
  }) as MemoizedProvider<T>

  get.refreshAfterRejection = (rejected, signal) => {
    if (inflight) return abandonOnAbort(inflight, signal)
    if (cached !== undefined && cached.value !== rejected && !isExpired(cached)) return Promise.resolve(cached.value)
    cached = undefined
    return abandonOnAbort(fetchFresh(true), signal)
  }
  return get
}
