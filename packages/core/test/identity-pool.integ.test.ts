// fromCognitoIdentityPool over the wire (msw plays Cognito Identity and AppSync): the request
// format, single-flight, refresh window, persistence, replacement of a deleted identity, principal
// changes, typed errors without secrets, and laziness inside the client. The same provider against
// a real local identity-pool endpoint is tested in packages/local (identity-pool/*.test.ts).
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  ConfigurationError,
  createClient,
  CredentialsError,
  fromCognitoIdentityPool,
  iamMode,
  memoryStorage,
  NoIdentityError,
  type CognitoIdentityCredentials,
  type CognitoLogins,
  type KeyValueStorage,
  type SessionResolveOptions,
} from '../src/index'
import { appSyncJson, appSyncSignatureExpired, ENDPOINT, fixtures, GET_POST, mockAppSync } from './msw/appsync'
import { HOUR, manualClock, MINUTE, parseAmzDate } from './msw/clock'
import {
  awsError,
  fakeIdToken,
  IDENTITY_ENDPOINT,
  mockIdentityPool,
  POOL_ID,
  USER_POOL_PROVIDER,
} from './msw/cognitoIdentity'
import { rejectionOf } from './msw/observe'
import { useMswServer } from './msw/server'
import { verifySigV4 } from './msw/sigv4'

useMswServer()

const T0 = Date.parse('2026-11-26T04:00:00Z')
const STORAGE_KEY = `com.amplify.Cognito.${POOL_ID}.identityId`

function storageWithLog(): KeyValueStorage & { readonly items: Map<string, string> } {
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

describe('fromCognitoIdentityPool: wire format', () => {
  it('a guest: GetId without Logins, then GetCredentialsForIdentity, unsigned AWS JSON 1.1 to the region of the pool id', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const credentials = await fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })()

    expect(pool.calls.map((call) => call.operation)).toEqual(['GetId', 'GetCredentialsForIdentity'])
    for (const call of pool.calls) {
      expect(call.url).toBe(IDENTITY_ENDPOINT)
      expect(call.contentType).toBe('application/x-amz-json-1.1')
      expect(call.hasAuthorization).toBe(false)
    }
    expect(pool.calls[0]?.target).toBe('AWSCognitoIdentityService.GetId')
    expect(pool.calls[0]?.body).toEqual({ IdentityPoolId: POOL_ID })
    expect(pool.calls[1]?.target).toBe('AWSCognitoIdentityService.GetCredentialsForIdentity')
    expect(pool.calls[1]?.body).toEqual({ IdentityId: credentials.identityId })
    expect(credentials.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/)
    expect(credentials.accessKeyId).toBe('ASIAMOCK000000000001')
    expect(credentials.secretAccessKey).toBe(pool.secrets[0])
    expect(credentials.sessionToken).toBe(pool.secrets[1])
    // `Expiration` is epoch seconds on the wire.
    expect(credentials.expiration.getTime()).toBe(T0 + HOUR)
  })

  it('an authenticated user: the ID token under the user pool provider name, in both calls', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const logins = { [USER_POOL_PROVIDER]: fakeIdToken('alice') }
    const credentials = await fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, logins })()
    expect(pool.calls.map((call) => call.body)).toEqual([
      { IdentityPoolId: POOL_ID, Logins: logins },
      { IdentityId: credentials.identityId, Logins: logins },
    ])
  })

  it('`region` and `endpoint` override the defaults; China regions use amazonaws.com.cn', async () => {
    const clock = manualClock(T0)
    const local = 'http://127.0.0.1:9229/identity/'
    const cnPool = 'cn-north-1:0f3c1e2a-5b6d-4e7f-8a9b-0c1d2e3f4a5b'
    const custom = mockIdentityPool({ clock, endpoint: local })
    const cn = mockIdentityPool({
      clock,
      endpoint: 'https://cognito-identity.cn-north-1.amazonaws.com.cn/',
      identityPoolId: cnPool,
    })
    await fromCognitoIdentityPool({ identityPoolId: POOL_ID, endpoint: local, clock })()
    await fromCognitoIdentityPool({ identityPoolId: cnPool, clock })()
    expect(custom.calls.map((call) => call.url)).toEqual([local, local])
    expect(cn.count('GetCredentialsForIdentity')).toBe(1)
  })

  it('rejects bad options with a ConfigurationError that says what to pass', () => {
    const bad = [
      { identityPoolId: 'not-a-pool-id' },
      { identityPoolId: 'nowhere:0f3c1e2a' },
      { identityPoolId: POOL_ID, endpoint: 'ftp://example.com/' },
      { identityPoolId: POOL_ID, endpoint: 'not a url' },
      { identityPoolId: POOL_ID, logins: { [USER_POOL_PROVIDER]: 42 } as unknown as CognitoLogins },
      { identityPoolId: POOL_ID, timeoutMs: -1 },
    ]
    for (const options of bad) {
      expect(() => fromCognitoIdentityPool(options), JSON.stringify(options)).toThrow(ConfigurationError)
    }
    expect(() => fromCognitoIdentityPool({ identityPoolId: 'nowhere:0f3c1e2a' })).toThrow(/pass `region`/)
    expect(() => fromCognitoIdentityPool({ identityPoolId: 'nowhere:0f3c1e2a', region: 'us-west-2' })).not.toThrow()
  })
})

