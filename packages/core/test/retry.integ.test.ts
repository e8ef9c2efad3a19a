import { delay, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  createClient,
  HttpError,
  iamMode,
  NetworkError,
  TimeoutError,
  type BeforeRequestHook,
  type ClientOptions,
} from '../src/index'
import {
  appSyncJson,
  authorizeLikeAppSync,
  CREATE_POST,
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
const API_KEY = 'da2-retryapikey0000000000000000'
const FAST = { baseDelayMs: 2, maxDelayMs: 10 }
const CREDENTIALS = {
  accessKeyId: 'ASIARETRY00000000001',
  secretAccessKey: 'retry-secret-access-key-000000000000000',
  sessionToken: 'retry-session-token-0000000000000000000',
}

function makeClient(options: Omit<ClientOptions, 'endpoint'> = {}): ReturnType<typeof createClient> {
  return createClient({
    endpoint: ENDPOINT,
    clock: manualClock(T0),
    logger: null,
    apiKey: API_KEY,
    retry: FAST,
    ...options,
  })
}

const failures = {
  429: () =>
    appSyncJson({ errors: [{ errorType: 'TooManyRequestsException', message: 'Rate exceeded' }] }, { status: 429 }),
  500: () =>
    appSyncJson(
      { errors: [{ errorType: 'InternalFailure', message: 'An internal failure occurred.' }] },
      { status: 500 },
    ),
  503: () => new HttpResponse('Service Unavailable', { status: 503, statusText: 'Service Unavailable' }),
  network: () => HttpResponse.error(),
} as const

describe('retries with backoff', () => {
  it.each(['429', '500', '503', 'network'] as const)('a query is retried after %s and succeeds', async (kind) => {
    const appsync = mockAppSync((_, index) => (index < 2 ? failures[kind]() : appSyncJson(fixtures.getPost)))
    const client = makeClient()
    const events = recordEvents(client)
    await expect(client.request(GET_POST, { id: '1' })).resolves.toEqual(fixtures.getPost.data)
    expect(appsync.requests).toHaveLength(3)
    const retries = events
      .filter((e) => e.name === 'retry')
      .map((e) => e.payload as { attempt: number; delayMs: number; reason: string })
    expect(retries.map((r) => r.attempt)).toEqual([1, 2])
    expect(retries.every((r) => r.delayMs >= 0 && r.delayMs <= FAST.maxDelayMs)).toBe(true)
    expect(retries[0]?.reason).toBe(kind === 'network' ? 'network error' : `HTTP ${kind}`)
  })

  it('stops after retry.limit retries (1 + limit attempts) with the typed error', async () => {
    const appsync = mockAppSync(() => failures[503]())
    const error = await rejectionOf(makeClient({ retry: { ...FAST, limit: 3 } }).request(GET_POST, { id: '1' }))
    expect(appsync.requests).toHaveLength(4)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status: 503, code: 'ERR_HTTP' })
  })

  it('a network failure that persists is a NetworkError after the retries', async () => {
    const appsync = mockAppSync(() => failures.network())
    const error = await rejectionOf(makeClient().request(GET_POST, { id: '1' }))
    expect(appsync.requests).toHaveLength(3)
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toMatchObject({ code: 'ERR_NETWORK' })
    expect((error as Error).message).toContain(`POST ${ENDPOINT}: network error`)
    expect((error as NetworkError).recoverySuggestion).toMatch(/Check connectivity/)
  })

  it.each(['429', '500', 'network'] as const)('a mutation is not retried after %s', async (kind) => {
    const appsync = mockAppSync(() => failures[kind]())
    const error = await rejectionOf(makeClient().request(CREATE_POST, { title: 'x' }))
    expect(appsync.requests).toHaveLength(1)
    expect(error).toBeInstanceOf(kind === 'network' ? NetworkError : HttpError)
  })

  it('a mutation is retried when retry.mutations is true (client or per request)', async () => {
    const appsync = mockAppSync((_, index) => (index % 2 === 0 ? failures[500]() : appSyncJson(fixtures.createPost)))
    await expect(
      makeClient({ retry: { ...FAST, mutations: true } }).request(CREATE_POST, { title: 'x' }),
    ).resolves.toEqual(fixtures.createPost.data)
    await expect(makeClient().request(CREATE_POST, { title: 'x' }, { retry: { mutations: true } })).resolves.toEqual(
      fixtures.createPost.data,
    )
    expect(appsync.requests).toHaveLength(4)
  })

  it('retry: false turns retries off for queries', async () => {
    const appsync = mockAppSync(() => failures[500]())
    await expect(makeClient({ retry: false }).request(GET_POST, { id: '1' })).rejects.toBeInstanceOf(HttpError)
    await expect(makeClient().request(GET_POST, { id: '1' }, { retry: false })).rejects.toBeInstanceOf(HttpError)
    expect(appsync.requests).toHaveLength(2)
  })

  it('a Retry-After header is a floor for the delay', async () => {
    const appsync = mockAppSync((_, index) =>
      index === 0
        ? appSyncJson({ errors: [{ message: 'slow down' }] }, { status: 429, headers: { 'retry-after': '0.05' } })
        : appSyncJson(fixtures.getPost),
    )
    const client = makeClient({ retry: { baseDelayMs: 1, maxDelayMs: 1000 } })
    const events = recordEvents(client)
    await client.request(GET_POST, { id: '1' })
    expect(appsync.requests).toHaveLength(2)
    expect(events.find((e) => e.name === 'retry')?.payload).toMatchObject({ delayMs: 50 })
  })
})

