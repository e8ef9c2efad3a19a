import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { http, HttpResponse } from 'msw'
import {
  ConfigurationError,
  createAuthFetch,
  createClient,
  iamMode,
  NoAuthModeAvailableError,
  UnauthorizedError,
  type AuthFetch,
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
  type CapturedRequest,
} from './msw/appsync'
import { manualClock } from './msw/clock'
import { recordEvents, rejectionOf } from './msw/observe'
import { server, useMswServer } from './msw/server'
import { verifySigV4 } from './msw/sigv4'

useMswServer()

const T0 = Date.parse('2026-11-26T04:00:00Z')
const API_KEY = 'da2-authfetchapikey0000000000000'
const CREDENTIALS = {
  accessKeyId: 'ASIAAUTHFETCH0000001',
  secretAccessKey: 'auth-fetch-secret-access-key-000000000',
  sessionToken: 'auth-fetch-session-token-0000000000000',
}
const BODY = JSON.stringify({ query: GET_POST, variables: { id: '1' }, operationName: 'GetPost' })
const JSON_HEADERS = { 'content-type': 'application/json' }

function authFetch(options: Omit<ClientOptions, 'endpoint'>): AuthFetch {
  return createAuthFetch({ endpoint: ENDPOINT, clock: manualClock(T0), logger: null, ...options })
}

