// Error mapping and call sharing of the adapter, over a stand-in CognitoUser. The real library
// against cognito-local is in tests/browser (sign in, refresh, forced refresh, revoked session).
import { describe, expect, it, vi } from 'vitest'
import { ConfigurationError, NoIdentityError, TokenRefreshError } from '@authmode/core'
import {
  fromAmazonCognitoIdentityJs,
  type CognitoUserLike,
  type CognitoUserSessionLike,
} from '../src/amazonCognitoIdentityJs'
import { inProcessLock } from '@authmode/core/internal'

const jwt = (name: string, exp: number) => ({ getJwtToken: () => name, getExpiration: () => exp })

function session(n: number, exp = 2_000_000_000): CognitoUserSessionLike {
  return {
    getIdToken: () => jwt(`id-${String(n)}`, exp),
    getAccessToken: () => jwt(`access-${String(n)}`, exp + 1),
    getRefreshToken: () => ({ getToken: () => 'refresh' }),
    isValid: () => true,
  }
}

/** A CognitoUser stand-in whose getSession/refreshSession answer from the given queues, later. */
function fakeUser(answers: { get?: unknown[]; refresh?: unknown[] }) {
  const calls = { get: 0, refresh: 0 }
  const answer = (queue: unknown[] | undefined, callback: (error: never, value: never) => void): void => {
    const next = queue?.shift()
    setTimeout(() => {
      if (next instanceof Error || (typeof next === 'object' && next !== null && 'code' in next))
        callback(next as never, null as never)
      else callback(null as never, next as never)
    }, 5)
  }
  const user: CognitoUserLike = {
    getUsername: () => 'alice',
    getSession: (callback) => {
      calls.get++
      answer(answers.get, callback)
    },
    refreshSession: (_token, callback) => {
      calls.refresh++
      answer(answers.refresh, callback)
    },
  }
  return { user, calls }
}

const cognitoError = (code: string) => Object.assign(new Error(`Cognito says ${code}`), { code, name: code })
const lock = inProcessLock

