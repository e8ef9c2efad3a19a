// The browser defaults of fromCognitoUserPool: where the session is kept and which lock refreshes
// and sign-outs run under. Refreshing itself is the core's (tested there) and, in real Chromium
// against cognito-local, in tests/browser.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigurationError, memoryStorage, type RefreshLock } from '@authmode/core'
import { fromCognitoUserPool, signOut } from '../src/index'
import { fakeLocalStorage } from './fakeLocalStorage'

afterEach(() => {
  vi.unstubAllGlobals()
})

// Unsigned JWT-shaped tokens: the session reads only their claims.
const jwt = (claims: Record<string, unknown>): string =>
  ['{"alg":"none"}', JSON.stringify(claims)].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.'
const exp = Math.floor(Date.now() / 1000) + 3600
const tokens = {
  idToken: jwt({ token_use: 'id', exp, iat: exp - 3600 }),
  accessToken: jwt({ token_use: 'access', username: 'alice', exp, iat: exp - 3600 }),
  refreshToken: 'opaque-refresh-token',
}
const options = { clientId: 'client-1', region: 'us-east-1' } as const
const KEY = 'CognitoIdentityServiceProvider.client-1.LastAuthUser'

describe('fromCognitoUserPool of @authmode/browser', () => {
  it("keeps the session in localStorage, in Amplify's layout: a new session (a reload) finds it", async () => {
    const local = fakeLocalStorage()
    vi.stubGlobal('localStorage', local)
    const first = fromCognitoUserPool({ ...options, tokens })
    expect((await first({})).token).toBe(tokens.idToken)
    expect(local.items.get(KEY)).toBe('alice')
    expect(local.items.get('CognitoIdentityServiceProvider.client-1.alice.refreshToken')).toBe(tokens.refreshToken)
    const afterReload = fromCognitoUserPool(options)
    expect(await afterReload.currentTokens()).toEqual(tokens)
  })

  it('a session an earlier version kept under authmode.cognitoUserPool.<clientId>.tokens is moved on the first load', async () => {
    const local = fakeLocalStorage()
    vi.stubGlobal('localStorage', local)
    const legacy = 'authmode.cognitoUserPool.client-1.tokens'
    local.setItem(legacy, JSON.stringify({ v: 1, ...tokens, clockDriftMs: 0 }))
    expect(await fromCognitoUserPool(options).currentTokens()).toEqual(tokens)
    expect(local.items.has(legacy)).toBe(false)
    expect(local.items.get(KEY)).toBe('alice')
    expect(await fromCognitoUserPool(options).currentTokens()).toEqual(tokens)
  })

  it('without localStorage (SSR) the session lives in memory only, per session', async () => {
    expect('localStorage' in globalThis).toBe(false)
    const first = fromCognitoUserPool({ ...options, tokens })
    expect(await first.currentTokens()).toEqual(tokens)
    expect(await fromCognitoUserPool(options).currentTokens()).toBeUndefined()
  })

  it('a storage you pass wins over localStorage', async () => {
    const local = fakeLocalStorage()
    vi.stubGlobal('localStorage', local)
    const mine = memoryStorage()
    await fromCognitoUserPool({ ...options, tokens, storage: mine }).currentTokens()
    expect(local.items.size).toBe(0)
    expect(await mine.getItem(KEY)).toEqual(expect.any(String))
  })

  it('runs under the browser lock by default (Web Locks when present), and a lock you pass wins', async () => {
    const names: string[] = []
    vi.stubGlobal('navigator', {
      locks: {
        request: (name: string, _options: unknown, callback: () => Promise<unknown>) => {
          names.push(name)
          return callback()
        },
      },
    })
    await signOut(fromCognitoUserPool({ ...options, tokens }), { revoke: false })
    expect(names).toEqual(['authmode:authmode:cognito-user-pool:client-1'])

    let mineCalls = 0
    const mine: RefreshLock = (_name, task) => {
      mineCalls++
      return task()
    }
    await signOut(fromCognitoUserPool({ ...options, tokens, lock: mine }), { revoke: false })
    expect(mineCalls).toBe(1)
    expect(names).toHaveLength(1)
  })

  it('bad options are the core ConfigurationError, not a crash', () => {
    expect(() => fromCognitoUserPool(null as never)).toThrow(ConfigurationError)
    expect(() => fromCognitoUserPool({ clientId: '' })).toThrow(ConfigurationError)
  })
})