describe('createAuthFetch', () => {
  it('is fetch-compatible: (url, init) → Response, with a JSON body string', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ apiKeys: [API_KEY] }))
    const fetchLike: typeof fetch = authFetch({ apiKey: API_KEY })
    const response = await fetchLike(ENDPOINT, { method: 'POST', headers: JSON_HEADERS, body: BODY })
    expect(response).toBeInstanceOf(Response)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual(fixtures.getPost)
    const [request] = appsync.requests
    expect(request?.bodyText).toBe(BODY)
    expect(request?.headers['x-api-key']).toBe(API_KEY)
    expect(request?.headers['authorization']).toBeUndefined()
    expect(request?.headers['content-type']).toBe('application/json')
  })

  it('a JSON body string without a content-type: every header that is sent is signed', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => T0 }))
    const response = await authFetch({ credentials: CREDENTIALS, modes: [iamMode()] })(ENDPOINT, {
      method: 'POST',
      body: BODY,
    })
    expect(await response.json()).toEqual(fixtures.getPost)
    const [request] = appsync.requests
    if (!request) throw new Error('no request')
    expect(request.bodyText).toBe(BODY)
    const check = verifySigV4(request, CREDENTIALS)
    expect(check.valid).toBe(true)
    const sent = Object.keys(request.headers).filter((name) => name !== 'authorization')
    expect(check.signedHeaders.filter((name) => name !== 'host')).toEqual(sent.sort())
  })

  it('an explicit content-type (client headers or the call) wins over the body-derived one', async () => {
    const appsync = mockAppSync()
    const fetchLike = authFetch({
      credentials: CREDENTIALS,
      modes: [iamMode()],
      headers: { 'content-type': 'application/json' },
    })
    await fetchLike(ENDPOINT, { method: 'POST', body: BODY })
    await fetchLike(ENDPOINT, {
      method: 'POST',
      body: BODY,
      headers: { 'Content-Type': 'application/graphql-response+json' },
    })
    expect(appsync.requests.map((r) => r.headers['content-type'])).toEqual([
      'application/json',
      'application/graphql-response+json',
    ])
    for (const request of appsync.requests) expect(verifySigV4(request, CREDENTIALS).valid).toBe(true)
  })

  it('a non-string body keeps the media type fetch would give it, and it is signed', async () => {
    const appsync = mockAppSync(() => new Response('ok'))
    await authFetch({ credentials: CREDENTIALS, modes: [iamMode()] })(ENDPOINT, {
      method: 'POST',
      body: new URLSearchParams({ query: '{ a }' }),
    })
    const [request] = appsync.requests
    if (!request) throw new Error('no request')
    expect(request.bodyText).toBe('query=%7B+a+%7D')
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8')
    expect(verifySigV4(request, CREDENTIALS).signedHeaders).toContain('content-type')
    expect(verifySigV4(request, CREDENTIALS).valid).toBe(true)
  })

  it('init.authMode picks the mode of that call', async () => {
    const appsync = mockAppSync()
    const fetchLike = authFetch({
      apiKey: API_KEY,
      userPool: 'user-pool-token-fetch',
      credentials: CREDENTIALS,
      modes: [iamMode()],
      authMode: 'apiKey',
    })
    await fetchLike(ENDPOINT, { method: 'POST', headers: JSON_HEADERS, body: BODY })
    await fetchLike(ENDPOINT, { method: 'POST', headers: JSON_HEADERS, body: BODY, authMode: 'userPool' })
    await fetchLike(new URL(ENDPOINT), { method: 'POST', headers: JSON_HEADERS, body: BODY, authMode: 'iam' })
    expect(appsync.requests.map((r) => r.mode)).toEqual(['apiKey', 'token', 'iam'])
    expect(appsync.requests[1]?.headers['authorization']).toBe('user-pool-token-fetch')
    expect(appsync.requests[1]?.headers['x-api-key']).toBeUndefined()
    const signed = appsync.requests[2]
    if (!signed) throw new Error('no iam request')
    expect(signed.headers['x-api-key']).toBeUndefined()
    // Signed last, over the exact bytes sent.
    expect(signed.bodyText).toBe(BODY)
    expect(verifySigV4(signed, CREDENTIALS).valid).toBe(true)
  })

  it('accepts a Request as input, keeping its method, headers and body', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => T0 }))
    const fetchLike = authFetch({ credentials: CREDENTIALS, modes: [iamMode()] })
    const response = await fetchLike(
      new Request(ENDPOINT, { method: 'POST', headers: { ...JSON_HEADERS, 'x-client': 'urql' }, body: BODY }),
    )
    expect(response.status).toBe(200)
    const [request] = appsync.requests
    if (!request) throw new Error('no request')
    expect(request.bodyText).toBe(BODY)
    expect(verifySigV4(request, CREDENTIALS).signedHeaders).toContain('x-client')
  })

  it('a 401 refreshes the identity and retries once; the caller gets the successful response', async () => {
    const calls: (ResolveIdentityOptions | undefined)[] = []
    const appsync = mockAppSync(authorizeLikeAppSync({ tokens: ['fetch-token-2'] }))
    const fetchLike = authFetch({
      userPool: (options) => {
        calls.push(options)
        return Promise.resolve({ token: `fetch-token-${String(calls.length)}` })
      },
    })
    const response = await fetchLike(ENDPOINT, { method: 'POST', headers: JSON_HEADERS, body: BODY })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual(fixtures.getPost)
    expect(appsync.requests.map((r) => r.headers['authorization'])).toEqual(['fetch-token-1', 'fetch-token-2'])
    expect(calls).toHaveLength(2)
    expect(calls[1]).toMatchObject({ forceRefresh: true })
  })

  it('a permanent 401 comes back as the last Response, body unread, after exactly two attempts (fetch semantics)', async () => {
    const appsync = mockAppSync((_request, index) =>
      appSyncJson(
        { errors: [{ errorType: 'UnauthorizedException', message: `attempt ${String(index + 1)}` }] },
        { status: 401, headers: { 'x-amzn-ErrorType': 'UnauthorizedException' } },
      ),
    )
    // A provider (its token refused again after the refresh): a static token is not resent (issue 19).
    const client = createClient({
      endpoint: ENDPOINT,
      logger: null,
      userPool: () => Promise.resolve({ token: 'never-accepted' }),
    })
    const events = recordEvents(client)
    const response = await createAuthFetch(client)(ENDPOINT, { method: 'POST', headers: JSON_HEADERS, body: BODY })
    expect(response).toBeInstanceOf(Response)
    expect(response.status).toBe(401)
    expect(response.headers.get('x-amzn-errortype')).toBe('UnauthorizedException')
    expect(response.bodyUsed).toBe(false)
    // The second answer, readable by the GraphQL client as it came.
    expect(await response.json()).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'attempt 2' }] })
    expect(appsync.requests).toHaveLength(2)
    expect(events.filter((e) => e.name === 'unauthorizedRetry')).toEqual([
      { name: 'unauthorizedRetry', payload: { mode: 'userPool', status: 401 } },
    ])
  })

  it('client.request still throws UnauthorizedError for the same permanent 401', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ tokens: [] }))
    const client = createClient({ endpoint: ENDPOINT, logger: null, userPool: 'never-accepted' })
    const error = await rejectionOf(client.request(GET_POST, { id: '1' }))
    expect(error).toBeInstanceOf(UnauthorizedError)
    expect(error).toMatchObject({ code: 'ERR_UNAUTHORIZED', mode: 'userPool', status: 401 })
    // Issue 19: a static token is sent once (a refresh cannot change it); it was sent twice.
    expect(appsync.requests).toHaveLength(1)
  })

  it('an UnauthorizedException on HTTP 403 for a static key is returned as that Response, not resent', async () => {
    const appsync = mockAppSync(() => appSyncJson(fixtures.unauthorizedException, { status: 403 }))
    const response = await authFetch({ apiKey: API_KEY })(ENDPOINT, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: BODY,
    })
    expect(response.status).toBe(403)
    expect(await response.json()).toEqual(fixtures.unauthorizedException)
    // Issue 19: a static key is not resent (it was, once, before).
    expect(appsync.requests).toHaveLength(1)
  })

  it('a mode list of static credentials: each mode is refused once, and the last mode’s answer is the Response', async () => {
    const appsync = mockAppSync((request) => appSyncUnauthorized(`refused ${request.mode}`))
    const response = await authFetch({
      userPool: 'never-accepted',
      apiKey: API_KEY,
      authMode: ['userPool', 'apiKey'],
    })(ENDPOINT, { method: 'POST', headers: JSON_HEADERS, body: BODY })
    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: 'refused apiKey' }],
    })
    // Issue 19: static credentials are not resent (this was token, token, apiKey, apiKey).
    expect(appsync.requests.map((r) => r.mode)).toEqual(['token', 'apiKey'])
  })

  it('a refused mode followed by modes that cannot be used: the refused mode’s last answer, not an error', async () => {
    const appsync = mockAppSync(() => appSyncUnauthorized('refused'))
    const response = await authFetch({ userPool: 'never-accepted', authMode: ['userPool', 'apiKey', 'oidc'] })(
      ENDPOINT,
      { method: 'POST', headers: JSON_HEADERS, body: BODY },
    )
    expect(response.status).toBe(401)
    expect(await response.text()).toContain('refused')
    // Issue 19: the static token is sent once (it was resent before).
    expect(appsync.requests).toHaveLength(1)
  })

  it('no usable mode at all is still a NoAuthModeAvailableError (there is no answer to return)', async () => {
    const appsync = mockAppSync()
    const error = await rejectionOf(
      authFetch({ apiKey: API_KEY })(ENDPOINT, { method: 'POST', body: BODY, authMode: ['userPool', 'oidc'] }),
    )
    expect(error).toBeInstanceOf(NoAuthModeAvailableError)
    expect((error as NoAuthModeAvailableError).reasons).toEqual([
      { mode: 'userPool', reason: '`userPool` is not configured' },
      { mode: 'oidc', reason: '`oidc` is not configured' },
    ])
    expect(appsync.requests).toHaveLength(0)
  })

  it('other error statuses are returned as responses, untouched (fetch semantics)', async () => {
    mockAppSync(() => new Response('upstream down', { status: 502 }))
    const response = await authFetch({ apiKey: API_KEY })(ENDPOINT, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: BODY,
    })
    expect(response.status).toBe(502)
    expect(await response.text()).toBe('upstream down')
  })

  it('createAuthFetch(client) shares the client’s identities', async () => {
    let calls = 0
    mockAppSync()
    const client = createClient({
      endpoint: ENDPOINT,
      logger: null,
      userPool: () => {
        calls += 1
        return Promise.resolve({ token: 'shared-token' })
      },
    })
    await client.request(GET_POST, { id: '1' })
    const response = await createAuthFetch(client)(ENDPOINT, { method: 'POST', headers: JSON_HEADERS, body: BODY })
    expect(response.ok).toBe(true)
    expect(calls).toBe(1)
  })

  it('an unknown init.authMode rejects with a ConfigurationError', async () => {
    mockAppSync()
    const error = await rejectionOf(
      authFetch({ apiKey: API_KEY })(ENDPOINT, { method: 'POST', body: BODY, authMode: 'jwt' as never }),
    )
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION' })
    expect((error as Error).message).toMatch(/unknown auth mode "jwt"/)
  })

  it('has no timeout of its own, like fetch: the caller’s signal goes through as it is', async () => {
    const seen: (AbortSignal | null | undefined)[] = []
    const fetch: typeof globalThis.fetch = (_input, init) => {
      seen.push(init?.signal)
      return Promise.resolve(new Response('{"data":{}}', { status: 200 }))
    }
    const caller = new AbortController()
    await authFetch({ apiKey: API_KEY, fetch })(ENDPOINT, { method: 'POST', body: BODY, signal: caller.signal })
    await authFetch({ apiKey: API_KEY, fetch })(ENDPOINT, { method: 'POST', body: BODY })
    expect(seen).toEqual([caller.signal, undefined])
  })

  it('applies `timeoutMs` when it is given: a hung answer ends in a TimeoutError', async () => {
    const fetch: typeof globalThis.fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          reject(init.signal?.reason as Error)
        })
      })
    const error = await rejectionOf(
      authFetch({ apiKey: API_KEY, fetch, timeoutMs: 30 })(ENDPOINT, { method: 'POST', body: BODY }),
    )
    expect(error).toMatchObject({ code: 'ERR_TIMEOUT' })
    expect((error as Error).message).toMatch(/no answer within 30 ms/)
  })
})

