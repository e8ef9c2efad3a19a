import { describe, it, expect, vi } from 'vitest'
import type { ResolveIdentityOptions } from '../auth/types'
import { memoizeIdentity } from './identityCache'

interface Identity {
  readonly id: number
  readonly expiration?: Date | undefined
}

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

interface Deferred<T> {
  readonly promise: Promise<T>
  resolve(value: T): void
  reject(error: unknown): void
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** The cache over `provider` with a 5-minute window, at the time `now` says (default 0). */
function cacheOver(provider: () => Promise<Identity>, now: () => number = () => 0) {
  return memoizeIdentity(provider, {
    clock: { now },
    refreshWindowMs: 5 * MINUTE,
    expiration: (identity) => identity.expiration,
  })
}

/** A clock the test moves by hand, and a provider that hands out identities #1, #2, … living `lifetimeMs`. */
function setup(lifetimeMs: number | undefined, refreshWindowMs = 5 * MINUTE) {
  const time = { t: 0 }
  const clock = { now: () => time.t }
  let next = 0
  const provider = vi.fn<(options?: ResolveIdentityOptions) => Promise<Identity>>(() => {
    next += 1
    return Promise.resolve({
      id: next,
      expiration: lifetimeMs === undefined ? undefined : new Date(time.t + lifetimeMs),
    })
  })
  const memo = memoizeIdentity(provider, {
    clock,
    refreshWindowMs,
    expiration: (identity) => identity.expiration,
  })
  return { time, provider, memo }
}

describe('memoizeIdentity: single flight', () => {
  it('shares one provider call among concurrent callers', async () => {
    const time = { t: 0 }
    const pending = deferred<Identity>()
    const provider = vi.fn(() => pending.promise)
    const memo = cacheOver(provider, () => time.t)

    const callers = Array.from({ length: 10 }, () => memo())
    expect(provider).toHaveBeenCalledTimes(1)
    const identity = { id: 1, expiration: new Date(HOUR) }
    pending.resolve(identity)

    const results = await Promise.all(callers)
    expect(results.every((result) => result === identity)).toBe(true)
    expect(provider).toHaveBeenCalledTimes(1)
  })

  it('calls the provider without forceRefresh for an ordinary fetch', async () => {
    const { memo, provider } = setup(HOUR)
    await memo()
    expect(provider).toHaveBeenCalledWith({ forceRefresh: false })
  })

  it('holds each newly fetched identity once fetched; a cached answer fetches nothing', async () => {
    const { memo, provider, time } = setup(10 * SECOND)
    expect(memo.current()).toBeUndefined()
    const first = await memo()
    expect(memo.current()).toBe(first)
    expect(await memo()).toBe(first)
    expect(provider).toHaveBeenCalledTimes(1)
    time.t = 6 * SECOND
    const second = await memo()
    expect(second).not.toBe(first)
    expect(memo.current()).toBe(second)
    expect(provider).toHaveBeenCalledTimes(2)
    // Each fetched identity is the one handed out, and the only one held after it.
    const fetched = await Promise.all(provider.mock.results.map((result) => result.value as Promise<Identity>))
    expect(fetched).toHaveLength(2)
    expect(fetched[0]).toBe(first)
    expect(fetched[1]).toBe(second)
  })
})

describe('memoizeIdentity: refresh window', () => {
  it('keeps an identity without expiration forever', async () => {
    const { memo, provider, time } = setup(undefined)
    const first = await memo()
    time.t = 10 * 365 * 24 * HOUR
    expect(await memo()).toBe(first)
    expect(provider).toHaveBeenCalledTimes(1)
  })

  it('refreshes a 10 s identity after 5 s: the window is capped at half the lifetime', async () => {
    const { memo, provider, time } = setup(10 * SECOND)
    const first = await memo()
    expect(first.id).toBe(1)

    time.t = 5 * SECOND - 1
    expect(await memo()).toBe(first)
    expect(provider).toHaveBeenCalledTimes(1)

    time.t = 5 * SECOND
    const second = await memo()
    expect(second.id).toBe(2)
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it('refreshes a 1 h identity 5 min before it expires with a 5 min window', async () => {
    const { memo, provider, time } = setup(HOUR)
    const first = await memo()

    time.t = 55 * MINUTE - 1
    expect(await memo()).toBe(first)
    expect(provider).toHaveBeenCalledTimes(1)

    time.t = 55 * MINUTE
    expect((await memo()).id).toBe(2)
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it('measures the lifetime from when the identity was fetched', async () => {
    const { memo, provider, time } = setup(HOUR)
    time.t = 2 * HOUR
    const first = await memo()
    time.t = 2 * HOUR + 54 * MINUTE
    expect(await memo()).toBe(first)
    time.t = 2 * HOUR + 55 * MINUTE
    expect((await memo()).id).toBe(2)
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it('with a zero window, uses the identity until it expires', async () => {
    const { memo, provider, time } = setup(HOUR, 0)
    const first = await memo()
    time.t = HOUR - 1
    expect(await memo()).toBe(first)
    time.t = HOUR
    expect((await memo()).id).toBe(2)
    expect(provider).toHaveBeenCalledTimes(2)
  })
})

describe('memoizeIdentity: forceRefresh', () => {
  it('bypasses a fresh cached identity', async () => {
    const { memo, provider } = setup(HOUR)
    const first = await memo()
    const forced = await memo({ forceRefresh: true })
    expect(forced).not.toBe(first)
    expect(forced.id).toBe(2)
    expect(provider).toHaveBeenLastCalledWith({ forceRefresh: true })
    // The forced result is now the cached one.
    expect(await memo()).toBe(forced)
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it('joins a fetch already in flight instead of starting another', async () => {
    const pending = deferred<Identity>()
    const provider = vi.fn(() => pending.promise)
    const memo = cacheOver(provider)
    const ordinary = memo()
    const forced = memo({ forceRefresh: true })
    expect(provider).toHaveBeenCalledTimes(1)
    const identity = { id: 7, expiration: new Date(HOUR) }
    pending.resolve(identity)
    expect(await ordinary).toBe(identity)
    expect(await forced).toBe(identity)
  })

  it('throws when a forced refresh fails, but keeps the cached identity for later calls', async () => {
    const { memo, provider } = setup(HOUR)
    const first = await memo()
    provider.mockRejectedValueOnce(new Error('refresh failed'))
    await expect(memo({ forceRefresh: true })).rejects.toThrow('refresh failed')
    expect(await memo()).toBe(first)
    expect(provider).toHaveBeenCalledTimes(2)
  })
})

describe('memoizeIdentity: refreshAfterRejection', () => {
  it('returns a newer cached identity without fetching', async () => {
    const { memo, provider } = setup(HOUR)
    const old = await memo()
    const newer = await memo({ forceRefresh: true })
    expect(provider).toHaveBeenCalledTimes(2)

    expect(await memo.refreshAfterRejection(old)).toBe(newer)
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it('fetches exactly once with forceRefresh when the rejected identity is the current one', async () => {
    const { memo, provider } = setup(HOUR)
    const current = await memo()

    const results = await Promise.all([
      memo.refreshAfterRejection(current),
      memo.refreshAfterRejection(current),
      memo.refreshAfterRejection(current),
    ])
    expect(provider).toHaveBeenCalledTimes(2)
    expect(provider).toHaveBeenLastCalledWith({ forceRefresh: true })
    const [fresh] = results
    expect(fresh.id).toBe(2)
    expect(results.every((result) => result === fresh)).toBe(true)
    // A caller rejected with the old identity after the refresh gets the new one, no new fetch.
    expect(await memo.refreshAfterRejection(current)).toBe(fresh)
    expect(await memo()).toBe(fresh)
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it('joins a fetch in flight', async () => {
    const time = { t: 0 }
    let release: (() => void) | undefined
    let next = 0
    const provider = vi.fn(
      () =>
        new Promise<Identity>((resolve) => {
          next += 1
          const identity = { id: next, expiration: new Date(time.t + HOUR) }
          release = () => {
            resolve(identity)
          }
        }),
    )
    const memo = cacheOver(provider, () => time.t)
    const firstCall = memo()
    release?.()
    const first = await firstCall

    const forced = memo({ forceRefresh: true })
    const afterRejection = memo.refreshAfterRejection(first)
    expect(provider).toHaveBeenCalledTimes(2)
    release?.()
    const second = await forced
    expect(second.id).toBe(2)
    expect(await afterRejection).toBe(second)
  })

  it('fetches again when the other cached identity has expired', async () => {
    const { memo, provider, time } = setup(HOUR)
    const old = await memo()
    await memo({ forceRefresh: true })
    time.t = 2 * HOUR
    const fresh = await memo.refreshAfterRejection(old)
    expect(fresh.id).toBe(3)
    expect(provider).toHaveBeenCalledTimes(3)
  })
})

describe('memoizeIdentity: failures', () => {
  it('keeps serving the still-valid identity when an early refresh fails', async () => {
    const { memo, provider, time } = setup(HOUR)
    const first = await memo()

    time.t = 56 * MINUTE // inside the refresh window, not expired
    provider.mockRejectedValueOnce(new Error('network down'))
    expect(await memo()).toBe(first)
    expect(provider).toHaveBeenCalledTimes(2)

    // Not tried again on every call: after a pause of 10 s.
    time.t = 56 * MINUTE + 10 * SECOND - 1
    expect(await memo()).toBe(first)
    expect(provider).toHaveBeenCalledTimes(2)
    time.t = 56 * MINUTE + 10 * SECOND
    const second = await memo()
    expect(second.id).toBe(2)
    expect(provider).toHaveBeenCalledTimes(3)
  })

  it('throws when the refresh fails after the identity has expired', async () => {
    const { memo, provider, time } = setup(HOUR)
    await memo()
    time.t = HOUR
    const failure = new Error('network down')
    provider.mockRejectedValueOnce(failure)
    await expect(memo()).rejects.toBe(failure)
  })

  it('throws when the first fetch fails, and tries again on the next call after the 1 s backoff', async () => {
    const { memo, provider, time } = setup(HOUR)
    provider.mockRejectedValueOnce(new Error('first fetch failed'))
    await expect(memo()).rejects.toThrow('first fetch failed')
    time.t = SECOND
    const identity = await memo()
    expect(identity.id).toBe(1)
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it('shares one failure among concurrent callers, then clears it once the backoff has passed', async () => {
    const { memo, provider, time } = setup(HOUR)
    provider.mockRejectedValueOnce(new Error('boom'))
    const results = await Promise.allSettled([memo(), memo(), memo()])
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(provider).toHaveBeenCalledTimes(1)
    time.t = SECOND
    await expect(memo()).resolves.toMatchObject({ id: 1 })
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it('clears the in-flight fetch when the provider throws synchronously', async () => {
    const time = { t: 0 }
    let calls = 0
    const provider = (): Promise<Identity> => {
      calls += 1
      if (calls === 1) throw new Error('sync failure')
      return Promise.resolve({ id: calls })
    }
    const memo = cacheOver(provider, () => time.t)
    await expect(memo()).rejects.toThrow('sync failure')
    // Shared during the backoff, then tried again: nothing was left in flight.
    await expect(memo()).rejects.toThrow('sync failure')
    time.t = SECOND
    await expect(memo()).resolves.toEqual({ id: 2 })
    expect(calls).toBe(2)
  })

  it('keeps serving the valid identity when an early refresh throws synchronously, and refreshes later', async () => {
    const time = { t: 0 }
    let calls = 0
    const provider = (): Promise<Identity> => {
      calls += 1
      if (calls === 2) throw new Error('sync failure')
      return Promise.resolve({ id: calls, expiration: new Date(time.t + HOUR) })
    }
    const memo = cacheOver(provider, () => time.t)
    const first = await memo()
    time.t = 56 * MINUTE
    expect(await memo()).toBe(first)
    expect(await memo()).toBe(first)
    expect(calls).toBe(2)
    time.t = 56 * MINUTE + 10 * SECOND
    const second = await memo()
    expect(second.id).toBe(3)
    expect(calls).toBe(3)
  })

  it('retries refreshAfterRejection after a failed refetch, once the backoff has passed', async () => {
    const { memo, provider, time } = setup(HOUR)
    const current = await memo()
    provider.mockRejectedValueOnce(new Error('refresh failed'))
    await expect(memo.refreshAfterRejection(current)).rejects.toThrow('refresh failed')
    await expect(memo.refreshAfterRejection(current)).rejects.toThrow('refresh failed')
    expect(provider).toHaveBeenCalledTimes(2)
    time.t = SECOND
    const fresh = await memo.refreshAfterRejection(current)
    expect(fresh.id).toBe(2)
    expect(provider).toHaveBeenCalledTimes(3)
  })
})

describe('memoizeIdentity: backoff after a failed required refresh (no stampede on a failing service)', () => {
  it("is every caller's failure for 1 s, then 2 s, 4 s, 8 s, 10 s at most; a success resets it", async () => {
    const { memo, provider, time } = setup(HOUR)
    const failures: Error[] = []
    provider.mockImplementation(() => {
      const failure = new Error(`down ${String(failures.length + 1)}`)
      failures.push(failure)
      return Promise.reject(failure)
    })
    const settled = await Promise.allSettled(Array.from({ length: 50 }, () => memo()))
    expect(provider).toHaveBeenCalledTimes(1)
    expect(settled.every((r) => r.status === 'rejected' && r.reason === failures[0])).toBe(true)
    // Each attempt when its backoff has passed, not a millisecond earlier.
    let at = 0
    for (const [n, backoff] of [1, 2, 4, 8, 10, 10].map((s, i) => [i + 1, s * SECOND] as const)) {
      time.t = at + backoff - 1
      await expect(memo()).rejects.toBe(failures[n - 1])
      await expect(memo({ forceRefresh: true })).rejects.toBe(failures[n - 1])
      expect(provider).toHaveBeenCalledTimes(n)
      time.t = at += backoff
      await expect(memo()).rejects.toBe(failures[n])
    }
    provider.mockImplementation(() => Promise.resolve({ id: 99, expiration: new Date(time.t + HOUR) }))
    time.t = at + 10 * SECOND
    expect((await memo()).id).toBe(99)
    // A later failure backs off 1 s again.
    time.t += 2 * HOUR
    provider.mockRejectedValueOnce(new Error('down again'))
    await expect(memo()).rejects.toThrow('down again')
    time.t += SECOND
    expect((await memo()).id).toBe(99)
  })

  it('a failure that says there is no identity (tryNext, e.g. nobody signed in) is not remembered', async () => {
    const { memo, provider } = setup(HOUR)
    provider.mockRejectedValueOnce(Object.assign(new Error('signed out'), { tryNext: true }))
    await expect(memo()).rejects.toThrow('signed out')
    expect((await memo()).id).toBe(1)
  })

  it('a failed forced refresh while the identity is still valid keeps it, with no backoff', async () => {
    const { memo, provider } = setup(HOUR)
    const first = await memo()
    provider.mockRejectedValueOnce(new Error('down'))
    await expect(memo({ forceRefresh: true })).rejects.toThrow('down')
    expect(await memo()).toBe(first)
    expect((await memo({ forceRefresh: true })).id).toBe(2)
  })

  it('set() (tokens adopted or signed in) and clear() end the backoff', async () => {
    const { memo, provider, time } = setup(HOUR)
    provider.mockRejectedValueOnce(new Error('down'))
    await expect(memo()).rejects.toThrow('down')
    memo.set({ id: 7, expiration: new Date(time.t + HOUR) })
    time.t = 58 * MINUTE // stale: refreshed at once, no backoff left
    expect((await memo()).id).toBe(1)
    time.t = 2 * HOUR
    provider.mockRejectedValueOnce(new Error('down'))
    await expect(memo()).rejects.toThrow('down')
    memo.clear()
    expect((await memo()).id).toBe(2)
  })
})

describe('memoizeIdentity: abort signals', () => {
  it('rejects only the caller whose signal aborted; the shared fetch goes on', async () => {
    const pending = deferred<Identity>()
    const provider = vi.fn(() => pending.promise)
    const memo = cacheOver(provider)
    const controller = new AbortController()
    const aborted = memo({ signal: controller.signal })
    const other = memo()
    const reason = new Error('caller gave up')
    controller.abort(reason)
    await expect(aborted).rejects.toBe(reason)

    const identity = { id: 1, expiration: new Date(HOUR) }
    pending.resolve(identity)
    expect(await other).toBe(identity)
    expect(provider).toHaveBeenCalledTimes(1)
    // The result was cached although the first caller left.
    expect(await memo()).toBe(identity)
    expect(provider).toHaveBeenCalledTimes(1)
  })

  it('rejects at once with a signal that is already aborted', async () => {
    const { memo } = setup(HOUR)
    const controller = new AbortController()
    controller.abort()
    await expect(memo({ signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('ignores the signal when the identity is cached', async () => {
    const { memo } = setup(HOUR)
    const first = await memo()
    const controller = new AbortController()
    controller.abort()
    expect(await memo({ signal: controller.signal })).toBe(first)
  })

  it('lets a refreshAfterRejection caller abort alone', async () => {
    let release: ((identity: Identity) => void) | undefined
    let calls = 0
    const provider = vi.fn(() => {
      calls += 1
      if (calls === 1) return Promise.resolve({ id: 1, expiration: new Date(HOUR) })
      return new Promise<Identity>((resolve) => {
        release = resolve
      })
    })
    const memo = cacheOver(provider)
    const current = await memo()
    const controller = new AbortController()
    const leaving = memo.refreshAfterRejection(current, controller.signal)
    const staying = memo.refreshAfterRejection(current)
    controller.abort(new Error('left'))
    await expect(leaving).rejects.toThrow('left')
    const fresh = { id: 2, expiration: new Date(HOUR) }
    release?.(fresh)
    expect(await staying).toBe(fresh)
    expect(provider).toHaveBeenCalledTimes(2)
  })
})

describe('memoizeIdentity: what sessions build on', () => {
  it('a failed early refresh pauses 10 s, never past expiry: once expired the failure surfaces', async () => {
    const { memo, provider, time } = setup(HOUR)
    const first = await memo()
    provider.mockRejectedValue(new Error('network down'))
    time.t = HOUR - 5 * SECOND
    expect(await memo()).toBe(first)
    time.t = HOUR - 1
    expect(await memo()).toBe(first)
    expect(provider).toHaveBeenCalledTimes(2)
    time.t = HOUR
    await expect(memo()).rejects.toThrow('network down')
    expect(provider).toHaveBeenCalledTimes(3)
  })

  it('set(identity, issuedAt): the half-lifetime cap counts from issue, not arrival', () => {
    // Issued 6 minutes ago for 8 minutes: 2 minutes left.
    const identity = { id: 1, expiration: new Date(2 * MINUTE) }
    const { memo } = setup(HOUR)
    // From arrival: a 2-minute lifetime, stale after 1 minute.
    expect(memo.set(identity)).toBe(true)
    // From issue: an 8-minute lifetime, stale 4 minutes before expiry, so already.
    expect(memo.set(identity, -6 * MINUTE)).toBe(false)
  })

  it('set() holds an identity as if just fetched: handed out while fresh, refreshed once stale', async () => {
    const { memo, provider, time } = setup(HOUR)
    const given = { id: 0, expiration: new Date(HOUR) }
    expect(memo.set(given)).toBe(true)
    expect(memo.current()).toBe(given)
    expect(await memo()).toBe(given)
    expect(provider).toHaveBeenCalledTimes(0)
    time.t = 55 * MINUTE - 1
    expect(await memo()).toBe(given)
    time.t = 55 * MINUTE
    expect((await memo()).id).toBe(1)
    expect(provider).toHaveBeenCalledTimes(1)
    // An identity already expired needs a refresh at once.
    time.t = HOUR
    expect(memo.set(given)).toBe(false)
  })

  it('clear() forgets the identity, and a fetch under way does not store what it gets', async () => {
    const pending = deferred<Identity>()
    const provider = vi.fn(() => pending.promise)
    const memo = cacheOver(provider)
    memo.set({ id: 0, expiration: new Date(HOUR) })
    const forced = memo({ forceRefresh: true })
    memo.clear()
    expect(memo.current()).toBeUndefined()
    const late = { id: 1, expiration: new Date(HOUR) }
    pending.resolve(late)
    expect(await forced).toBe(late)
    expect(memo.current()).toBeUndefined()
    // The next call fetches anew rather than joining the fetch that was under way at the clear.
    provider.mockResolvedValueOnce({ id: 2, expiration: new Date(HOUR) })
    expect((await memo()).id).toBe(2)
    expect(provider).toHaveBeenCalledTimes(2)
  })

  it('after a rejection, a newer valid identity is handed out at once, even while a refresh is under way', async () => {
    const { memo, provider } = setup(HOUR)
    const old = await memo()
    const newer = await memo({ forceRefresh: true })
    provider.mockImplementationOnce(() => new Promise<Identity>(() => undefined))
    void memo({ forceRefresh: true })
    expect(await memo.refreshAfterRejection(old)).toBe(newer)
    expect(provider).toHaveBeenCalledTimes(3)
  })

  it('a rejected identity is not handed out again, nor kept when its refresh fails; it stays current() for what refreshes it', async () => {
    const { memo, provider, time } = setup(HOUR)
    const rejected = await memo()
    provider.mockRejectedValueOnce(new Error('refresh failed'))
    await expect(memo.refreshAfterRejection(rejected)).rejects.toThrow('refresh failed')
    expect(memo.current()).toBe(rejected)
    time.t = SECOND
    provider.mockRejectedValueOnce(new Error('still failing'))
    await expect(memo()).rejects.toThrow('still failing')
    time.t = 3 * SECOND
    const fresh = await memo()
    expect(fresh.id).toBe(2)
    expect(provider).toHaveBeenCalledTimes(4)
  })
})