describe('fromCognitoIdentityPool: sharing and reuse', () => {
  it('50 concurrent callers from a cold start share one GetId and one GetCredentialsForIdentity', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock, delayMs: 20 })
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })
    const results = await Promise.all(Array.from({ length: 50 }, () => provider()))
    expect(pool.count('GetId')).toBe(1)
    expect(pool.count('GetCredentialsForIdentity')).toBe(1)
    expect(new Set(results).size).toBe(1)
  })

  it('reuses credentials until 5 minutes before Expiration, then makes one GetCredentialsForIdentity and no GetId', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })
    const first = await provider()
    clock.set(T0 + HOUR - 5 * MINUTE - 1)
    expect(await provider()).toBe(first)
    expect(pool.count('GetCredentialsForIdentity')).toBe(1)

    clock.set(T0 + HOUR - 5 * MINUTE)
    const results = await Promise.all(Array.from({ length: 20 }, () => provider()))
    expect(pool.count('GetId')).toBe(1)
    expect(pool.count('GetCredentialsForIdentity')).toBe(2)
    expect(new Set(results.map((c) => c.accessKeyId))).toEqual(new Set(['ASIAMOCK000000000002']))
    expect(results[0]?.identityId).toBe(first.identityId)
  })

  it('short-lived credentials are refreshed after half their lifetime, not at once', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock, lifetimeMs: 4 * MINUTE })
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })
    await provider()
    clock.advance(2 * MINUTE - 1)
    await provider()
    expect(pool.count('GetCredentialsForIdentity')).toBe(1)
    clock.advance(1)
    await provider()
    expect(pool.count('GetCredentialsForIdentity')).toBe(2)
  })

  it('forceRefresh fetches new credentials for the same identity (no GetId)', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })
    const first = await provider()
    const forced = await provider({ forceRefresh: true })
    expect(forced.accessKeyId).not.toBe(first.accessKeyId)
    expect(forced.identityId).toBe(first.identityId)
    expect([pool.count('GetId'), pool.count('GetCredentialsForIdentity')]).toEqual([1, 2])
  })

  it('expiry is judged by the clock a call hands over (a client’s skew-corrected one), else by its own', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    // Called as a client calls a session provider: with its clock.
    const provider: (options?: SessionResolveOptions) => Promise<CognitoIdentityCredentials> = fromCognitoIdentityPool({
      identityPoolId: POOL_ID,
      clock,
    })
    const first = await provider()
    // 56 minutes later by the given clock: inside the 5-minute refresh window of the 1-hour credentials.
    const later = { now: () => T0 + 56 * MINUTE }
    const refreshed = await provider({ clock: later })
    expect(refreshed.accessKeyId).not.toBe(first.accessKeyId)
    expect([pool.count('GetId'), pool.count('GetCredentialsForIdentity')]).toEqual([1, 2])
    // Its own clock (T0) again: those fresh credentials are reused.
    expect(await provider()).toBe(refreshed)
    expect(await provider({ clock })).toBe(refreshed)
    expect(pool.count('GetCredentialsForIdentity')).toBe(2)
  })

  it('without any clock, the system clock decides', async () => {
    // Credentials that expired an hour ago by the system clock are fetched again on every call …
    const stale = mockIdentityPool({ clock: manualClock(Date.now() - 2 * HOUR) })
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID })
    await provider()
    await provider()
    expect(stale.count('GetCredentialsForIdentity')).toBe(2)
    // … and ones valid for an hour by it are reused.
    const fresh = mockIdentityPool({ clock: manualClock(Date.now()) })
    const other = fromCognitoIdentityPool({ identityPoolId: POOL_ID })
    await other()
    await other()
    expect(fresh.count('GetCredentialsForIdentity')).toBe(1)
  })

  it('a failed early refresh keeps serving the still-valid credentials; a forced one fails', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })
    const first = await provider()
    clock.set(T0 + HOUR - MINUTE)
    pool.failNext('GetCredentialsForIdentity', () => awsError('TooManyRequestsException', 'Rate exceeded', 400))
    expect(await provider()).toBe(first)
    pool.failNext('GetCredentialsForIdentity', () => awsError('InternalErrorException', 'boom', 500))
    const error = await rejectionOf(provider({ forceRefresh: true }))
    expect(error).toBeInstanceOf(CredentialsError)
    expect((error as CredentialsError).recoverySuggestion).toMatch(/temporary failure/)
  })

  it('after a failed early refresh, Cognito is asked again only after a pause of 10 s, not on every call', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })
    const first = await provider()
    clock.set(T0 + HOUR - 2 * MINUTE)
    pool.failNext('GetCredentialsForIdentity', () => awsError('InternalErrorException', 'boom', 500))
    expect(await provider()).toBe(first)
    clock.advance(9_999)
    expect(await provider()).toBe(first)
    expect(pool.count('GetCredentialsForIdentity')).toBe(2)
    clock.advance(1)
    expect((await provider()).accessKeyId).not.toBe(first.accessKeyId)
    expect(pool.count('GetCredentialsForIdentity')).toBe(3)
  })
})

