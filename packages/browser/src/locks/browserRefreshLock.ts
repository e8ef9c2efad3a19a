import { usableLocalStorage } from '../storage/browserStorage'
import { inProcessLock, type RefreshLock } from '@authmode/core'
import { storageLeaseLock } from './storageLeaseLock'
import { webLocksLock } from './webLocksLock'

/** What `browserRefreshLock` coordinates with: the strongest mechanism the environment has. */
export type RefreshLockKind = 'web-locks' | 'storage-lease' | 'in-process'

/**
 * The lock `fromCognitoUserPool` of `@authmode/browser` refreshes under, so that tabs of one
 * origin never use a (rotating) refresh token twice:
 * - **Web Locks** (`navigator.locks`, every current browser in a secure context): exclusive across
 *   every tab and worker of the origin; a tab that closes or crashes releases its lock. See
 *   `webLocksLock` for why the lock is kept a moment after each refresh.
 * - else a **`localStorage` lease** (insecure contexts, old browsers): best-effort, see
 *   `storageLeaseLock`;
 * - else **in-process** only (SSR, Node, workers without Web Locks): one task at a time per page.
 *
 * @example
 * ```ts
 * import { browserRefreshLock, fromCognitoUserPool } from '@authmode/browser'
 * const lock = browserRefreshLock()
 * console.log(lock.kind) // 'web-locks' in a current browser
 * const session = fromCognitoUserPool({ clientId, region: 'us-east-1', lock })
 * ```
 */
export function browserRefreshLock(): RefreshLock & { readonly kind: RefreshLockKind } {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  if (typeof locks?.request === 'function') return Object.assign(webLocksLock(locks), { kind: 'web-locks' as const })
  const storage = usableLocalStorage()
  return storage
    ? Object.assign(storageLeaseLock({ storage }), { kind: 'storage-lease' as const })
    : // A new function: `kind` must not be set on the core's shared one.
      Object.assign<RefreshLock, { kind: 'in-process' }>((name, task) => inProcessLock(name, task), {
        kind: 'in-process',
      })
}
