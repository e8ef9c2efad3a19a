import type { RefreshLock } from '@authmode/core'

/** How long a tab keeps the lock after its task, so other tabs see what it wrote (see below). */
export const DEFAULT_HOLD_MS = 200

/**
 * A `RefreshLock` over Web Locks (`navigator.locks`): exclusive across every tab and worker of the
 * origin; a tab that closes or crashes releases its lock.
 *
 * The caller gets its task's result at once, but the lock is kept `holdMs` longer. Each tab reads
 * its own copy of `localStorage`, which the browser updates asynchronously, and nothing orders
 * that update before the lock's release: a tab granted the lock right after another one
 * refreshed could otherwise still read the old tokens and refresh again (seen in Chromium).
 */
export function webLocksLock(locks: LockManager, holdMs: number = DEFAULT_HOLD_MS): RefreshLock {
  return <T>(name: string, task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      locks
        .request(`authmode:${name}`, { mode: 'exclusive' }, async () => {
          const result = Promise.resolve().then(task)
          // The caller settles with the task (its failure included); the lock stays a moment longer.
          resolve(result)
          await result.catch(() => undefined)
          await new Promise((done) => setTimeout(done, holdMs))
        })
        // The request itself failed (e.g. a SecurityError in an opaque origin).
        .catch(reject)
    })
}
