import type { RefreshLock } from '@authmode/core'
import { inProcessLock } from '@authmode/core/internal'
import { webLocksLock } from './webLocksLock'

/** What `browserRefreshLock` coordinates with: Web Locks, else the `fallback` given, else in-process. */
export type RefreshLockKind = 'web-locks' | 'fallback' | 'in-process'

export interface BrowserRefreshLockOptions {
  /**
   * The lock to use where there are no Web Locks (insecure contexts, browsers before 2022), e.g.
   * `storageLeaseLock({ storage: localStorage })`; default in-process (one task at a time per page).
   * Not built in, so that apps which don't need it don't bundle it.
   */
  readonly fallback?: RefreshLock | undefined
}

/**
 * The lock `fromCognitoUserPool` of `@authmode/browser` refreshes under, so that tabs of one
 * origin never use a (rotating) refresh token twice:
 * - **Web Locks** (`navigator.locks`, every current browser in a secure context): exclusive across
 *   every tab and worker of the origin; a tab that closes or crashes releases its lock. See
 *   `webLocksLock` for why the lock is kept a moment after each refresh.
 * - else the **`fallback`** you pass, such as the best-effort `localStorage` lease of
 *   `storageLeaseLock`;
 * - else **in-process** only (insecure contexts, old browsers, SSR, Node, workers without Web
 *   Locks): one task at a time per page; inside it the session re-reads storage and adopts what
 *   another tab stored, so only tabs refreshing at the very same moment can overlap.
 *
 * @example
 * ```ts
 * import { browserRefreshLock, fromCognitoUserPool, storageLeaseLock } from '@authmode/browser'
 * // Cross-tab even on http:// pages: a localStorage lease where there are no Web Locks.
 * const lock = browserRefreshLock({ fallback: storageLeaseLock({ storage: localStorage }) })
 * console.log(lock.kind) // 'web-locks' in a current browser over https
 * const session = fromCognitoUserPool({ clientId, region: 'us-east-1', lock })
 * ```
 */
export function browserRefreshLock({ fallback }: BrowserRefreshLockOptions = {}): RefreshLock & {
  readonly kind: RefreshLockKind
} {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  const [lock, kind] =
    typeof locks?.request === 'function'
      ? [webLocksLock(locks), 'web-locks' as const]
      : // A new function: `kind` must not be set on the one given, or on the core's shared one.
        [fallback ?? inProcessLock, fallback ? ('fallback' as const) : ('in-process' as const)]
  return Object.assign<RefreshLock, { kind: RefreshLockKind }>((name, task) => lock(name, task), { kind })
}