// 0x00, 0xFF and an invalid UTF-8 sequence (0xC3 0x28): decoding these as text would send and
// sign other bytes (0xFF becomes EF BF BD).
const BYTES = new Uint8Array([0x00, 0xff, 0xc3, 0x28, 0x7b, 0x22, 0x80, 0xfe, 0x00])
const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** What `fetch` itself would send for this body: its bytes and derived content-type. */
async function asFetchSends(body: BodyInit): Promise<{ bytes: Uint8Array; type: string | null }> {
  const request = new Request(ENDPOINT, { method: 'POST', body })
  return { bytes: new Uint8Array(await request.arrayBuffer()), type: request.headers.get('content-type') }
}

/** Asserts a captured IAM request is signed over exactly its received bytes, every sent header included. */
function expectSignedOverBytes(request: CapturedRequest | undefined, bytes: Uint8Array): void {
  if (!request) throw new Error('no request')
  expect(request.bodyBytes).toEqual(bytes)
  const check = verifySigV4(request, CREDENTIALS)
  expect(check.valid).toBe(true)
  // The payload hash is over the received bytes.
  expect(check.canonicalRequest.split('\n').at(-1)).toBe(sha256Hex(bytes))
  const sent = Object.keys(request.headers).filter((name) => name !== 'authorization')
  expect(check.signedHeaders.filter((name) => name !== 'host')).toEqual(sent.sort())
}