describe('fromCognitoIdentityPool: the identity id', () => {
  it("persists a guest's identity id under Amplify's key; another provider on the same storage skips GetId", async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const storage = storageWithLog()
    const first = await fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, storage })()
    expect([...storage.items]).toEqual([[STORAGE_KEY, first.identityId]])

    const second = await fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, storage })()
    expect(second.identityId).toBe(first.identityId)
    expect([pool.count('GetId'), pool.count('GetCredentialsForIdentity')]).toEqual([1, 2])
  })

  it('an identity id left by Amplify is used as it is', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const storage = storageWithLog()
    const amplifyId = (await fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })()).identityId
    storage.items.set(STORAGE_KEY, amplifyId)
    const credentials = await fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, storage })()
    expect(credentials.identityId).toBe(amplifyId)
    expect(pool.count('GetId')).toBe(1)
  })

  it.each([
    ['deleted (ResourceNotFoundException)', 'delete'],
    ['forbidden (NotAuthorizedException "Access to Identity … is forbidden")', 'forbid'],
  ] as const)('a persisted identity Cognito reports %s is dropped and replaced after one GetId', async (_, how) => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const storage = storageWithLog()
    const old = await fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, storage })()
    if (how === 'delete') pool.deleteIdentity(old.identityId)
    else
      pool.failNext('GetCredentialsForIdentity', () =>
        awsError('NotAuthorizedException', `Access to Identity '${old.identityId}' is forbidden.`),
      )

    const replaced = await fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, storage })()
    if (how === 'delete') expect(replaced.identityId).not.toBe(old.identityId)
    expect(storage.items.get(STORAGE_KEY)).toBe(replaced.identityId)
    // One GetId and one GetCredentialsForIdentity at first; then the rejected GetCredentials, one GetId, and one more.
    expect(pool.calls.map((call) => call.operation)).toEqual([
      'GetId',
      'GetCredentialsForIdentity',
      'GetCredentialsForIdentity',
      'GetId',
      'GetCredentialsForIdentity',
    ])
  })

  it('replaces a deleted identity only once per fetch: a second rejection is a CredentialsError', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const storage = storageWithLog()
    const old = await fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, storage })()
    pool.deleteIdentity(old.identityId)
    pool.failNext('GetCredentialsForIdentity', () => awsError('ResourceNotFoundException', 'Identity not found.'))
    pool.failNext('GetCredentialsForIdentity', () => awsError('ResourceNotFoundException', 'Identity not found.'))
    const error = await rejectionOf(fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, storage })())
    expect(error).toBeInstanceOf(CredentialsError)
    expect((error as Error).message).toMatch(/GetCredentialsForIdentity failed: ResourceNotFoundException/)
    expect([pool.count('GetId'), pool.count('GetCredentialsForIdentity')]).toEqual([2, 3])
  })

  it('no loop when GetId itself fails: one GetId per call, and a typed error', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock, allowGuests: false })
    const storage = storageWithLog()
    storage.items.set(STORAGE_KEY, 'us-east-1:00000000-0000-4000-8000-000000000000') // a deleted identity
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, storage })
    const error = await rejectionOf(provider())
    expect(error).toBeInstanceOf(CredentialsError)
    expect((error as Error).message).toMatch(/GetId failed: NotAuthorizedException: Unauthenticated access/)
    expect((error as CredentialsError).recoverySuggestion).toMatch(/unauthenticated \(guest\) identities/)
    expect(pool.calls.map((call) => call.operation)).toEqual(['GetCredentialsForIdentity', 'GetId'])
    expect(storage.items.has(STORAGE_KEY)).toBe(false)

    // Within the backoff after a failure, the same failure and no call; then one GetId again.
    expect(await rejectionOf(provider())).toBe(error)
    expect(pool.calls).toHaveLength(2)
    clock.advance(1000)
    await rejectionOf(provider())
    expect(pool.calls.map((call) => call.operation)).toEqual(['GetCredentialsForIdentity', 'GetId', 'GetId'])
  })

  it('a fresh identity id that is rejected is not retried', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    pool.failNext('GetCredentialsForIdentity', () => awsError('ResourceNotFoundException', 'Identity not found.'))
    const error = await rejectionOf(fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })())
    expect(error).toBeInstanceOf(CredentialsError)
    expect(pool.calls.map((call) => call.operation)).toEqual(['GetId', 'GetCredentialsForIdentity'])
  })

  it('a storage that throws costs a GetId, never the credentials', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => Promise.reject(new Error('QuotaExceededError')),
      removeItem: () => undefined,
    }
    await expect(
      fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, storage: broken })(),
    ).resolves.toHaveProperty('identityId')
    expect(pool.count('GetCredentialsForIdentity')).toBe(1)
  })
})

