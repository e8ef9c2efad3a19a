import type { SyncStorage } from '../storage/browserStorage'
import { inProcessLock, type RefreshLock } from '@authmode/core'

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

interface Lease {
  readonly owner: string
  readonly expires: number
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
export function storageLeaseLock(options: StorageLeaseLockOptions): RefreshLock {
  const { storage } = options
  const leaseMs = options.leaseMs ?? 15_000
  const settleMs = options.settleMs ?? 100
  const pollMs = options.pollMs ?? 250
  const subscribe = options.subscribe ?? subscribeToStorageEvents
  const local = inProcessLock

  const read = (key: string): Lease | undefined => {
    try {
      const value = JSON.parse(storage.getItem(key) ?? 'null') as Partial<Lease> | null
      return typeof value?.owner === 'string' && typeof value.expires === 'number'
        ? { owner: value.owner, expires: value.expires }
        : undefined
    } catch {
      return undefined // unreadable: treated as free
    }
  }
  const write = (key: string, owner: string): void => {
    storage.setItem(key, JSON.stringify({ owner, expires: Date.now() + leaseMs }))
  }

  const acquire = async (key: string, owner: string): Promise<void> => {
    for (;;) {
      const lease = read(key)
      const now = Date.now()
      if (lease === undefined || lease.expires <= now) {
        write(key, owner)
        await sleep(settleMs)
        if (read(key)?.owner === owner) return
      } else {
        await changeOf(key, Math.min(Math.max(lease.expires - now, 1), pollMs), subscribe)
      }
    }
  }

  const withLease = async <T>(name: string, task: () => Promise<T>): Promise<T> => {
    const key = PREFIX + name
    const owner = randomId()
    try {
      await acquire(key, owner)
    } catch {
      // Storage refused the write (quota, blocked meanwhile): go on with the in-page lock alone
      // rather than fail the refresh.
      return task()
    }
    const renew = setInterval(() => {
      try {
        if (read(key)?.owner === owner) write(key, owner)
      } catch {
        // The lease lapses; the task still finishes.
      }
    }, leaseMs / 3)
    try {
      return await task()
    } finally {
      clearInterval(renew)
      try {
        if (read(key)?.owner === owner) storage.removeItem(key)
      } catch {
        // It expires by itself.
      }
    }
  }

  return <T>(name: string, task: () => Promise<T>): Promise<T> => local(name, () => withLease(name, task))
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
  const target = globalThis as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>
  if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') {
    return () => undefined
  }
  const onStorage = (event: StorageEvent): void => {
    listener(event.key)
  }
  target.addEventListener('storage', onStorage)
  return () => {
    target.removeEventListener?.('storage', onStorage)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

// getRandomValues, not randomUUID: the fallback matters most in insecure contexts, where
// randomUUID does not exist.
function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}