describe('createAuthFetch sends the caller’s bytes unchanged', () => {
  const iamFetch = (): AuthFetch => authFetch({ credentials: CREDENTIALS, modes: [iamMode()] })

  it('binary bodies (Uint8Array, ArrayBuffer, Blob, DataView, other views) arrive byte for byte, signed over those bytes', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => T0 }))
    const padded = new Uint8Array([0x41, ...BYTES, 0x42])
    const even = BYTES.slice(0, 8)
    const bodies: [string, BodyInit, Uint8Array, string | null][] = [
      ['Uint8Array', BYTES, BYTES, null],
      ['ArrayBuffer', BYTES.slice().buffer, BYTES, null],
      ['Blob', new Blob([BYTES], { type: 'application/octet-stream' }), BYTES, 'application/octet-stream'],
      // A view into a larger buffer: only its own bytes are sent.
      ['DataView', new DataView(padded.buffer, 1, BYTES.length), BYTES, null],
      ['Uint16Array', new Uint16Array(even.buffer), even, null],
    ]
    for (const [kind, body, bytes, type] of bodies) {
      expect(await asFetchSends(body), kind).toEqual({ bytes, type })
      const response = await iamFetch()(ENDPOINT, { method: 'POST', body })
      expect(response.status, kind).toBe(200)
      const request = appsync.requests.at(-1)
      expectSignedOverBytes(request, bytes)
      expect(request?.headers['content-type'] ?? null, kind).toBe(type)
    }
    expect(appsync.requests).toHaveLength(bodies.length)
  })

  it('an x-amz-content-sha256 the caller sends is signed, and matches the bytes received', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => T0 }))
    const response = await iamFetch()(ENDPOINT, {
      method: 'POST',
      headers: { 'x-amz-content-sha256': sha256Hex(BYTES) },
      body: BYTES,
    })
    expect(response.status).toBe(200)
    const [request] = appsync.requests
    expectSignedOverBytes(request, BYTES)
    expect(request?.headers['x-amz-content-sha256']).toBe(sha256Hex(BYTES))
  })

  it('a ReadableStream, FormData or a binary Blob in FormData: the bytes and content-type fetch would send', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => T0 }))
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(BYTES.subarray(0, 3))
        controller.enqueue(BYTES.subarray(3))
        controller.close()
      },
    })
    expect((await iamFetch()(ENDPOINT, { method: 'POST', body: stream })).status).toBe(200)
    expectSignedOverBytes(appsync.requests[0], BYTES)

    const form = new FormData()
    form.append('operations', '{"query":"mutation { upload }"}')
    form.append('file', new Blob([BYTES], { type: 'image/png' }), 'a.png')
    expect((await iamFetch()(ENDPOINT, { method: 'POST', body: form })).status).toBe(200)
    const sent = appsync.requests[1]
    if (!sent?.bodyBytes) throw new Error('no request')
    expectSignedOverBytes(sent, sent.bodyBytes)
    expect(sent.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    // The multipart body the content-type's boundary describes, with the file's bytes unchanged.
    const received = await new Response(sent.bodyBytes, {
      headers: { 'content-type': sent.headers['content-type'] ?? '' },
    }).formData()
    expect(received.get('operations')).toBe('{"query":"mutation { upload }"}')
    const file = received.get('file')
    if (!(file instanceof Blob)) throw new Error('no file part')
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(BYTES)
  })

  it('a binary body without signing (API key) arrives byte for byte too', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ apiKeys: [API_KEY] }))
    const response = await authFetch({ apiKey: API_KEY })(ENDPOINT, { method: 'POST', body: BYTES })
    expect(response.status).toBe(200)
    expect(appsync.requests[0]?.bodyBytes).toEqual(BYTES)
  })

  it('a Request with a binary body and no init body: its bytes, unchanged', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => T0 }))
    const blob = new Blob([BYTES], { type: 'application/x-protobuf' })
    const source = new Request(ENDPOINT, { method: 'POST', body: blob, headers: { 'x-client': 'urql' } })
    expect((await iamFetch()(source, { authMode: 'iam' })).status).toBe(200)
    // An init without a body (here only headers) still sends the Request's body.
    const again = new Request(ENDPOINT, { method: 'POST', body: BYTES })
    expect((await iamFetch()(again, { headers: { 'x-client': 'apollo' } })).status).toBe(200)
    const [first, second] = appsync.requests
    expectSignedOverBytes(first, BYTES)
    expect(first?.headers['content-type']).toBe('application/x-protobuf')
    expect(first?.headers['x-client']).toBe('urql')
    expectSignedOverBytes(second, BYTES)
    expect(second?.headers['x-client']).toBe('apollo')
  })

  it('a Request plus init.headers: only the init’s headers, as fetch; the init’s method and body win', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ apiKeys: [API_KEY] }))
    const source = new Request(ENDPOINT, {
      method: 'PUT',
      headers: {
        'content-type': 'application/graphql',
        'x-from-request': 'r',
        authorization: 'request-token-must-not-leak',
        'x-api-key': 'da2-request-key-must-not-leak',
      },
      body: 'request body',
    })
    const init = {
      method: 'POST',
      headers: { 'x-from-init': 'i', 'x-amz-security-token': 'init-token-must-not-leak' },
      body: BYTES,
    }
    const fetchWouldSend = new Request(source.clone(), init)
    await authFetch({ apiKey: API_KEY })(source, init)
    const [request] = appsync.requests
    if (!request) throw new Error('no request')
    expect(request.method).toBe('POST')
    expect(request.bodyBytes).toEqual(BYTES)
    expect(request.headers['x-from-init']).toBe('i')
    expect(request.headers['x-from-request']).toBeUndefined()
    // fetch drops the Request's headers too, its content-type among them.
    expect(fetchWouldSend.headers.get('x-from-request')).toBeNull()
    expect(fetchWouldSend.headers.get('content-type')).toBeNull()
    expect(request.headers['content-type']).toBeUndefined()
    // Credentials come only from the mode.
    expect(request.headers['x-api-key']).toBe(API_KEY)
    expect(request.headers['authorization']).toBeUndefined()
    expect(request.headers['x-amz-security-token']).toBeUndefined()
    expect(JSON.stringify(request.headers)).not.toMatch(/must-not-leak/)
  })

  it('a Request’s own credential headers are dropped when the init gives no headers', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => T0 }))
    const source = new Request(ENDPOINT, {
      method: 'POST',
      headers: {
        authorization: 'request-token-must-not-leak',
        'x-api-key': 'da2-request-key-must-not-leak',
        'x-amz-security-token': 'request-session-must-not-leak',
        'x-from-request': 'r',
      },
      body: BYTES,
    })
    expect((await iamFetch()(source)).status).toBe(200)
    const [request] = appsync.requests
    expectSignedOverBytes(request, BYTES)
    expect(request?.headers['x-from-request']).toBe('r')
    expect(request?.headers['x-api-key']).toBeUndefined()
    expect(request?.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken)
    expect(JSON.stringify(request?.headers)).not.toMatch(/must-not-leak/)
  })

  it('after a 401, the one refresh and retry sends the same bytes again (a stream too), and its Response is returned', async () => {
    const bodies: [string, () => BodyInit][] = [
      ['Uint8Array', () => BYTES],
      ['Blob', () => new Blob([BYTES])],
      [
        'ReadableStream',
        () =>
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(BYTES)
              controller.close()
            },
          }),
      ],
    ]
    for (const [kind, body] of bodies) {
      let calls = 0
      const appsync = mockAppSync(authorizeLikeAppSync({ tokens: ['binary-token-2'] }))
      const fetchLike = authFetch({
        userPool: () => Promise.resolve({ token: `binary-token-${String((calls += 1))}` }),
      })
      const response = await fetchLike(ENDPOINT, { method: 'POST', body: body() })
      expect(response.status, kind).toBe(200)
      expect(await response.json()).toEqual(fixtures.getPost)
      expect(appsync.requests.map((r) => r.headers['authorization'])).toEqual(['binary-token-1', 'binary-token-2'])
      for (const request of appsync.requests) expect(request.bodyBytes, kind).toEqual(BYTES)
    }
  })

  it('with IAM, the retry after a 401 is signed again over the same bytes', async () => {
    const verifying = authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => T0 })
    const appsync = mockAppSync((request, index) => (index === 0 ? appSyncUnauthorized() : verifying(request, index)))
    // A provider: plain credentials are not resent after a 401 (a refresh cannot change them).
    const fetchLike = authFetch({ credentials: () => Promise.resolve(CREDENTIALS), modes: [iamMode()] })
    const response = await fetchLike(ENDPOINT, { method: 'POST', body: new Blob([BYTES]) })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual(fixtures.getPost)
    expect(appsync.requests).toHaveLength(2)
    for (const request of appsync.requests) expectSignedOverBytes(request, BYTES)
  })
})