describe('fromCognitoIdentityPool: who is signed in', () => {
  it("sign-in, another user, sign-out: never the other principal's credentials or identity id", async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const storage = storageWithLog()
    let logins: CognitoLogins | undefined
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, storage, logins: () => logins })

    const guest = await provider()
    logins = { [USER_POOL_PROVIDER]: fakeIdToken('alice') }
    const alice = await provider()
    logins = { [USER_POOL_PROVIDER]: fakeIdToken('bob') }
    const bob = await provider()
    logins = undefined
    const guestAgain = await provider()

    const all = [guest, alice, bob, guestAgain]
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(4)
    expect(new Set(all.map((c) => c.identityId)).size).toBe(4)
    // Each principal got its own GetId (with its own Logins or none).
    expect(pool.calls.filter((c) => c.operation === 'GetId').map((c) => c.body['Logins'])).toEqual([
      undefined,
      { [USER_POOL_PROVIDER]: fakeIdToken('alice') },
      { [USER_POOL_PROVIDER]: fakeIdToken('bob') },
      undefined,
    ])
    // As Amplify does, signing in drops the stored guest id; only guest ids are stored.
    expect([...storage.items]).toEqual([[STORAGE_KEY, guestAgain.identityId]])
  })

  it("a refreshed ID token of the same user keeps that user's credentials and is used for the next fetch", async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    let token = fakeIdToken('alice', 1)
    const provider = fromCognitoIdentityPool({
      identityPoolId: POOL_ID,
      clock,
      logins: () => Promise.resolve({ [USER_POOL_PROVIDER]: token }),
    })
    const first = await provider()
    token = fakeIdToken('alice', 2)
    expect(await provider()).toBe(first)
    clock.advance(HOUR)
    const second = await provider()
    expect(second.identityId).toBe(first.identityId)
    expect(pool.calls.map((c) => c.operation)).toEqual([
      'GetId',
      'GetCredentialsForIdentity',
      'GetCredentialsForIdentity',
    ])
    expect(pool.calls[2]?.body['Logins']).toEqual({ [USER_POOL_PROVIDER]: token })
  })

  it('a `logins` function that fails: NoIdentityError passes through; anything else is a CredentialsError naming its type only', async () => {
    const clock = manualClock(T0)
    mockIdentityPool({ clock })
    const token = fakeIdToken('alice')
    const noUser = fromCognitoIdentityPool({
      identityPoolId: POOL_ID,
      clock,
      logins: () => Promise.reject(new NoIdentityError('nobody is signed in')),
    })
    expect(await rejectionOf(noUser())).toBeInstanceOf(NoIdentityError)

    const broken = fromCognitoIdentityPool({
      identityPoolId: POOL_ID,
      clock,
      logins: () => {
        throw new TypeError(`cannot refresh ${token}`)
      },
    })
    const error = await rejectionOf(broken())
    expect(error).toBeInstanceOf(CredentialsError)
    expect((error as Error).message).toMatch(/`logins` function failed \(TypeError\)/)
    expect((error as Error).message).not.toContain(token)
  })
})

