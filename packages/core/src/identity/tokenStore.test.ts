import { describe, expect, it } from 'vitest'
import { memoryStorage, type KeyValueStorage } from '../storage/types'
import type { CognitoTokens } from './cognitoUserPool'
import { tokenStore } from './tokenStore'

const KEY = 'authmode.cognitoUserPool.client.tokens'
const TOKENS = { idToken: 'id', accessToken: 'access', refreshToken: 'refresh' }
const isTokens = (value: Partial<CognitoTokens>): value is CognitoTokens => typeof value.idToken === 'string'

describe('tokenStore', () => {
  it('keeps one JSON value of our own layout under its key, and reads it back', async () => {
    const storage = memoryStorage()
    const store = tokenStore(storage, KEY, isTokens)
    await store.save({ tokens: TOKENS, driftMs: -1500 })
    expect(JSON.parse(String(await storage.getItem(KEY)))).toEqual({ v: 1, ...TOKENS, clockDriftMs: -1500 })
    expect(await store.read()).toEqual({ tokens: TOKENS, driftMs: -1500 })
    await store.save()
    expect(await storage.getItem(KEY)).toBeUndefined()
    expect(await store.read()).toBeUndefined()
  })

  it('says whether what storage holds is ours: written or read, and not once cleared', async () => {
    const storage = memoryStorage()
    const store = tokenStore(storage, KEY, isTokens)
    expect(store.persisted()).toBe(false)
    await store.save({ tokens: TOKENS, driftMs: 0 })
    expect(store.persisted()).toBe(true)
    await store.save()
    expect(store.persisted()).toBe(false)
    await storage.setItem(KEY, JSON.stringify({ v: 1, ...TOKENS }))
    expect(await tokenStore(storage, KEY, isTokens).read()).toEqual({ tokens: TOKENS, driftMs: 0 })
    const other = tokenStore(storage, KEY, isTokens)
    await other.read()
    expect(other.persisted()).toBe(true)
    // Without storage nothing is kept, so nothing can disappear.
    const none = tokenStore(undefined, KEY, isTokens)
    await none.save({ tokens: TOKENS, driftMs: 0 })
    expect(none.persisted()).toBe(false)
    expect(await none.read()).toBeUndefined()
  })

  it('unreadable (not ours, another version, a partial write, a failing storage) is false, not a sign-out', async () => {
    const storage = memoryStorage()
    const store = tokenStore(storage, KEY, isTokens)
    for (const text of ['{"v":2,"idToken":"id"}', '{"v":1}', '{"v":1,"idTo', 'null']) {
      await storage.setItem(KEY, text)
      expect(await store.read()).toBe(false)
    }
    const failing: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => undefined,
    }
    const broken = tokenStore(failing, KEY, isTokens)
    expect(await broken.read()).toBe(false)
    await broken.save({ tokens: TOKENS, driftMs: 0 })
    expect(broken.persisted()).toBe(false)
  })
})
