import { describe, expect, it } from 'vitest'
import {
  createClient,
  CredentialsError,
  iamMode,
  type AwsCredentialIdentity,
  type ClientOptions,
  type ResolveIdentityOptions,
  type TokenIdentity,
} from '../src/index'
import { authorizeLikeAppSync, ENDPOINT, GET_POST, mockAppSync } from './msw/appsync'
import { HOUR, manualClock, MINUTE, type ManualClock } from './msw/clock'
import { rejectionOf } from './msw/observe'
import { useMswServer } from './msw/server'
import { verifySigV4 } from './msw/sigv4'

useMswServer()

const T0 = Date.parse('2026-11-26T04:00:00Z')
const CONCURRENCY = 200

function makeClient(clock: ManualClock, options: Omit<ClientOptions, 'endpoint'>): ReturnType<typeof createClient> {
  return createClient({ endpoint: ENDPOINT, clock, logger: null, retry: false, ...options })
}

function fire(client: ReturnType<typeof createClient>, n: number): Promise<unknown[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => client.request(GET_POST, { id: String(i) })))
}

/** A token provider that hands out token-1, token-2, … each valid for `lifetimeMs` from the clock's now. */
function countingTokenProvider(clock: ManualClock, lifetimeMs = HOUR) {
  const calls: (ResolveIdentityOptions | undefined)[] = []
  const provider = async (options?: ResolveIdentityOptions): Promise<TokenIdentity> => {
    calls.push(options)
    await new Promise((resolve) => setTimeout(resolve, 5))
    return { token: `user-pool-token-${String(calls.length)}`, expiration: new Date(clock.now() + lifetimeMs) }
  }
  return { provider, calls }
}

function credentialsNumber(n: number, expiration: Date | undefined): AwsCredentialIdentity {
  return {
    accessKeyId: `ASIAMEMO${String(n).padStart(12, '0')}`,
    secretAccessKey: `memoization-secret-access-key-${String(n)}`,
    sessionToken: `memoization-session-token-${String(n)}`,
    ...(expiration ? { expiration } : {}),
  }
}

function countingCredentialsProvider(clock: ManualClock, lifetimeMs = HOUR) {
  const issued: AwsCredentialIdentity[] = []
  const calls: unknown[] = []
  const provider = async (options?: unknown): Promise<AwsCredentialIdentity> => {
    calls.push(options)
    await new Promise((resolve) => setTimeout(resolve, 5))
    const credentials = credentialsNumber(calls.length, new Date(clock.now() + lifetimeMs))
    issued.push(credentials)
    return credentials
  }
  return { provider, calls, issued }
}

describe('token memoization', () => {
  it(`${String(CONCURRENCY)} concurrent requests with an expired token make exactly one refresh`, async () => {
    const clock = manualClock(T0)
    const { provider, calls } = countingTokenProvider(clock)
    const appsync = mockAppSync()
    const client = makeClient(clock, { userPool: provider })

    await client.request(GET_POST, { id: '0' })
    expect(calls).toHaveLength(1)

    clock.advance(2 * HOUR) // token-1 expired an hour ago
    await fire(client, CONCURRENCY)
    expect(calls).toHaveLength(2)
    expect(appsync.requests).toHaveLength(CONCURRENCY + 1)
    const tokens = new Set(appsync.requests.slice(1).map((r) => r.headers['authorization']))
    expect([...tokens]).toEqual(['user-pool-token-2'])
  })

  it(`${String(CONCURRENCY)} concurrent first requests share one token fetch`, async () => {
    const clock = manualClock(T0)
    const { provider, calls } = countingTokenProvider(clock)
    const appsync = mockAppSync()
    await fire(makeClient(clock, { oidc: provider }), CONCURRENCY)
    expect(calls).toHaveLength(1)
    expect(appsync.requests.every((r) => r.headers['authorization'] === 'user-pool-token-1')).toBe(true)
  })

  it("reads the expiry from a JWT's exp claim when the provider gives none", async () => {
    const clock = manualClock(T0)
    const jwt = (n: number, exp: number): string =>
      [{ alg: 'none' }, { sub: 'user-1', exp: exp / 1000, n }, 'sig']
        .map((part) => btoa(JSON.stringify(part)).replace(/=+$/, ''))
        .join('.')
    let n = 0
    const appsync = mockAppSync()
    const client = makeClient(clock, {
      userPool: () => {
        n += 1
        return Promise.resolve({ token: jwt(n, clock.now() + HOUR) })
      },
    })
    await client.request(GET_POST, { id: '1' })
    clock.advance(30 * MINUTE)
    await client.request(GET_POST, { id: '1' })
    expect(n).toBe(1)
    clock.advance(31 * MINUTE) // past exp
    await fire(client, 20)
    expect(n).toBe(2)
    expect(appsync.requests.at(-1)?.headers['authorization']).toBe(jwt(2, T0 + 61 * MINUTE + HOUR))
  })

  it('refreshes a token 5 minutes before it expires, not earlier', async () => {
    const clock = manualClock(T0)
    const { provider, calls } = countingTokenProvider(clock)
    mockAppSync()
    const client = makeClient(clock, { lambda: provider })
    await client.request(GET_POST, { id: '1' })
    clock.set(T0 + 55 * MINUTE - 1)
    await client.request(GET_POST, { id: '1' })
    expect(calls).toHaveLength(1)
    clock.set(T0 + 55 * MINUTE)
    await client.request(GET_POST, { id: '1' })
    expect(calls).toHaveLength(2)
  })
})

