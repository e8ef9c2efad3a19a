import { graphql, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  createClient,
  GraphQLResponseError,
  iamMode,
  NetworkError,
  NoAuthModeAvailableError,
  NoIdentityError,
  UnauthorizedError,
  type ClientOptions,
} from '../src/index'
import {
  appSyncJson,
  appSyncUnauthorized,
  authorizeLikeAppSync,
  CREATE_POST,
  ENDPOINT,
  fixtures,
  GET_POST_WITH_NOTES,
  mockAppSync,
} from './msw/appsync'
import { manualClock } from './msw/clock'
import { recordEvents, recordingLogger, rejectionOf } from './msw/observe'
import { server, useMswServer } from './msw/server'
import { verifySigV4 } from './msw/sigv4'

useMswServer()

const T0 = Date.parse('2026-11-26T04:00:00Z')
const API_KEY = 'da2-modelistapikey00000000000000'
const CREDENTIALS = {
  accessKeyId: 'ASIAMODELIST00000001',
  secretAccessKey: 'mode-list-secret-access-key-0000000000',
  sessionToken: 'mode-list-session-token-00000000000000',
}

function makeClient(options: Omit<ClientOptions, 'endpoint'>): ReturnType<typeof createClient> {
  return createClient({ endpoint: ENDPOINT, clock: manualClock(T0), logger: null, retry: false, ...options })
}

/** A client that retries with no real wait. */
function retryingClient(options: Omit<ClientOptions, 'endpoint'>): ReturnType<typeof createClient> {
  return makeClient({ retry: { baseDelayMs: 1, maxDelayMs: 2 }, ...options })
}

/** AppSync answering 503 to the first `failures` requests, then the post. */
function appSyncFailingFirst(failures: number): ReturnType<typeof mockAppSync> {
  return mockAppSync((_, index) =>
    index < failures ? new HttpResponse(null, { status: 503 }) : appSyncJson(fixtures.getPost),
  )
}

