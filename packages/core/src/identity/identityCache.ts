import type { ResolveIdentityOptions } from '../auth/types'
import { abandonOnAbort } from '../internal/abort'
import type { Clock } from '../internal/clock'

export interface MemoizeOptions<T> {
  readonly clock: Clock
  /** Refresh this long before expiry (capped at half of the identity's lifetime). */
  readonly refreshWindowMs: number
  /** When the identity expires, if it does, judged when it arrives (`now`, of the clock). */
  readonly expiration: (identity: T, now: number) => Date | undefined
}

/** An identity cache (`memoizeIdentity`): call it for the identity. */
export interface MemoizedProvider<T> {
  /** The identity: the one held while fresh, else fetched (also with `forceRefresh`). */
  (options?: ResolveIdentityOptions): Promise<T>
  /**
   * After the server rejected `rejected`: the identity held when it is another, still valid one
   * (another caller's refresh replaced it); else a forced refresh, shared with any under way.
   */
  refreshAfterRejection(rejected: T | undefined, signal?: AbortSignal): Promise<T>
  /** The identity held (also once stale or rejected, for what refreshes it); undefined when cleared. */
  current(): T | undefined
  /**
   * Holds `identity` as if just fetched, its lifetime counted from `issuedAt` (ms of the clock;
   * default now); true while it needs no refresh.
   */
  set(identity: T, issuedAt?: number): boolean
  /** Forgets the identity (a sign-out); a fetch under way no longer stores what it gets. */
  clear(): void
}

// How long a failed early refresh is not tried again; the longest backoff after a failed required one.
const PAUSE_MS = 10_000

/**
 * The identity cache of every provider: concurrent callers share one fetch (single flight),
 * identities are refreshed `refreshWindowMs` ahead of expiry (at most half their lifetime), a
 * failed early refresh keeps the identity while it is valid and is tried again after a pause, a
 * failed required refresh is every caller's failure until a backoff has passed (1 s, doubling up to
 * the pause), and after a rejection a newer valid identity is handed out instead of refreshing
 * again. A caller's abort leaves only that caller: the shared fetch goes on. An identity without
 * expiration never goes stale.
 *
 * @example
 * ```ts
 * const credentials = memoizeIdentity(fromNodeProviderChain(), {
 *   clock: { now: () => Date.now() },
 *   refreshWindowMs: 300_000,
 *   expiration: (c) => c.expiration,
 * })
 * await credentials({ signal })
 * ```
 */
export function memoizeIdentity<T>(
  provider: (options: { forceRefresh: boolean }) => Promise<T>,
  options: MemoizeOptions<T>,
): MemoizedProvider<T> {
  const { clock, refreshWindowMs, expiration } = options
  // Times in ms; NaN for an identity that never expires (no time is at or after NaN), -Infinity
  // with none held.
  let held: T | undefined
  let staleAt = -Infinity
  let expiresAt = -Infinity
  let inflight: Promise<T> | undefined
  // The last failure of a required refresh, shared until `retryAt`; the backoff grows with each one.
  let failure: Error
  let retryAt = 0
  let backoff = 0

  // Not yet `time` (always, for NaN).
  const before = (time: number): boolean => !(clock.now() >= time)

  const set = (identity: T, issuedAt = clock.now()): boolean => {
    held = identity
    retryAt = backoff = 0
    expiresAt = expiration(identity, clock.now())?.getTime() ?? NaN
    staleAt = expiresAt - Math.min(refreshWindowMs, (expiresAt - issuedAt) / 2)
    return before(staleAt)
  }

  // The shared fetch takes no caller's signal: one caller giving up must not fail the others.
  const refresh = (forceRefresh: boolean): Promise<T> => {
    if (inflight) return inflight
    // A required refresh failed a moment ago: its failure again, not another call (a stampede on a
    // failing service).
    if (before(retryAt)) return Promise.reject(failure)
    // Set once `fetch` has begun; undefined still when the provider throws synchronously.
    let run: Promise<T> | undefined = undefined
    const fetch = async (): Promise<T> => {
      try {
        const identity = await provider({ forceRefresh })
        // Unless cleared meanwhile.
        if (inflight === run) set(identity)
        return identity
      } catch (error) {
        if (before(expiresAt)) {
          if (!forceRefresh) {
            staleAt = Math.min(clock.now() + PAUSE_MS, expiresAt)
            return held as T
          }
        } else if (inflight === run && !(error as { tryNext?: unknown } | null)?.tryNext) {
          // A required refresh (no valid identity left). Not "no identity": a state, not a failing
          // service (a sign-in may follow at once); nor after a clear.
          failure = error as Error
          retryAt = clock.now() + (backoff = Math.min(backoff * 2 || 1000, PAUSE_MS))
        }
        throw error
      }
    }
    run = fetch()
    // Cleared once settled, not in a `finally` above: a provider that throws synchronously settles
    // `run` before it is stored here, which left the failure in `inflight` for every later call.
    const clear = (): void => {
      if (inflight === run) inflight = undefined
    }
    inflight = run
    run.then(clear, clear)
    return run
  }

  return Object.assign(
    ({ forceRefresh = false, signal }: ResolveIdentityOptions = {}): Promise<T> =>
      !forceRefresh && before(staleAt) ? Promise.resolve(held as T) : abandonOnAbort(refresh(forceRefresh), signal),
    {
      refreshAfterRejection: (rejected: T | undefined, signal?: AbortSignal): Promise<T> => {
        if (held !== rejected && before(expiresAt)) return Promise.resolve(held as T)
        // Never handed out again, nor kept when the refresh fails.
        if (held === rejected) expiresAt = staleAt = -Infinity
        return abandonOnAbort(refresh(true), signal)
      },
      current: () => held,
      set,
      clear: () => {
        held = inflight = undefined
        staleAt = expiresAt = retryAt = -Infinity
      },
    },
  )
}