describe('fromCognitoIdentityPool: errors carry no secrets', () => {
  it('a server message quoting the login token is redacted; the secret key never appears', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const token = fakeIdToken('mallory')
    pool.failNext('GetId', () => awsError('NotAuthorizedException', `Invalid login token. Token ${token} expired`))
    const error = await rejectionOf(
      fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, logins: { [USER_POOL_PROVIDER]: token } })(),
    )
    const shown = inspect(error, { depth: 10 }) + JSON.stringify(error)
    expect(shown).not.toContain(token)
    expect(shown).not.toContain(token.split('.')[1])
    expect((error as Error).message).toContain('NotAuthorizedException: Invalid login token. Token [redacted] expired')
    expect((error as CredentialsError).recoverySuggestion).toMatch(/sign in again/)
  })

  it('an answer without credentials, a network failure and a timeout are CredentialsErrors', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    pool.failNext('GetCredentialsForIdentity', () =>
      Response.json({ IdentityId: 'x', Credentials: { AccessKeyId: 'A' } }),
    )
    const unusable = await rejectionOf(fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })())
    expect(unusable).toBeInstanceOf(CredentialsError)
    expect((unusable as Error).message).toMatch(
      /GetCredentialsForIdentity failed: the answer has no usable Credentials/,
    )
    expect((unusable as CredentialsError).recoverySuggestion).toMatch(/`endpoint`/)
    pool.failNext('GetId', () => Response.json({ IdentityId: 42 }))
    const noId = await rejectionOf(fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })())
    expect((noId as Error).message).toMatch(/GetId failed: the answer has no usable IdentityId/)

    pool.failNext('GetId', () => Response.error())
    const network = await rejectionOf(fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })())
    expect(network).toBeInstanceOf(CredentialsError)
    expect((network as Error).message).toMatch(
      /GetId failed: NetworkError: https:\/\/cognito-identity\S* could not be reached/,
    )

    const hanging = fromCognitoIdentityPool({
      identityPoolId: POOL_ID,
      clock,
      timeoutMs: 50,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => {
            reject(init.signal?.reason as Error)
          })
        }),
    })
    const started = Date.now()
    const timedOut = await rejectionOf(hanging())
    expect(timedOut).toBeInstanceOf(CredentialsError)
    expect((timedOut as Error).message).toMatch(/GetId failed: TimeoutError: no answer within 50 ms/)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('fromCognitoIdentityPool in a client', () => {
  const clientWith = (credentials: ReturnType<typeof fromCognitoIdentityPool>, clock = manualClock(T0)) =>
    createClient({
      endpoint: ENDPOINT,
      apiKey: 'da2-lazy-identity-pool-test-key',
      credentials,
      authMode: 'apiKey',
      modes: [iamMode()],
      clock,
      logger: null,
      retry: false,
    })

  it('is not called until a request uses iam: API-key requests never reach the identity pool', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const appsync = mockAppSync()
    const client = clientWith(fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock }), clock)

    await Promise.all(Array.from({ length: 5 }, () => client.request(GET_POST, { id: '1' })))
    expect(pool.calls).toEqual([])
    expect(appsync.requests.map((r) => r.mode)).toEqual(['apiKey', 'apiKey', 'apiKey', 'apiKey', 'apiKey'])

    await client.request(GET_POST, { id: '1' }, { authMode: 'iam' })
    expect([pool.count('GetId'), pool.count('GetCredentialsForIdentity')]).toEqual([1, 1])
    expect(appsync.requests.at(-1)?.mode).toBe('iam')
  })

  it('signs with the current principal right after sign-in and sign-out (no stale cache in the client)', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const appsync = mockAppSync()
    let logins: CognitoLogins | undefined
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, logins: () => logins })
    const client = clientWith(provider, clock)
    const iam = { authMode: 'iam' } as const

    const guest = await provider()
    await client.request(GET_POST, { id: '1' }, iam)
    logins = { [USER_POOL_PROVIDER]: fakeIdToken('alice') }
    await client.request(GET_POST, { id: '1' }, iam)
    const alice = await provider()
    logins = undefined
    await client.request(GET_POST, { id: '1' }, iam)
    const guestAgain = await provider()

    const keys = appsync.requests.map((r) => verifySigV4(r, { accessKeyId: '', secretAccessKey: '' }).accessKeyId)
    expect(keys).toEqual([guest.accessKeyId, alice.accessKeyId, guestAgain.accessKeyId])
    for (const [i, credentials] of [guest, alice, guestAgain].entries()) {
      expect(verifySigV4(appsync.requests[i]!, credentials).valid).toBe(true)
    }
    expect(pool.count('GetId')).toBe(3)
  })

  it('a 401 makes one GetCredentialsForIdentity for the same identity and one retry', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const appsync = mockAppSync((_request, index) =>
      index === 0 ? appSyncJson(fixtures.unauthorizedException, { status: 401 }) : appSyncJson(fixtures.getPost),
    )
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })
    const client = clientWith(provider, clock)
    await client.request(GET_POST, { id: '1' }, { authMode: 'iam' })
    expect([pool.count('GetId'), pool.count('GetCredentialsForIdentity')]).toEqual([1, 2])
    const [first, second] = appsync.requests.map((r) => verifySigV4(r, { accessKeyId: '', secretAccessKey: '' }))
    expect(first?.accessKeyId).not.toBe(second?.accessKeyId)
  })

  it('judges expiry by the client’s clock once corrected from the server: credentials fresh by the device clock are refreshed', async () => {
    const SERVER_NOW = T0 + 20 * MINUTE
    // The device is 20 minutes behind; Cognito issues 3-minute credentials by the server's time.
    const device = manualClock(T0)
    const pool = mockIdentityPool({ clock: manualClock(SERVER_NOW), lifetimeMs: 3 * MINUTE })
    const appsync = mockAppSync((request, index) =>
      index === 0
        ? appSyncSignatureExpired(parseAmzDate(request.headers['x-amz-date'] ?? ''), SERVER_NOW)
        : appSyncJson(fixtures.getPost),
    )
    const provider = fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock: device })
    const client = clientWith(provider, device)
    await client.request(GET_POST, { id: '1' }, { authMode: 'iam' })
    expect(client.clockOffsetMs).toBe(20 * MINUTE)
    expect(pool.count('GetCredentialsForIdentity')).toBe(1) // the clock retry re-signs with the same credentials
    // Valid for 23 more minutes by the device clock, for 3 by the corrected one: inside the refresh window.
    await client.request(GET_POST, { id: '2' }, { authMode: 'iam' })
    expect([pool.count('GetId'), pool.count('GetCredentialsForIdentity')]).toEqual([1, 2])
    const keys = appsync.requests.map((r) => verifySigV4(r, { accessKeyId: '', secretAccessKey: '' }).accessKeyId)
    expect(keys).toEqual(['ASIAMOCK000000000001', 'ASIAMOCK000000000001', 'ASIAMOCK000000000002'])
  })

  it('uses memoryStorage by default: separate providers do not share a guest', async () => {
    const clock = manualClock(T0)
    const pool = mockIdentityPool({ clock })
    const a = await fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock })()
    const b = await fromCognitoIdentityPool({ identityPoolId: POOL_ID, clock, storage: memoryStorage() })()
    expect(a.identityId).not.toBe(b.identityId)
    expect(pool.count('GetId')).toBe(2)
  })
})