describe("mode lists: ['userPool', 'iam'] and friends", () => {
  it('a token provider with no signed-in user (NoIdentityError) falls back to iam; the reason is recorded', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => T0 }))
    let tokenCalls = 0
    const logger = recordingLogger()
    const client = createClient({
      endpoint: ENDPOINT,
      clock: manualClock(T0),
      logger,
      authMode: ['userPool', 'iam'],
      userPool: () => {
        tokenCalls += 1
        return Promise.reject(new NoIdentityError('userPool: nobody is signed in'))
      },
      credentials: CREDENTIALS,
      modes: [iamMode()],
    })
    const events = recordEvents(client)

    await expect(client.request(GET_POST_WITH_NOTES, { id: '1' })).resolves.toEqual(fixtures.getPost.data)

    expect(tokenCalls).toBe(1)
    expect(appsync.requests).toHaveLength(1)
    const [request] = appsync.requests
    if (!request) throw new Error('no request')
    expect(request.mode).toBe('iam')
    expect(verifySigV4(request, CREDENTIALS).valid).toBe(true)
    expect(events.filter((e) => e.name === 'authModeSkipped')).toEqual([
      { name: 'authModeSkipped', payload: { mode: 'userPool', reason: 'userPool: nobody is signed in' } },
    ])
    expect(logger.calls).toContainEqual({
      level: 'debug',
      args: ['[authmode] authModeSkipped', { mode: 'userPool', reason: 'userPool: nobody is signed in' }],
    })
  })

  it('an AWS SDK-style "try the next link" error is a skip too', async () => {
    const appsync = mockAppSync()
    const client = makeClient({
      authMode: ['userPool', 'apiKey'],
      userPool: () =>
        Promise.reject(Object.assign(new Error('No session'), { name: 'ProviderError', tryNextLink: true })),
      apiKey: API_KEY,
    })
    const events = recordEvents(client)
    await client.request(GET_POST_WITH_NOTES, { id: '1' })
    expect(appsync.requests.map((r) => r.mode)).toEqual(['apiKey'])
    expect(events.map((e) => e.name)).toEqual(['authModeSkipped'])
  })

  it('a mode whose provider fails for another reason is not skipped: the failure surfaces', async () => {
    const appsync = mockAppSync()
    const client = makeClient({
      authMode: ['userPool', 'apiKey'],
      userPool: () => Promise.reject(new TypeError('fetch failed')),
      apiKey: API_KEY,
    })
    const error = await rejectionOf(client.request(GET_POST_WITH_NOTES, { id: '1' }))
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_REFRESH',
      message: 'the userPool provider failed (TypeError)',
    })
    expect(appsync.requests).toHaveLength(0)
  })

  // Issue 19: an API key provider's failure was reported as a "token provider" failure.
  it('an API key provider that throws is reported as the API key provider, without its message', async () => {
    const appsync = mockAppSync()
    const client = makeClient({ apiKey: () => Promise.reject(new Error('ParameterNotFound: da2-secret')) })
    const error = await rejectionOf(client.request(GET_POST_WITH_NOTES, { id: '1' }))
    expect(error).toMatchObject({
      code: 'ERR_TOKEN_REFRESH',
      message: 'the apiKey provider failed (Error)',
      recoverySuggestion: 'Check the provider, or sign in again.',
    })
    expect((error as Error).message).not.toContain('da2-secret')
    expect(appsync.requests).toHaveLength(0)
  })

  it('a request-level 401 with mode A, after its one retry, moves on to mode B', async () => {
    const tokenCalls: unknown[] = []
    const appsync = mockAppSync(authorizeLikeAppSync({ apiKeys: [API_KEY] })) // tokens are not accepted at all
    const client = makeClient({
      authMode: ['userPool', 'apiKey'],
      userPool: (options) => {
        tokenCalls.push(options)
        return Promise.resolve({ token: `user-pool-token-${String(tokenCalls.length)}` })
      },
      apiKey: API_KEY,
    })
    const events = recordEvents(client)

    await expect(client.request(GET_POST_WITH_NOTES, { id: '1' })).resolves.toEqual(fixtures.getPost.data)
    expect(appsync.requests.map((r) => r.mode)).toEqual(['token', 'token', 'apiKey'])
    expect(appsync.requests.map((r) => r.headers['authorization'] ?? r.headers['x-api-key'])).toEqual([
      'user-pool-token-1',
      'user-pool-token-2',
      API_KEY,
    ])
    expect(tokenCalls[1]).toMatchObject({ forceRefresh: true })
    expect(events.filter((e) => e.name === 'unauthorizedRetry')).toHaveLength(1)
  })

  it('when every mode of the list is rejected, the last UnauthorizedError is thrown', async () => {
    const appsync = mockAppSync(() => appSyncUnauthorized())
    const error = await rejectionOf(
      makeClient({
        authMode: ['userPool', 'apiKey'],
        userPool: () => Promise.resolve({ token: 'user-pool-token' }),
        apiKey: API_KEY,
      }).request(GET_POST_WITH_NOTES, { id: '1' }),
    )
    expect(error).toBeInstanceOf(UnauthorizedError)
    expect(error).toMatchObject({ mode: 'apiKey', status: 401 })
    // The provider's token is refreshed and resent once; the static key is not (issue 19: a
    // refresh cannot change it; it was resent before).
    expect(appsync.requests.map((r) => r.mode)).toEqual(['token', 'token', 'apiKey'])
  })

  it('a network error does not move on to the next mode', async () => {
    const appsync = mockAppSync(() => HttpResponse.error())
    const error = await rejectionOf(
      makeClient({ authMode: ['userPool', 'apiKey'], userPool: 'user-pool-token', apiKey: API_KEY }).request(
        GET_POST_WITH_NOTES,
        { id: '1' },
      ),
    )
    expect(error).toBeInstanceOf(NetworkError)
    expect(appsync.requests.map((r) => r.mode)).toEqual(['token'])
  })

  it('a 5xx is retried under the same mode, not answered by the next mode', async () => {
    const appsync = appSyncFailingFirst(1)
    const client = retryingClient({
      authMode: ['userPool', 'apiKey'],
      userPool: 'user-pool-token',
      apiKey: API_KEY,
    })
    await expect(client.request(GET_POST_WITH_NOTES, { id: '1' })).resolves.toEqual(fixtures.getPost.data)
    expect(appsync.requests.map((r) => r.mode)).toEqual(['token', 'token'])
  })

  it('a mode skipped on every attempt of a retried request is announced once (503, then 200)', async () => {
    const appsync = appSyncFailingFirst(1)
    const client = retryingClient({
      authMode: ['userPool', 'apiKey'],
      apiKey: API_KEY,
    })
    const events = recordEvents(client)
    await expect(client.request(GET_POST_WITH_NOTES, { id: '1' })).resolves.toEqual(fixtures.getPost.data)
    expect(appsync.requests.map((r) => r.mode)).toEqual(['apiKey', 'apiKey'])
    expect(events.map((e) => e.name)).toEqual(['authModeSkipped', 'retry'])
    expect(events[0]?.payload).toEqual({ mode: 'userPool', reason: '`userPool` is not configured' })
  })

  it('a mode without an identity is still asked on each attempt, and its skip announced once', async () => {
    const appsync = appSyncFailingFirst(2)
    let tokenCalls = 0
    const client = retryingClient({
      retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 2 },
      authMode: ['userPool', 'apiKey'],
      // Asked on every request (it keeps its own session), and nobody is signed in.
      userPool: Object.assign(
        () => {
          tokenCalls += 1
          return Promise.reject(new NoIdentityError('userPool: nobody is signed in'))
        },
        { keepsSession: true as const },
      ),
      apiKey: API_KEY,
    })
    const events = recordEvents(client)
    await expect(client.request(GET_POST_WITH_NOTES, { id: '1' })).resolves.toEqual(fixtures.getPost.data)
    expect(appsync.requests.map((r) => r.mode)).toEqual(['apiKey', 'apiKey', 'apiKey'])
    expect(tokenCalls).toBe(3)
    expect(events.filter((e) => e.name === 'authModeSkipped')).toEqual([
      { name: 'authModeSkipped', payload: { mode: 'userPool', reason: 'userPool: nobody is signed in' } },
    ])
  })

  it('after retries, NoAuthModeAvailableError lists every mode’s reason, each skip announced once', async () => {
    const appsync = mockAppSync(() => new HttpResponse(null, { status: 503 }))
    let tokenCalls = 0
    const client = retryingClient({
      authMode: ['oidc', 'userPool'],
      // Signed in for the first attempt, signed out by the second.
      userPool: Object.assign(
        () => {
          tokenCalls += 1
          return tokenCalls === 1
            ? Promise.resolve({ token: 'user-pool-token' })
            : Promise.reject(new NoIdentityError('userPool: signed out'))
        },
        { keepsSession: true as const },
      ),
    })
    const events = recordEvents(client)
    const error = await rejectionOf(client.request(GET_POST_WITH_NOTES, { id: '1' }))
    expect(error).toBeInstanceOf(NoAuthModeAvailableError)
    expect((error as NoAuthModeAvailableError).reasons).toEqual([
      { mode: 'oidc', reason: '`oidc` is not configured' },
      { mode: 'userPool', reason: 'userPool: signed out' },
    ])
    expect(appsync.requests.map((r) => r.mode)).toEqual(['token'])
    expect(events.filter((e) => e.name !== 'tokenRefreshed')).toEqual([
      { name: 'authModeSkipped', payload: { mode: 'oidc', reason: '`oidc` is not configured' } },
      { name: 'retry', payload: expect.objectContaining({ attempt: 1, reason: 'HTTP 503' }) },
      { name: 'authModeSkipped', payload: { mode: 'userPool', reason: 'userPool: signed out' } },
    ])
  })

  it('a validation error does not move on to the next mode', async () => {
    const appsync = mockAppSync(() => appSyncJson(fixtures.validationError))
    const error = await rejectionOf(
      makeClient({ authMode: ['userPool', 'apiKey'], userPool: 'user-pool-token', apiKey: API_KEY }).request(
        'query { getPost(id: "1") { nope } }',
      ),
    )
    expect(error).toBeInstanceOf(GraphQLResponseError)
    expect(appsync.requests).toHaveLength(1)
  })
})