describe('credentials memoization (iam)', () => {
  it(`${String(CONCURRENCY)} concurrent requests with expired credentials make exactly one credentials fetch`, async () => {
    const clock = manualClock(T0)
    const { provider, calls, issued } = countingCredentialsProvider(clock)
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: issued, now: () => clock.now() }))
    const client = makeClient(clock, { credentials: provider, modes: [iamMode()] })

    await client.request(GET_POST, { id: '0' })
    expect(calls).toHaveLength(1)

    clock.advance(2 * HOUR) // the first credentials' expiration is now in the past
    await fire(client, CONCURRENCY)
    expect(calls).toHaveLength(2)
    const fresh = issued[1]
    if (!fresh) throw new Error('no second credentials')
    const later = appsync.requests.slice(1)
    expect(later).toHaveLength(CONCURRENCY)
    expect(later.every((r) => r.headers['authorization']?.includes(`Credential=${fresh.accessKeyId}/`))).toBe(true)
    expect(later.every((r) => r.headers['x-amz-security-token'] === fresh.sessionToken)).toBe(true)
    // The server verified every signature; spot-check a few here too.
    for (const request of later.slice(0, 5)) expect(verifySigV4(request, fresh).valid).toBe(true)
  })

  it(`a provider whose credentials are already expired is called once for ${String(CONCURRENCY)} concurrent requests`, async () => {
    const clock = manualClock(T0)
    let calls = 0
    const stale = credentialsNumber(1, new Date(T0 - MINUTE))
    mockAppSync()
    const client = makeClient(clock, {
      credentials: async () => {
        calls += 1
        await new Promise((resolve) => setTimeout(resolve, 5))
        return stale
      },
      modes: [iamMode()],
    })
    await fire(client, CONCURRENCY)
    expect(calls).toBe(1)
  })

  it('refreshes credentials 5 minutes ahead of their expiration', async () => {
    const clock = manualClock(T0)
    const { provider, calls, issued } = countingCredentialsProvider(clock)
    const appsync = mockAppSync()
    const client = makeClient(clock, { credentials: provider, modes: [iamMode()] })

    await client.request(GET_POST, { id: '1' })
    clock.set(T0 + 55 * MINUTE - 1000) // 5 min 1 s before expiration
    await client.request(GET_POST, { id: '1' })
    expect(calls).toHaveLength(1)

    clock.set(T0 + 55 * MINUTE) // exactly 5 minutes before
    await client.request(GET_POST, { id: '1' })
    expect(calls).toHaveLength(2)
    expect(appsync.requests[2]?.headers['x-amz-security-token']).toBe(issued[1]?.sessionToken)
  })

  it('a failed early refresh keeps the still-valid credentials; once expired the failure surfaces', async () => {
    const clock = manualClock(T0)
    let calls = 0
    const first = credentialsNumber(1, new Date(T0 + HOUR))
    const appsync = mockAppSync()
    const client = makeClient(clock, {
      credentials: () => {
        calls += 1
        if (calls === 1) return Promise.resolve(first)
        return Promise.reject(Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' }))
      },
      modes: [iamMode()],
    })
    await client.request(GET_POST, { id: '1' })
    clock.set(T0 + 57 * MINUTE) // inside the refresh window: the refresh fails, the session stays
    await client.request(GET_POST, { id: '1' })
    expect(calls).toBe(2)
    expect(appsync.requests[1]?.headers['x-amz-security-token']).toBe(first.sessionToken)

    clock.set(T0 + HOUR + 1) // expired: nothing valid to fall back on
    const error = await rejectionOf(client.request(GET_POST, { id: '1' }))
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error).toMatchObject({ code: 'ERR_CREDENTIALS' })
    expect(appsync.requests).toHaveLength(2)
  })
})
