import { afterEach, describe, expect, it, vi } from 'vitest'
import { browserRefreshLock } from '../src/locks/browserRefreshLock'
import { storageLeaseLock } from '../src/locks/storageLeaseLock'
import { webLocksLock } from '../src/locks/webLocksLock'
import type { SyncStorage } from '../src/storage/browserStorage'
import { fakeLocalStorage } from './fakeLocalStorage'

afterEach(() => {
  vi.unstubAllGlobals()
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs `tasks` through `locks` at once and records the largest number that ran at the same time. */
async function maxOverlap(
  runs: readonly { lock: <T>(name: string, task: () => Promise<T>) => Promise<T>; name: string }[],
  taskMs = 20,
): Promise<{ max: number; order: number[] }> {
  let running = 0
  let max = 0
  const order: number[] = []
  await Promise.all(
    runs.map(({ lock, name }, index) =>
      lock(name, async () => {
        running++
        max = Math.max(max, running)
        order.push(index)
        await sleep(taskMs)
        running--
      }),
    ),
  )
  return { max, order }
}

/** Storage shared by several simulated tabs, with `storage` events delivered to the other tabs. */
function sharedTabs() {
  const local = fakeLocalStorage()
  const listeners = new Set<{ tab: number; listener: (key: string | null) => void }>()
  const tab = (id: number) => {
    const storage: SyncStorage = {
      getItem: (key) => local.getItem(key),
      setItem: (key, value) => {
        local.setItem(key, value)
        for (const l of listeners)
          if (l.tab !== id)
            queueMicrotask(() => {
              l.listener(key)
            })
      },
      removeItem: (key) => {
        local.removeItem(key)
        for (const l of listeners)
          if (l.tab !== id)
            queueMicrotask(() => {
              l.listener(key)
            })
      },
    }
    const subscribe = (listener: (key: string | null) => void) => {
      const entry = { tab: id, listener }
      listeners.add(entry)
      return () => listeners.delete(entry)
    }
    return { storage, subscribe }
  }
  return { local, tab, listeners }
}

describe('storageLeaseLock (the fallback without Web Locks)', () => {
  it('two tabs never hold the lease at once, and every task runs', async () => {
    const tabs = sharedTabs()
    const a = storageLeaseLock({ ...tabs.tab(1), settleMs: 5, pollMs: 10 })
    const b = storageLeaseLock({ ...tabs.tab(2), settleMs: 5, pollMs: 10 })
    const result = await maxOverlap(
      [a, b, a, b, a, b].map((lock) => ({ lock, name: 'refresh' })),
      15,
    )
    expect(result.max).toBe(1)
    expect([...result.order].sort()).toEqual([0, 1, 2, 3, 4, 5])
    // Released after the last task: nothing left behind.
    expect(tabs.local.items.size).toBe(0)
    expect(tabs.listeners.size).toBe(0)
  })

  it('a waiting tab wakes on the storage event of the release, not at lease expiry', async () => {
    const tabs = sharedTabs()
    const a = storageLeaseLock({ ...tabs.tab(1), settleMs: 5, pollMs: 60_000, leaseMs: 60_000 })
    const b = storageLeaseLock({ ...tabs.tab(2), settleMs: 5, pollMs: 60_000, leaseMs: 60_000 })
    let releaseA!: () => void
    const holding = a('refresh', () => new Promise<void>((resolve) => (releaseA = resolve)))
    await sleep(30)
    const started = Date.now()
    const waiting = b('refresh', () => Promise.resolve(Date.now()))
    await sleep(30)
    releaseA()
    await holding
    const ranAt = await waiting
    expect(ranAt - started).toBeLessThan(1000)
  })

  it('takes over the lease of a tab that died holding it, once the lease expired', async () => {
    const tabs = sharedTabs()
    // A lease written by a tab that is gone: it will never be released.
    tabs.local.setItem('authmode.lock.refresh', JSON.stringify({ owner: 'dead-tab', expires: Date.now() + 150 }))
    const lock = storageLeaseLock({ ...tabs.tab(1), settleMs: 5, pollMs: 20 })
    const started = Date.now()
    const ranAt = await lock('refresh', () => Promise.resolve(Date.now()))
    expect(ranAt - started).toBeGreaterThanOrEqual(140)
    expect(ranAt - started).toBeLessThan(2000)
  })

  it('treats an unreadable lease as free', async () => {
    const tabs = sharedTabs()
    tabs.local.setItem('authmode.lock.refresh', '{not json')
    const lock = storageLeaseLock({ ...tabs.tab(1), settleMs: 5 })
    await expect(lock('refresh', () => Promise.resolve('ran'))).resolves.toBe('ran')
  })

  it('renews the lease while a long task runs, so no other tab takes it over', async () => {
    const tabs = sharedTabs()
    const a = storageLeaseLock({ ...tabs.tab(1), settleMs: 5, pollMs: 10, leaseMs: 90 })
    const b = storageLeaseLock({ ...tabs.tab(2), settleMs: 5, pollMs: 10, leaseMs: 90 })
    // Each task lasts three lease periods.
    const result = await maxOverlap(
      [
        { lock: a, name: 'refresh' },
        { lock: b, name: 'refresh' },
      ],
      270,
    )
    expect(result.max).toBe(1)
  })

  it('still runs the task when storage refuses the lease write (quota)', async () => {
    const storage: SyncStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('quota exceeded', 'QuotaExceededError')
      },
      removeItem: () => undefined,
    }
    const lock = storageLeaseLock({ storage, subscribe: () => () => undefined })
    await expect(lock('refresh', () => Promise.resolve('ran'))).resolves.toBe('ran')
  })
})