describe('field-level denial (HTTP 200, errorType Unauthorized)', () => {
  it('is a GraphQLResponseError with .errors and the partial .data', async () => {
    // graphql.link scopes the handler to this endpoint; the operation is matched by name.
    const seen: string[] = []
    server.use(
      graphql.link(ENDPOINT).query('GetPost', ({ variables, request }) => {
        seen.push(`${String(variables['id'])}:${request.headers.get('x-api-key') ?? ''}`)
        return HttpResponse.json(fixtures.fieldDeniedPartial)
      }),
    )
    const error = await rejectionOf(makeClient({ apiKey: API_KEY }).request(GET_POST_WITH_NOTES, { id: '1' }))
    expect(seen).toEqual([`1:${API_KEY}`])
    expect(error).toBeInstanceOf(GraphQLResponseError)
    const graphQLError = error as GraphQLResponseError<typeof fixtures.fieldDeniedPartial.data>
    expect(graphQLError.code).toBe('ERR_GRAPHQL')
    expect(graphQLError.data).toEqual({ getPost: { id: '1', title: 'Hello, AppSync', secretNotes: null } })
    expect(graphQLError.errors).toHaveLength(1)
    expect(graphQLError.errors[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access secretNotes on type Post',
      path: ['getPost', 'secretNotes'],
    })
    expect(graphQLError.message).toBe(
      'GraphQL error (apiKey): Unauthorized: Not Authorized to access secretNotes on type Post',
    )
  })

  it('is not a request-level failure: no refresh, no retry', async () => {
    let calls = 0
    const appsync = mockAppSync(() => appSyncJson(fixtures.fieldDeniedPartial))
    const error = await rejectionOf(
      makeClient({
        userPool: () => {
          calls += 1
          return Promise.resolve({ token: 'user-pool-token' })
        },
      }).request(GET_POST_WITH_NOTES, { id: '1' }),
    )
    expect(error).toBeInstanceOf(GraphQLResponseError)
    expect(calls).toBe(1)
    expect(appsync.requests).toHaveLength(1)
  })

  it('with a mode list, a query denied a field under mode A is tried under mode B', async () => {
    const appsync = mockAppSync((request) =>
      request.mode === 'apiKey' ? appSyncJson(fixtures.fieldDeniedPartial) : appSyncJson(fixtures.getPost),
    )
    const data = await makeClient({
      authMode: ['apiKey', 'userPool'],
      apiKey: API_KEY,
      userPool: 'user-pool-token',
    }).request(GET_POST_WITH_NOTES, { id: '1' })
    expect(data).toEqual(fixtures.getPost.data)
    expect(appsync.requests.map((r) => r.mode)).toEqual(['apiKey', 'token'])
  })

  it('with a mode list, a query denied under every mode reports the denial with the partial data', async () => {
    const appsync = mockAppSync(() => appSyncJson(fixtures.fieldDeniedPartial))
    const error = await rejectionOf(
      makeClient({ authMode: ['apiKey', 'userPool'], apiKey: API_KEY, userPool: 'user-pool-token' }).request(
        GET_POST_WITH_NOTES,
        { id: '1' },
      ),
    )
    expect(error).toBeInstanceOf(GraphQLResponseError)
    expect((error as GraphQLResponseError).data).toEqual(fixtures.fieldDeniedPartial.data)
    expect(appsync.requests).toHaveLength(2)
  })

  it('a mutation denied a field is never re-run under another mode', async () => {
    const denied = {
      data: { createPost: { id: '2', title: 'Created', secretNotes: null } },
      errors: fixtures.fieldDeniedPartial.errors,
    }
    const appsync = mockAppSync(() => appSyncJson(denied))
    const error = await rejectionOf(
      makeClient({ authMode: ['apiKey', 'userPool'], apiKey: API_KEY, userPool: 'user-pool-token' }).request(
        CREATE_POST,
        { title: 'Created' },
      ),
    )
    expect(error).toBeInstanceOf(GraphQLResponseError)
    expect((error as GraphQLResponseError).data).toEqual(denied.data)
    expect(appsync.requests).toHaveLength(1)
  })
})