describe('abort and timeout', () => {
  it('an abort while waiting for the answer rejects with the signal’s reason', async () => {
    const appsync = mockAppSync(async () => {
      await delay('infinite')
      return appSyncJson(fixtures.getPost)
    })
    const controller = new AbortController()
    const reason = new Error('the user navigated away')
    const pending = makeClient().request(GET_POST, { id: '1' }, { signal: controller.signal })
    await new Promise((resolve) => setTimeout(resolve, 20))
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    expect(appsync.requests).toHaveLength(1)
  })

  it('an already-aborted signal rejects with its reason', async () => {
    mockAppSync()
    const reason = new Error('cancelled before start')
    await expect(makeClient().request(GET_POST, { id: '1' }, { signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    )
  })

  it('an abort during backoff stops the retries', async () => {
    const appsync = mockAppSync(() => failures[503]())
    const controller = new AbortController()
    const reason = new Error('stop retrying')
    const client = makeClient({ retry: { baseDelayMs: 10_000, maxDelayMs: 10_000, limit: 2 } })
    client.on('retry', () => {
      controller.abort(reason)
    })
    const started = Date.now()
    const error = await rejectionOf(client.request(GET_POST, { id: '1' }, { signal: controller.signal }))
    expect(error).toBe(reason)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(appsync.requests).toHaveLength(1)
  })

  it('timeoutMs gives a TimeoutError', async () => {
    mockAppSync(async () => {
      await delay('infinite')
      return appSyncJson(fixtures.getPost)
    })
    const started = Date.now()
    const error = await rejectionOf(makeClient().request(GET_POST, { id: '1' }, { timeoutMs: 50 }))
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error).toMatchObject({ code: 'ERR_TIMEOUT' })
    expect((error as Error).message).toBe(`POST ${ENDPOINT}: no answer within 50 ms`)
    expect((error as TimeoutError).recoverySuggestion).toMatch(/Raise `timeoutMs`/)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('the deadline covers identity resolution: a hanging token provider gives a TimeoutError', async () => {
    const appsync = mockAppSync()
    const client = makeClient({ apiKey: undefined, userPool: () => new Promise<never>(() => undefined) })
    const error = await rejectionOf(client.request(GET_POST, { id: '1' }, { timeoutMs: 30 }))
    expect(error).toBeInstanceOf(TimeoutError)
    expect(appsync.requests).toHaveLength(0)
  })

  it('an abort while a provider is still working rejects with the reason, and the next call still works', async () => {
    const appsync = mockAppSync()
    let release: (value: { token: string }) => void = () => undefined
    let calls = 0
    const client = makeClient({
      apiKey: undefined,
      userPool: () => {
        calls += 1
        return new Promise((resolve) => {
          release = resolve
        })
      },
    })
    const controller = new AbortController()
    const reason = new Error('gave up waiting for sign-in')
    const first = client.request(GET_POST, { id: '1' }, { signal: controller.signal })
    const second = client.request(GET_POST, { id: '2' })
    await new Promise((resolve) => setTimeout(resolve, 10))
    controller.abort(reason)
    await expect(first).rejects.toBe(reason)
    release({ token: 'late-token' })
    await expect(second).resolves.toEqual(fixtures.getPost.data)
    expect(calls).toBe(1) // the shared fetch was not cancelled by the caller who gave up
    expect(appsync.requests.map((r) => r.headers['authorization'])).toEqual(['late-token'])
  })

  it('the client-level timeoutMs covers the retries too', async () => {
    const appsync = mockAppSync(async () => {
      await delay(30)
      return failures[503]()
    })
    const error = await rejectionOf(
      makeClient({ timeoutMs: 100, retry: { baseDelayMs: 40, maxDelayMs: 40, limit: 10 } }).request(GET_POST, {
        id: '1',
      }),
    )
    expect(error).toBeInstanceOf(TimeoutError)
    expect(appsync.requests.length).toBeGreaterThanOrEqual(1)
    expect(appsync.requests.length).toBeLessThan(11)
  })
})

describe('beforeRequest hooks', () => {
  it('run before authorization: a header added by a hook is covered by the SigV4 signature', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => T0 }))
    const contexts: unknown[] = []
    const addTrace: BeforeRequestHook = (request, context) => {
      contexts.push(context)
      // What the hook sees has no credentials yet: it runs before the mode is applied.
      expect(request.headers['authorization']).toBeUndefined()
      expect(request.headers['x-amz-date']).toBeUndefined()
      return { ...request, headers: { ...request.headers, 'x-trace-id': 'trace-abc-123' } }
    }
    const client = makeClient({
      apiKey: undefined,
      credentials: CREDENTIALS,
      modes: [iamMode()],
      hooks: { beforeRequest: [addTrace] },
    })
    await expect(client.request(GET_POST, { id: '1' })).resolves.toEqual(fixtures.getPost.data)

    const [request] = appsync.requests
    if (!request) throw new Error('no request')
    expect(request.headers['x-trace-id']).toBe('trace-abc-123')
    const check = verifySigV4(request, CREDENTIALS)
    expect(check.signedHeaders).toContain('x-trace-id')
    expect(check.valid).toBe(true)
    // And the signature really depends on it.
    expect(
      verifySigV4({ ...request, headers: { ...request.headers, 'x-trace-id': 'trace-other' } }, CREDENTIALS).valid,
    ).toBe(false)
    expect(contexts).toEqual([{ operationName: 'GetPost', operationType: 'query' }])
  })

  it('a hook that changes the body is signed over the changed body', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => T0 }))
    const client = makeClient({
      apiKey: undefined,
      credentials: CREDENTIALS,
      modes: [iamMode()],
      hooks: {
        beforeRequest: [
          // `client.request` sends a string body; only `createAuthFetch` may send bytes.
          (request) => Promise.resolve({ ...request, body: String(request.body).replace('"id":"1"', '"id":"42"') }),
        ],
      },
    })
    await client.request(GET_POST, { id: '1' })
    expect(appsync.requests[0]?.body?.variables).toEqual({ id: '42' })
    expect(verifySigV4(appsync.requests[0] as Parameters<typeof verifySigV4>[0], CREDENTIALS).valid).toBe(true)
  })

  it('credential headers set by a hook are dropped: one mode, applied last', async () => {
    const appsync = mockAppSync()
    const client = makeClient({
      hooks: {
        beforeRequest: [
          (request) => ({
            ...request,
            headers: { ...request.headers, authorization: 'from-hook', 'x-api-key': 'da2-fromhook' },
          }),
        ],
      },
    })
    await client.request(GET_POST, { id: '1' })
    expect(appsync.requests[0]?.headers['authorization']).toBeUndefined()
    expect(appsync.requests[0]?.headers['x-api-key']).toBe(API_KEY)
  })
})