describe('webLocksLock', () => {
  /** An exclusive LockManager stand-in: requests of one name are granted one after another. */
  function fakeLockManager(): LockManager {
    const tails = new Map<string, Promise<unknown>>()
    const request = (name: string, _options: LockOptions, callback: (lock: Lock | null) => unknown) => {
      const run = (tails.get(name) ?? Promise.resolve()).then(() => callback(null))
      tails.set(
        name,
        run.catch(() => undefined),
      )
      return run
    }
    return { request, query: () => Promise.resolve({}) } as unknown as LockManager
  }

  it('hands the result over at once but keeps the lock a moment, so other tabs see what was written', async () => {
    const lock = webLocksLock(fakeLockManager(), 150)
    const started = Date.now()
    const first = await lock('refresh', () => Promise.resolve('first'))
    expect(first).toBe('first')
    expect(Date.now() - started).toBeLessThan(100)
    const second = await lock('refresh', () => Promise.resolve(Date.now()))
    expect(second - started).toBeGreaterThanOrEqual(140)
  })

  it("a task's failure reaches its caller and releases the lock", async () => {
    const lock = webLocksLock(fakeLockManager(), 10)
    await expect(lock('refresh', () => Promise.reject(new Error('refresh failed')))).rejects.toThrow('refresh failed')
    await expect(lock('refresh', () => Promise.resolve('next'))).resolves.toBe('next')
  })
})

describe('browserRefreshLock picks the strongest mechanism available', () => {
  it('in-process where there is neither Web Locks nor localStorage (Node, SSR)', async () => {
    vi.stubGlobal('navigator', undefined)
    const lock = browserRefreshLock()
    expect(lock.kind).toBe('in-process')
    expect((await maxOverlap([0, 1, 2].map(() => ({ lock, name: 'x' })))).max).toBe(1)
  })

  it('Web Locks when navigator.locks exists, with an exclusive lock named for authmode', async () => {
    const requests: { name: string; mode: string | undefined }[] = []
    const request = vi.fn(async (name: string, options: { mode?: string }, callback: () => Promise<unknown>) => {
      requests.push({ name, mode: options.mode })
      return callback()
    })
    vi.stubGlobal('navigator', { locks: { request } })
    const lock = browserRefreshLock()
    expect(lock.kind).toBe('web-locks')
    await expect(lock('cognito:client', () => Promise.resolve(42))).resolves.toBe(42)
    expect(requests).toEqual([{ name: 'authmode:cognito:client', mode: 'exclusive' }])
  })

  it('in-process where localStorage exists but Web Locks do not, unless a fallback is given', async () => {
    vi.stubGlobal('navigator', {})
    const local = fakeLocalStorage()
    vi.stubGlobal('localStorage', local)
    const lock = browserRefreshLock()
    expect(lock.kind).toBe('in-process')
    let written = -1
    await lock('refresh', () => Promise.resolve((written = local.items.size)))
    expect(written).toBe(0)
    expect((await maxOverlap([0, 1, 2].map(() => ({ lock, name: 'x' })))).max).toBe(1)
  })

  it('the fallback given (a localStorage lease) where Web Locks do not exist (insecure contexts)', async () => {
    vi.stubGlobal('navigator', {})
    const local = fakeLocalStorage()
    const lock = browserRefreshLock({ fallback: storageLeaseLock({ storage: local, settleMs: 5 }) })
    expect(lock.kind).toBe('fallback')
    let seen: string | null = null
    await lock('refresh', () => {
      seen = local.getItem('authmode.lock.refresh')
      return Promise.resolve()
    })
    expect(seen).toMatch(/"owner":"\d+-\d+-\d+-\d+","expires":\d+/)
    expect(local.items.size).toBe(0)
  })
})
