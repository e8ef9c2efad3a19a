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

// Times in ms; NaN for an identity that never expires (no time is at or after NaN).
interface Cached<T> {
  readonly value: T
  readonly staleAt: number
  readonly expiresAt: number
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

  // Not yet `time` (always, for NaN).
  const before = (time: number): boolean => !(clock.now() >= time)

  // The shared fetch takes no caller's signal: one caller giving up must not fail the others.
  const fetchFresh = (forceRefresh: boolean): Promise<T> => {
    if (inflight) return inflight
    const previous = cached
    const run = (async () => {
      try {
        const value = await provider({ forceRefresh })
        const expiresAt = options.expiration(value)?.getTime() ?? NaN
        // Stale once inside the refresh window, at most half of the lifetime left.
        const window = Math.min(options.refreshWindowMs, (expiresAt - clock.now()) / 2)
        cached = { value, staleAt: expiresAt - window, expiresAt }
        options.onFetched?.(value)
        return value
      } catch (error) {
        // An early refresh that fails keeps the session: the old identity is still valid.
        if (!forceRefresh && previous && before(previous.expiresAt)) return previous.value
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
    if (!opts.forceRefresh && cached && before(cached.staleAt)) return Promise.resolve(cached.value)
    return abandonOnAbort(fetchFresh(opts.forceRefresh === true), opts.signal)
  }) as MemoizedProvider<T>

  get.refreshAfterRejection = (rejected, signal) => {
    if (inflight) return abandonOnAbort(inflight, signal)
    if (cached && cached.value !== rejected && before(cached.expiresAt)) return Promise.resolve(cached.value)
    cached = undefined
    return abandonOnAbort(fetchFresh(true), signal)
  }
  return get
}
