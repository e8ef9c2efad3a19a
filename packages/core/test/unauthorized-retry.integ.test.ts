import { describe, expect, it } from 'vitest'
import {
  createClient,
  iamMode,
  UnauthorizedError,
  type AwsCredentialIdentity,
  type ClientOptions,
  type ResolveIdentityOptions,
} from '../src/index'
import {
  appSyncJson,
  appSyncUnauthorized,
  authorizeLikeAppSync,
  ENDPOINT,
  fixtures,
  GET_POST,
  mockAppSync,
} from './msw/appsync'
import { manualClock } from './msw/clock'
import { recordEvents, rejectionOf } from './msw/observe'
import { useMswServer } from './msw/server'
import { verifySigV4 } from './msw/sigv4'

useMswServer()

const T0 = Date.parse('2026-11-26T04:00:00Z')

function makeClient(options: Omit<ClientOptions, 'endpoint'>): ReturnType<typeof createClient> {
  return createClient({ endpoint: ENDPOINT, clock: manualClock(T0), logger: null, retry: false, ...options })
}

/** A provider that hands out `${prefix}-1`, `${prefix}-2`, … and records how it was called. */
function tokenSequence(prefix: string) {
  const calls: (ResolveIdentityOptions | undefined)[] = []
  const provider = async (options?: ResolveIdentityOptions): Promise<{ token: string }> => {
    calls.push(options)
    await new Promise((resolve) => setTimeout(resolve, 2))
    return { token: `${prefix}-${String(calls.length)}` }
  }
  return { provider, calls, forced: () => calls.filter((c) => c?.forceRefresh === true).length }
}

