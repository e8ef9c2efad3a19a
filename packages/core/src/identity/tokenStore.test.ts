import { describe, expect, it } from 'vitest'
import { memoryStorage, type KeyValueStorage } from '../storage/types'
import type { CognitoTokens } from './cognitoUserPool'
import { tokenStore, type TokenFields } from './tokenStore'

const CLIENT = 'client'
const PREFIX = `CognitoIdentityServiceProvider.${CLIENT}`
const LEGACY = `authmode.cognitoUserPool.${CLIENT}.tokens`
// Unsigned JWT-shaped tokens: the store reads only the access token's `username`.
const jwt = (claims: Record<string, unknown>): string =>
  ['{"alg":"none"}', JSON.stringify(claims)].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.'
const TOKENS = {
  idToken: jwt({ token_use: 'id', 'cognito:username': 'alice' }),
  accessToken: jwt({ token_use: 'access', username: 'alice' }),
  refreshToken: 'refresh',
}
const isTokens = (value: TokenFields): value is CognitoTokens => typeof value.idToken === 'string'

/** A synchronous storage whose items can be listed. */
function listed(): {
  items: Map<string, string>
  getItem: (key: string) => string | null
  setItem: (key: string, value: string) => void
  removeItem: (key: string) => void
} {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value)
    },
    removeItem: (key) => {
      items.delete(key)
    },
  }
}

