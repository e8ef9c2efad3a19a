import type { SyncStorage } from '../storage/browserStorage'
import type { RefreshLock } from '@authmode/core'
import { inProcessLock } from '@authmode/core/internal'

export interface StorageLeaseLockOptions {
  /** Shared by the tabs to coordinate: `localStorage`. */
  readonly storage: SyncStorage
  /** How long a lease lasts unless renewed; a tab that died holding one blocks others this long. */
  readonly leaseMs?: number | undefined
  /** How long a writer waits before checking that its lease write was not overwritten. */
  readonly settleMs?: number | undefined
  /** How often a waiting tab looks again when no `storage` event arrives. */
  readonly pollMs?: number | undefined
  /** Calls `listener` whenever another tab changes the storage; returns an unsubscribe function. */
  readonly subscribe?: ((listener: (key: string | null) => void) => () => void) | undefined
}

const PREFIX = 'authmode.lock.'

/**
 * A cross-tab lock for browsers without Web Locks, from a lease in `localStorage`: a tab writes
 * `{ owner, expires }`, waits `settleMs`, and holds the lock if its write is still there; others
 * wait for the `storage` event of its release (or poll) and take over an expired lease. The lease
 * is renewed while the task runs and removed after it.
 *
 * The guarantee is best-effort: `localStorage` has no compare-and-set, so two tabs that both find
 * the lease free at the same moment are told apart only if each one's write reaches the other
 * within `settleMs` (browsers deliver them within a few milliseconds). A task that outlives its
 * lease (a tab frozen in the background) can overlap with the next holder. Within one page, tasks
 * never overlap.
 */
export function storageLeaseLock({
  storage,
  leaseMs = 15_000,
  settleMs = 100,
  pollMs = 250,
  subscribe = subscribeToStorageEvents,
}: StorageLeaseLockOptions): RefreshLock {
  // The lease's `{ owner, expires }`; anything unreadable counts as free (never expires > now).
  const read = (key: string): { owner?: unknown; expires?: unknown } => {
    try {
      return (JSON.parse(storage.getItem(key) ?? 'null') as object | null) ?? {}
    } catch {
      return {}
    }
  }
  const write = (key: string, owner: string): void => {
    storage.setItem(key, JSON.stringify({ owner, expires: Date.now() + leaseMs }))
  }
  const mine = (key: string, owner: string): boolean => read(key).owner === owner

  const withLease = async <T>(name: string, task: () => Promise<T>): Promise<T> => {
    const key = PREFIX + name
    // getRandomValues, not randomUUID: this fallback matters most in insecure contexts, which lack randomUUID.
    const owner = crypto.getRandomValues(new Uint32Array(4)).join('-')
    try {
      for (;;) {
        const { expires } = read(key)
        const wait = (expires as number) - Date.now()
        if (!(wait > 0)) {
          write(key, owner)
          await sleep(settleMs)
          if (mine(key, owner)) break
        } else {
          await changeOf(key, Math.min(wait, pollMs), subscribe)
        }
      }
    } catch {
      // Storage refused the write (quota, blocked meanwhile): go on with the in-page lock alone
      // rather than fail the refresh.
      return task()
    }
    const renew = setInterval(() => {
      try {
        if (mine(key, owner)) write(key, owner)
      } catch {
        // The lease lapses; the task still finishes.
      }
    }, leaseMs / 3)
    try {
      return await task()
    } finally {
      clearInterval(renew)
      try {
        if (mine(key, owner)) storage.removeItem(key)
      } catch {
        // It expires by itself.
      }
    }
  }

  return (name, task) => inProcessLock(name, () => withLease(name, task))
}

/** Resolves when `key` changes in another tab, or after `ms`. */
function changeOf(
  key: string,
  ms: number,
  subscribe: (listener: (key: string | null) => void) => () => void,
): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      unsubscribe()
      resolve()
    }
    const timer = setTimeout(done, ms)
    // `null` is what `localStorage.clear()` reports.
    const unsubscribe = subscribe((changed) => {
      if (changed === key || changed === null) done()
    })
  })
}

function subscribeToStorageEvents(listener: (key: string | null) => void): () => void {
  const onStorage = (event: StorageEvent): void => {
    listener(event.key)
  }
  // Optional calls: workers and SSR have no window events.
  const target = globalThis as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>
  target.addEventListener?.('storage', onStorage)
  return () => {
    target.removeEventListener?.('storage', onStorage)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