describe('401 UnauthorizedException → one forced refresh → one retry', () => {
  it('userPool: the provider is called with { forceRefresh: true } once and the retry succeeds', async () => {
    const { provider, calls, forced } = tokenSequence('user-pool-token')
    const appsync = mockAppSync(authorizeLikeAppSync({ tokens: ['user-pool-token-2'] }))
    const client = makeClient({ userPool: provider })
    const events = recordEvents(client)

    await expect(client.request(GET_POST, { id: '1' })).resolves.toEqual(fixtures.getPost.data)

    expect(appsync.requests.map((r) => r.headers['authorization'])).toEqual(['user-pool-token-1', 'user-pool-token-2'])
    expect(calls).toHaveLength(2)
    expect(calls[1]).toMatchObject({ forceRefresh: true })
    expect(forced()).toBe(1)
    expect(events.filter((e) => e.name === 'unauthorizedRetry')).toEqual([
      { name: 'unauthorizedRetry', payload: { mode: 'userPool', status: 401 } },
    ])
  })

  it('the 401 the test server sends is the AppSync wire shape', async () => {
    const response = appSyncUnauthorized()
    expect(response.status).toBe(401)
    expect(response.headers.get('x-amzn-ErrorType')).toBe('UnauthorizedException')
    expect(await response.json()).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }],
    })
  })

  it('a permanent 401 stops after exactly two attempts with UnauthorizedError', async () => {
    const { provider, forced } = tokenSequence('revoked-token')
    const appsync = mockAppSync(() => appSyncUnauthorized())
    const error = await rejectionOf(makeClient({ userPool: provider }).request(GET_POST, { id: '1' }))

    expect(appsync.requests).toHaveLength(2)
    expect(forced()).toBe(1)
    expect(error).toBeInstanceOf(UnauthorizedError)
    const unauthorized = error as UnauthorizedError
    expect(unauthorized.code).toBe('ERR_UNAUTHORIZED')
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.mode).toBe('userPool')
    expect(unauthorized.requestId).toMatch(/^0b1f2a3c-/)
    expect(unauthorized.serverMessages).toEqual(['You are not authorized to make this call.'])
    expect(unauthorized.message).toContain('401 Unauthorized (userPool)')
    expect(unauthorized.message).toContain(ENDPOINT)
    expect(unauthorized.recoverySuggestion).toMatch(/enabled on the API/)
  })

  // Issue 19: a static token or key (a string option), or plain IAM credentials, was resent once; a
  // refresh cannot change it, so the retry only doubled the server's log. It is now sent once, with
  // no retry event.
  it('a static token, API key or IAM credentials refused are not resent (nothing new to fetch) and fail', async () => {
    const credentials = { accessKeyId: 'AKIDSTATIC0000000001', secretAccessKey: 'static-secret' }
    for (const options of [
      { lambda: 'static-lambda-token' },
      { apiKey: 'da2-static' },
      { userPool: 'static.jwt.x' },
      { credentials, modes: [iamMode()] },
    ]) {
      const appsync = mockAppSync(() => appSyncUnauthorized())
      const client = makeClient(options)
      const retries: unknown[] = []
      client.on('unauthorizedRetry', (event) => retries.push(event))
      const error = await rejectionOf(client.request(GET_POST, { id: '1' }))
      expect(error).toBeInstanceOf(UnauthorizedError)
      expect(appsync.requests).toHaveLength(1)
      expect(retries).toEqual([])
    }
  })

  it('HTTP 200 whose only error is UnauthorizedException (no data) counts as an authorization failure', async () => {
    const { provider, forced } = tokenSequence('oidc-token')
    const appsync = mockAppSync((request) =>
      request.headers['authorization'] === 'oidc-token-1'
        ? appSyncJson({ data: null, ...fixtures.unauthorizedException })
        : appSyncJson(fixtures.getPost),
    )
    await expect(makeClient({ oidc: provider }).request(GET_POST, { id: '1' })).resolves.toEqual(fixtures.getPost.data)
    expect(appsync.requests).toHaveLength(2)
    expect(forced()).toBe(1)
  })

  it('200 concurrent requests that all get a 401 once trigger exactly one refresh', async () => {
    const { provider, calls, forced } = tokenSequence('user-pool-token')
    const appsync = mockAppSync(authorizeLikeAppSync({ tokens: ['user-pool-token-2'] }))
    const client = makeClient({ userPool: provider })

    const results = await Promise.all(Array.from({ length: 200 }, () => client.request(GET_POST, { id: '1' })))

    expect(results.every((r) => JSON.stringify(r) === JSON.stringify(fixtures.getPost.data))).toBe(true)
    expect(calls).toHaveLength(2)
    expect(forced()).toBe(1)
    const sent = appsync.requests.map((r) => r.headers['authorization'])
    expect(sent.filter((t) => t === 'user-pool-token-1')).toHaveLength(200)
    expect(sent.filter((t) => t === 'user-pool-token-2')).toHaveLength(200)
  })

  it('iam: a 401 forces one credentials refresh and the re-signed retry succeeds', async () => {
    const issued: AwsCredentialIdentity[] = []
    const calls: unknown[] = []
    const provider = (options?: unknown): Promise<AwsCredentialIdentity> => {
      calls.push(options)
      const n = String(calls.length)
      const credentials = {
        accessKeyId: `ASIAREFRESH0000000${n}`,
        secretAccessKey: `refresh-secret-${n}`,
        sessionToken: `refresh-session-${n}`,
      }
      issued.push(credentials)
      return Promise.resolve(credentials)
    }
    // The server no longer accepts the first credentials (revoked role session).
    const appsync = mockAppSync((request, index) =>
      request.headers['x-amz-security-token'] === 'refresh-session-1'
        ? appSyncUnauthorized('Permission denied')
        : authorizeLikeAppSync({ credentials: issued, now: () => T0 })(request, index),
    )
    await expect(
      makeClient({ credentials: provider, modes: [iamMode()] }).request(GET_POST, { id: '1' }),
    ).resolves.toEqual(fixtures.getPost.data)
    expect(appsync.requests).toHaveLength(2)
    expect(calls).toHaveLength(2)
    expect(calls[1]).toMatchObject({ forceRefresh: true })
    const retry = appsync.requests[1]
    if (!retry || !issued[1]) throw new Error('no retry')
    expect(verifySigV4(retry, issued[1]).valid).toBe(true)
  })

  it('apiKey: an ApiKeyProvider is forced to refresh once after a 401', async () => {
    const calls: (ResolveIdentityOptions | undefined)[] = []
    const appsync = mockAppSync(authorizeLikeAppSync({ apiKeys: ['da2-rotatedkey000000000000002'] }))
    await makeClient({
      apiKey: (options) => {
        calls.push(options)
        return Promise.resolve({ apiKey: `da2-rotatedkey00000000000000${String(calls.length)}` })
      },
    }).request(GET_POST, { id: '1' })
    expect(appsync.requests.map((r) => r.headers['x-api-key'])).toEqual([
      'da2-rotatedkey000000000000001',
      'da2-rotatedkey000000000000002',
    ])
    expect(calls[1]).toMatchObject({ forceRefresh: true })
  })
})