describe('fromAmazonCognitoIdentityJs', () => {
  it('hands out the ID token by default, the access token with use: accessToken, with its expiry', async () => {
    const byId = fromAmazonCognitoIdentityJs(fakeUser({ get: [session(1, 1_900_000_000)] }).user, { lock })
    await expect(byId()).resolves.toEqual({ token: 'id-1', expiration: new Date(1_900_000_000_000) })
    const byAccess = fromAmazonCognitoIdentityJs(fakeUser({ get: [session(1)] }).user, { lock, use: 'accessToken' })
    expect((await byAccess()).token).toBe('access-1')
  })

  it('concurrent callers share one getSession call', async () => {
    const { user, calls } = fakeUser({ get: [session(1), session(2)] })
    const provider = fromAmazonCognitoIdentityJs(user, { lock })
    const tokens = await Promise.all(Array.from({ length: 10 }, () => provider()))
    expect(new Set(tokens.map((t) => t.token))).toEqual(new Set(['id-1']))
    expect(calls.get).toBe(1)
  })

  it('forceRefresh calls refreshSession when the session still holds the rejected token', async () => {
    const { user, calls } = fakeUser({ get: [session(1), session(1)], refresh: [session(2)] })
    const provider = fromAmazonCognitoIdentityJs(user, { lock })
    expect((await provider()).token).toBe('id-1')
    expect((await provider({ forceRefresh: true })).token).toBe('id-2')
    expect(calls).toEqual({ get: 2, refresh: 1 })
  })

  it('forceRefresh adopts a newer session (another tab refreshed) without refreshing again', async () => {
    const { user, calls } = fakeUser({ get: [session(1), session(2)] })
    const provider = fromAmazonCognitoIdentityJs(user, { lock })
    await provider()
    expect((await provider({ forceRefresh: true })).token).toBe('id-2')
    expect(calls.refresh).toBe(0)
  })

  it('while the token is valid, a pool source takes no lock and calls nothing; signing out takes effect at once', async () => {
    const { user, calls } = fakeUser({ get: [session(1)] })
    let current: CognitoUserLike | null = user
    let locked = 0
    const provider = fromAmazonCognitoIdentityJs(
      { getCurrentUser: () => current },
      {
        lock: (name, task) => {
          locked++
          return lock(name, task)
        },
      },
    )
    for (let i = 0; i < 5; i++) expect((await provider()).token).toBe('id-1')
    expect(calls.get).toBe(1)
    expect(locked).toBe(1)
    current = null // the library's signOut() forgets the last user
    await expect(provider()).rejects.toBeInstanceOf(NoIdentityError)
  })

  it("a user source uses the library's in-memory session while it is valid", async () => {
    const { user, calls } = fakeUser({ get: [new Error('Local storage is missing an ID Token, Please authenticate')] })
    let inMemory: CognitoUserSessionLike | null = session(7)
    const provider = fromAmazonCognitoIdentityJs(Object.assign(user, { getSignInUserSession: () => inMemory }), {
      lock,
    })
    expect((await provider()).token).toBe('id-7')
    expect(calls.get).toBe(0)
    inMemory = null // after signOut()
    await expect(provider()).rejects.toBeInstanceOf(NoIdentityError)
    expect(calls.get).toBe(1)
  })

  it('a pool with nobody signed in gives NoIdentityError, so a mode list moves on', async () => {
    const provider = fromAmazonCognitoIdentityJs({ getCurrentUser: () => null }, { lock })
    await expect(provider()).rejects.toBeInstanceOf(NoIdentityError)
  })

  it('a user without stored tokens gives NoIdentityError', async () => {
    const missing = new Error('Local storage is missing an ID Token, Please authenticate')
    const provider = fromAmazonCognitoIdentityJs(fakeUser({ get: [missing] }).user, { lock })
    await expect(provider()).rejects.toBeInstanceOf(NoIdentityError)
  })

  it.each(['NotAuthorizedException', 'TokenRevokedException', 'UserNotFoundException', 'RefreshTokenReuseException'])(
    '%s ends the session: TokenRefreshError with sessionEnded',
    async (code) => {
      const provider = fromAmazonCognitoIdentityJs(fakeUser({ get: [cognitoError(code)] }).user, { lock })
      const error = await provider().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TokenRefreshError)
      expect(error).toMatchObject({ sessionEnded: true, retryable: false, errorType: code })
      expect((error as Error).message).not.toContain('Cognito says')
    },
  )

  it.each(['PasswordResetRequiredException', 'UserNotConfirmedException'])(
    '%s ends the session too (the one list of @authmode/core)',
    async (code) => {
      const provider = fromAmazonCognitoIdentityJs(fakeUser({ get: [cognitoError(code)] }).user, { lock })
      await expect(provider()).rejects.toMatchObject({ sessionEnded: true, retryable: false, errorType: code })
    },
  )

  it.each(['NetworkError', 'TooManyRequestsException', 'InternalErrorException'])(
    '%s keeps the session: TokenRefreshError with retryable',
    async (code) => {
      const provider = fromAmazonCognitoIdentityJs(fakeUser({ get: [cognitoError(code)] }).user, { lock })
      await expect(provider()).rejects.toMatchObject({ retryable: true, sessionEnded: false, errorType: code })
    },
  )

  it('a failure is shared for a 1 s backoff (no stampede), then the next call asks again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      const { user, calls } = fakeUser({ get: [cognitoError('NetworkError'), session(3)] })
      const provider = fromAmazonCognitoIdentityJs(user, { lock })
      const failure = await provider().catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(TokenRefreshError)
      await expect(provider()).rejects.toBe(failure)
      expect(calls.get).toBe(1)
      vi.setSystemTime(Date.now() + 1000)
      expect((await provider()).token).toBe('id-3')
      expect(calls.get).toBe(2)
    } finally {
      vi.useRealTimers()
    }
  })

  it("another user signed in to the pool never gets the previous user's token", async () => {
    const alice = fakeUser({ get: [session(1), session(3)] })
    const bob = fakeUser({ get: [session(2)] })
    const bobUser = { ...bob.user, getUsername: () => 'bob' }
    let current: CognitoUserLike | null = alice.user
    const provider = fromAmazonCognitoIdentityJs({ getCurrentUser: () => current }, { lock })
    expect((await provider()).token).toBe('id-1')
    current = bobUser
    expect((await provider()).token).toBe('id-2')
    current = alice.user
    // Alice again: asked anew, not the identity held before Bob.
    expect((await provider()).token).toBe('id-3')
    expect([alice.calls.get, bob.calls.get]).toEqual([2, 1])
  })

  it('after a rejection, a token another caller already refreshed is handed out without any call', async () => {
    const { user, calls } = fakeUser({ get: [session(1), session(1)], refresh: [session(2)] })
    const provider = fromAmazonCognitoIdentityJs(user, { lock })
    await provider()
    expect((await provider({ forceRefresh: true, rejectedToken: 'id-1' })).token).toBe('id-2')
    // A request that was sent with id-1 too comes back rejected later.
    expect((await provider({ forceRefresh: true, rejectedToken: 'id-1' })).token).toBe('id-2')
    expect(calls).toEqual({ get: 2, refresh: 1 })
  })

  it('a rejection while a getSession is under way still refreshes the rejected token', async () => {
    const { user, calls } = fakeUser({ get: [session(1), session(1), session(1)], refresh: [session(2)] })
    const provider = fromAmazonCognitoIdentityJs(user, { lock })
    await provider()
    // Not valid in memory: each ordinary call asks the library; a rejection comes while one is under way.
    const ordinary = provider()
    const rejected = provider({ forceRefresh: true, rejectedToken: 'id-1' })
    expect((await ordinary).token).toBe('id-1')
    expect((await rejected).token).toBe('id-2')
    expect(calls.refresh).toBe(1)
  })

  it('bad arguments are a ConfigurationError', () => {
    expect(() => fromAmazonCognitoIdentityJs({} as never)).toThrow(ConfigurationError)
    expect(() => fromAmazonCognitoIdentityJs(fakeUser({}).user, { use: 'refreshToken' as never })).toThrow(
      ConfigurationError,
    )
  })
})