// Issue 13, finding 2: credentials go only to the endpoint's origin and the origins listed.
describe('createAuthFetch: which URLs get credentials', () => {
  const OTHER = 'https://third-party.example.com/collect'
  const init = { method: 'POST', headers: JSON_HEADERS, body: BODY }

  /** Records every request to OTHER, with its headers. */
  function mockOther(): Record<string, string>[] {
    const seen: Record<string, string>[] = []
    server.use(
      http.post(OTHER, ({ request }) => {
        seen.push(Object.fromEntries(request.headers))
        return HttpResponse.json({ ok: true })
      }),
    )
    return seen
  }

  it('refuses another origin by default: a ConfigurationError that says what to do, and nothing is sent', async () => {
    const seen = mockOther()
    const appsync = mockAppSync()
    const error = await rejectionOf(authFetch({ apiKey: API_KEY })(OTHER, init))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toContain('https://third-party.example.com')
    expect((error as Error).message).toMatch(/`origins`.*otherOrigins: 'passThrough'/)
    expect((error as Error).message).not.toContain(API_KEY)
    expect(seen).toEqual([])
    expect(appsync.requests).toEqual([])
  })

  it('refuses another scheme or port of the same host, and a Request object for another origin', async () => {
    const fetchLike = authFetch({ apiKey: API_KEY })
    const sameHost = new URL(ENDPOINT)
    for (const url of [`http://${sameHost.host}/graphql`, `https://${sameHost.hostname}:8443/graphql`]) {
      expect(await rejectionOf(fetchLike(url, init)), url).toBeInstanceOf(ConfigurationError)
    }
    expect(await rejectionOf(fetchLike(new Request(OTHER, init)))).toBeInstanceOf(ConfigurationError)
  })

  it('authorizes an origin listed in `origins` (any path on it), and still the endpoint', async () => {
    const seen = mockOther()
    const appsync = mockAppSync()
    const fetchLike = createAuthFetch(
      { endpoint: ENDPOINT, apiKey: API_KEY, logger: null },
      { origins: ['https://third-party.example.com/ignored-path?q=1'] },
    )
    expect((await fetchLike(OTHER, init)).status).toBe(200)
    expect((await fetchLike(ENDPOINT, init)).status).toBe(200)
    expect(seen.map((headers) => headers['x-api-key'])).toEqual([API_KEY])
    expect(appsync.requests.map((r) => r.headers['x-api-key'])).toEqual([API_KEY])
  })

  it("passes another origin through untouched with `otherOrigins: 'passThrough'`: no credentials, headers or hooks", async () => {
    const seen = mockOther()
    let hooked = 0
    const fetchLike = createAuthFetch(
      {
        endpoint: ENDPOINT,
        apiKey: API_KEY,
        logger: null,
        headers: { 'x-client-header': 'client' },
        hooks: { beforeRequest: [() => void (hooked += 1)] },
      },
      { otherOrigins: 'passThrough' },
    )
    const response = await fetchLike(OTHER, {
      ...init,
      headers: { ...JSON_HEADERS, 'x-caller': 'mine' },
      authMode: 'apiKey',
    })
    expect(response.status).toBe(200)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.['x-api-key']).toBeUndefined()
    expect(seen[0]?.['authorization']).toBeUndefined()
    expect(seen[0]?.['x-client-header']).toBeUndefined()
    expect(seen[0]?.['x-caller']).toBe('mine')
    expect(hooked).toBe(0)
  })

  it('takes the same options with a client, whose identities it shares', async () => {
    const seen = mockOther()
    const client = createClient({ endpoint: ENDPOINT, apiKey: API_KEY, logger: null })
    expect(await rejectionOf(createAuthFetch(client)(OTHER, init))).toBeInstanceOf(ConfigurationError)
    const listed = createAuthFetch(client, { origins: [new URL(OTHER)] })
    expect((await listed(OTHER, init)).status).toBe(200)
    expect(seen.map((headers) => headers['x-api-key'])).toEqual([API_KEY])
  })

  it('rejects a bad `origins` entry or `otherOrigins` value when it is created', () => {
    const options = { endpoint: ENDPOINT, apiKey: API_KEY, logger: null }
    for (const origins of [['not a url'], ['ftp://files.example.com'], ['/relative']]) {
      expect(() => createAuthFetch(options, { origins }), origins[0]).toThrow(ConfigurationError)
    }
    expect(() => createAuthFetch(options, { otherOrigins: 'allow' as never })).toThrow(/`otherOrigins`/)
  })
})