describe('tokenStore (Amplify v6 / amazon-cognito-identity-js layout)', () => {
  it("writes CognitoIdentityServiceProvider.<clientId>.LastAuthUser and the user's keys, named by the access token's username", async () => {
    const storage = listed()
    const store = tokenStore(storage, CLIENT, isTokens)
    await store.save({ tokens: TOKENS, driftMs: 2500 })
    expect(Object.fromEntries(storage.items)).toEqual({
      [`${PREFIX}.LastAuthUser`]: 'alice',
      [`${PREFIX}.alice.idToken`]: TOKENS.idToken,
      [`${PREFIX}.alice.accessToken`]: TOKENS.accessToken,
      [`${PREFIX}.alice.refreshToken`]: 'refresh',
      // Amplify v6's clockDrift: milliseconds, the issuer's clock minus this one.
      [`${PREFIX}.alice.clockDrift`]: '-2500',
    })
    expect(await tokenStore(storage, CLIENT, isTokens).read()).toEqual({ tokens: TOKENS, driftMs: 2500 })
    // Under 2 s (iat's whole seconds and the answer's time) it is 0, as amazon-cognito-identity-js reads it too.
    for (const driftMs of [1999, -1999, 640]) {
      await store.save({ tokens: TOKENS, driftMs })
      expect(storage.items.get(`${PREFIX}.alice.clockDrift`)).toBe('0')
    }
  })

  it('reads a session another library wrote, under the LastAuthUser it names (an alias too), and writes back there', async () => {
    const storage = listed()
    // As amazon-cognito-identity-js's USER_PASSWORD_AUTH leaves it: the name typed at sign-in.
    storage.setItem(`${PREFIX}.LastAuthUser`, 'alice@example.com')
    storage.setItem(`${PREFIX}.alice@example.com.idToken`, TOKENS.idToken)
    storage.setItem(`${PREFIX}.alice@example.com.accessToken`, TOKENS.accessToken)
    storage.setItem(`${PREFIX}.alice@example.com.refreshToken`, 'refresh')
    storage.setItem(`${PREFIX}.alice@example.com.signInDetails`, '{"loginId":"alice@example.com"}')
    const store = tokenStore(storage, CLIENT, isTokens)
    // No clockDrift key: 0.
    expect(await store.read()).toEqual({ tokens: TOKENS, driftMs: 0 })
    expect(store.persisted()).toBe(true)
    const next = { ...TOKENS, idToken: jwt({ 'cognito:username': 'alice', n: 2 }), refreshToken: undefined }
    await store.save({ tokens: next, driftMs: 0 })
    expect(storage.items.get(`${PREFIX}.LastAuthUser`)).toBe('alice@example.com')
    expect(storage.items.get(`${PREFIX}.alice@example.com.idToken`)).toBe(next.idToken)
    // No refresh token: none stored (as Amplify does); nothing under the canonical name.
    expect(storage.items.has(`${PREFIX}.alice@example.com.refreshToken`)).toBe(false)
    expect([...storage.items.keys()].some((key) => key.startsWith(`${PREFIX}.alice.`))).toBe(false)
    // Amplify's sign-in details are the session's: kept by a refresh, removed with it.
    expect(storage.items.has(`${PREFIX}.alice@example.com.signInDetails`)).toBe(true)
    await store.save()
    expect(storage.items.size).toBe(0)
  })

  it("clearing removes that user's session keys and LastAuthUser only while it names them; device keys and others stay", async () => {
    const storage = listed()
    const store = tokenStore(storage, CLIENT, isTokens)
    await store.save({ tokens: TOKENS, driftMs: 0 })
    for (const part of [
      'signInDetails',
      'oauthMetadata',
      'userData',
      'deviceKey',
      'deviceGroupKey',
      'randomPasswordKey',
    ]) {
      storage.setItem(`${PREFIX}.alice.${part}`, part)
    }
    storage.setItem(`${PREFIX}.bob.idToken`, 'bobs')
    storage.setItem('CognitoIdentityServiceProvider.other-client.LastAuthUser', 'alice')
    await store.save()
    expect([...storage.items.keys()].sort()).toEqual(
      [
        `${PREFIX}.alice.deviceGroupKey`,
        `${PREFIX}.alice.deviceKey`,
        `${PREFIX}.alice.randomPasswordKey`,
        `${PREFIX}.bob.idToken`,
        'CognitoIdentityServiceProvider.other-client.LastAuthUser',
      ].sort(),
    )
    expect(store.persisted()).toBe(false)

    // Bob signed in meanwhile (LastAuthUser names him): alice's keys go, LastAuthUser stays his.
    const again = tokenStore(storage, CLIENT, isTokens)
    await again.save({ tokens: TOKENS, driftMs: 0 })
    storage.setItem(`${PREFIX}.LastAuthUser`, 'bob')
    await again.save()
    expect(storage.items.get(`${PREFIX}.LastAuthUser`)).toBe('bob')
    expect(storage.items.has(`${PREFIX}.alice.idToken`)).toBe(false)
  })

  it("another user named by LastAuthUser is not ours: read finds no session of ours, and what is stored isn't taken", async () => {
    const storage = listed()
    const store = tokenStore(storage, CLIENT, isTokens)
    await store.save({ tokens: TOKENS, driftMs: 0 })
    const bob = tokenStore(storage, CLIENT, isTokens)
    const bobs = { idToken: jwt({ n: 'b' }), accessToken: jwt({ username: 'bob' }), refreshToken: 'bob-refresh' }
    await bob.save({ tokens: bobs, driftMs: 0 })
    expect(await store.read()).toBeUndefined()
    expect(await bob.read()).toEqual({ tokens: bobs, driftMs: 0 })
    // A store that has read nothing yet takes whoever LastAuthUser names.
    expect(await tokenStore(storage, CLIENT, isTokens).read()).toEqual({ tokens: bobs, driftMs: 0 })
  })

  it('says whether what storage holds is ours: written or read, and not once cleared', async () => {
    const storage = memoryStorage()
    const store = tokenStore(storage, CLIENT, isTokens)
    expect(store.persisted()).toBe(false)
    await store.save({ tokens: TOKENS, driftMs: 0 })
    expect(store.persisted()).toBe(true)
    await store.save()
    expect(store.persisted()).toBe(false)
    expect(await store.read()).toBeUndefined()
  })

  it("a session without the token in use (a partial write, or another library's sign-out under way) is no session", async () => {
    const storage = listed()
    storage.setItem(`${PREFIX}.LastAuthUser`, 'alice')
    storage.setItem(`${PREFIX}.alice.accessToken`, TOKENS.accessToken)
    expect(await tokenStore(storage, CLIENT, isTokens).read()).toBeUndefined()
  })

  it('a failing storage reads as false (not a sign-out), and a write it refuses leaves nothing persisted', async () => {
    const failing: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => undefined,
    }
    const broken = tokenStore(failing, CLIENT, isTokens)
    expect(await broken.read()).toBe(false)
    await broken.save({ tokens: TOKENS, driftMs: 0 })
    expect(broken.persisted()).toBe(false)
  })

  describe('sessions kept by earlier versions (authmode.cognitoUserPool.<clientId>.tokens)', () => {
    it('are moved to the new layout on the first read, and the old key removed', async () => {
      const storage = listed()
      storage.setItem(LEGACY, JSON.stringify({ v: 1, ...TOKENS, clockDriftMs: -7250 }))
      const store = tokenStore(storage, CLIENT, isTokens)
      expect(await store.read()).toEqual({ tokens: TOKENS, driftMs: -7250 })
      expect(storage.items.has(LEGACY)).toBe(false)
      expect(storage.items.get(`${PREFIX}.LastAuthUser`)).toBe('alice')
      expect(storage.items.get(`${PREFIX}.alice.refreshToken`)).toBe('refresh')
      expect(storage.items.get(`${PREFIX}.alice.clockDrift`)).toBe('7250')
      expect(store.persisted()).toBe(true)
      // Read once: a value written there later (an old version in another tab) is not read again by this store.
      storage.setItem(LEGACY, JSON.stringify({ v: 1, ...TOKENS, refreshToken: 'old' }))
      expect(await store.read()).toEqual({ tokens: TOKENS, driftMs: -7250 })
    })

    it('a session already in the new layout wins; the old key is removed all the same', async () => {
      const storage = listed()
      const bobs = { idToken: jwt({ n: 'b' }), accessToken: jwt({ username: 'bob' }), refreshToken: 'bob-refresh' }
      await tokenStore(storage, CLIENT, isTokens).save({ tokens: bobs, driftMs: 0 })
      storage.setItem(LEGACY, JSON.stringify({ v: 1, ...TOKENS }))
      expect(await tokenStore(storage, CLIENT, isTokens).read()).toEqual({ tokens: bobs, driftMs: 0 })
      expect(storage.items.has(LEGACY)).toBe(false)
      expect(storage.items.has(`${PREFIX}.alice.refreshToken`)).toBe(false)
    })

    it('an old value that is not a session is removed: this one read is false, the next reads on', async () => {
      const storage = listed()
      for (const text of ['{"v":2,"idToken":"id"}', '{"v":1}', '[]']) {
        storage.setItem(LEGACY, text)
        expect(await tokenStore(storage, CLIENT, isTokens).read()).toBeUndefined()
        expect(storage.items.has(LEGACY)).toBe(false)
      }
      for (const text of ['{"v":1,"idTo', 'null']) {
        storage.setItem(LEGACY, text)
        const store = tokenStore(storage, CLIENT, isTokens)
        expect(await store.read()).toBe(false)
        expect(storage.items.has(LEGACY)).toBe(false)
        expect(await store.read()).toBeUndefined()
      }
    })
  })
})
