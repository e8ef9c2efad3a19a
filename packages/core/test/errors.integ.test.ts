import { HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  AuthmodeError,
  ConfigurationError,
  createClient,
  HttpError,
  iamMode,
  isAuthmodeError,
  NoAuthModeAvailableError,
  NoIdentityError,
  ResponseParseError,
  type ClientOptions,
} from '../src/index'
import { ENDPOINT, fixtures, GET_POST, mockAppSync } from './msw/appsync'
import { manualClock } from './msw/clock'
import { rejectionOf } from './msw/observe'
import { useMswServer } from './msw/server'

useMswServer()

const T0 = Date.parse('2026-11-26T04:00:00Z')
const API_KEY = 'da2-errorsapikey000000000000000'
const CREDENTIALS = { accessKeyId: 'AKIDERRORS0000000001', secretAccessKey: 'errors-secret-access-key-00000000000000' }

function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

function makeClient(options: Omit<ClientOptions, 'endpoint'>): ReturnType<typeof createClient> {
  return createClient({ endpoint: ENDPOINT, clock: manualClock(T0), logger: null, retry: false, ...options })
}

describe('configuration errors (thrown by createClient)', () => {
  it.each([
    ['not a URL', 'appsync/graphql'],
    ['a relative path', '/graphql'],
    ['an empty string', ''],
  ])('a malformed endpoint (%s) is a ConfigurationError that shows the expected form', (_, endpoint) => {
    const error = thrownBy(() => createClient({ endpoint, apiKey: API_KEY }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error).toBeInstanceOf(AuthmodeError)
    expect(isAuthmodeError(error)).toBe(true)
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION', name: 'ConfigurationError' })
    expect((error as Error).message).toContain('`endpoint`')
    expect((error as Error).message).toContain('https://<id>.appsync-api.<region>.amazonaws.com/graphql')
  })

  it('a non-http endpoint says to use http(s)', () => {
    const error = thrownBy(() => createClient({ endpoint: 'wss://example.com/graphql', apiKey: API_KEY }))
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION' })
    expect((error as Error).message).toMatch(/must be an absolute http\(s\) URL/)
  })

  it('a custom domain with iam and no region asks for `region`', () => {
    const error = thrownBy(() =>
      createClient({
        endpoint: 'https://api.example.com/graphql',
        credentials: CREDENTIALS,
        modes: [iamMode()],
        authMode: 'iam',
      }),
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION' })
    expect((error as Error).message).toMatch(/`region` is required for iam on a custom domain/)
    expect((error as Error).message).toMatch(/pass `region`, e\.g\. "us-east-1"/)
    // The same domain with a region is fine, and an AppSync URL needs none.
    expect(() =>
      createClient({
        endpoint: 'https://api.example.com/graphql',
        region: 'us-east-1',
        credentials: CREDENTIALS,
        modes: [iamMode()],
      }),
    ).not.toThrow()
    expect(() => createClient({ endpoint: ENDPOINT, credentials: CREDENTIALS, modes: [iamMode()] })).not.toThrow()
  })

  it('an unknown client-level mode lists the known ones', () => {
    const error = thrownBy(() => createClient({ endpoint: ENDPOINT, apiKey: API_KEY, authMode: 'cognito' as never }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toBe(
      '`authMode`: unknown auth mode "cognito"; expected one of apiKey, userPool, oidc, lambda, iam, none.',
    )
  })

  it('a chosen mode without its provider names the missing option', () => {
    const error = thrownBy(() => createClient({ endpoint: ENDPOINT, apiKey: API_KEY, authMode: 'userPool' }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toBe('authMode userPool needs `userPool`, which is not set.')
  })

  it('iam without the iam mode registered says how to add it', () => {
    const error = thrownBy(() => createClient({ endpoint: ENDPOINT, credentials: CREDENTIALS }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(
      /`credentials` needs the iam mode: use @authmode\/browser or @authmode\/node, or pass `modes: \[iamMode\(\)\]`/,
    )
  })

  it('no mode at all, or several without a default, say which option to set', () => {
    expect(thrownBy(() => createClient({ endpoint: ENDPOINT }))).toMatchObject({
      code: 'ERR_CONFIGURATION',
      message: expect.stringMatching(/No auth mode is configured: set `apiKey`, `userPool`/) as unknown,
    })
    expect(thrownBy(() => createClient({ endpoint: ENDPOINT, apiKey: API_KEY, userPool: 'token' }))).toMatchObject({
      code: 'ERR_CONFIGURATION',
      message: expect.stringMatching(
        /Several auth modes are configured \(apiKey, userPool\): set `authMode`/,
      ) as unknown,
    })
  })

  it('credential headers in `headers` are refused', () => {
    const error = thrownBy(() =>
      createClient({ endpoint: ENDPOINT, apiKey: API_KEY, headers: { 'X-Api-Key': API_KEY } }),
    )
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION' })
    expect((error as Error).message).toBe('`headers` may not set "x-api-key": credentials come from the auth modes.')
  })
})

describe('request-time errors', () => {
  it('an unknown per-request mode rejects with a ConfigurationError before anything is sent', async () => {
    const appsync = mockAppSync()
    const error = await rejectionOf(
      makeClient({ apiKey: API_KEY }).request(GET_POST, { id: '1' }, { authMode: 'bearer' as never }),
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(
      /unknown auth mode "bearer"; expected one of apiKey, userPool, oidc, lambda, iam, none/,
    )
    expect(appsync.requests).toHaveLength(0)
  })

  it('a per-request iam on a client without the iam mode says how to register it', async () => {
    const error = await rejectionOf(makeClient({ apiKey: API_KEY }).request(GET_POST, { id: '1' }, { authMode: 'iam' }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(
      /the iam mode is not registered: use @authmode\/browser or @authmode\/node, or pass it in `modes`/,
    )
  })

  it('a mode list with no usable mode is a NoAuthModeAvailableError listing every reason', async () => {
    const appsync = mockAppSync()
    const client = makeClient({
      apiKey: API_KEY,
      userPool: () => Promise.reject(new NoIdentityError('userPool: nobody is signed in')),
      credentials: CREDENTIALS,
      modes: [iamMode()],
      authMode: 'apiKey',
    })
    const error = await rejectionOf(client.request(GET_POST, { id: '1' }, { authMode: ['userPool', 'oidc', 'lambda'] }))
    expect(error).toBeInstanceOf(NoAuthModeAvailableError)
    const noMode = error as NoAuthModeAvailableError
    expect(noMode.code).toBe('ERR_NO_AUTH_MODE')
    expect(noMode.reasons).toEqual([
      { mode: 'userPool', reason: 'userPool: nobody is signed in' },
      { mode: 'oidc', reason: '`oidc` is not configured' },
      { mode: 'lambda', reason: '`lambda` is not configured' },
    ])
    expect(noMode.message).toBe(
      'No authorization mode is available: userPool: userPool: nobody is signed in; oidc: `oidc` is not configured; lambda: `lambda` is not configured',
    )
    expect(noMode.recoverySuggestion).toMatch(
      /Configure one of these modes, sign a user in, or pass another `authMode`/,
    )
    expect(appsync.requests).toHaveLength(0)
  })

  it('variables that are not an object are refused', async () => {
    const error = await rejectionOf(makeClient({ apiKey: API_KEY }).request(GET_POST, ['1'] as never))
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION', message: '`variables` must be an object.' })
  })
})

describe('responses that are not GraphQL', () => {
  async function failWith(response: () => Response): Promise<unknown> {
    mockAppSync(response)
    return rejectionOf(makeClient({ apiKey: API_KEY }).request(GET_POST, { id: '1' }))
  }

  it('a non-JSON body with HTTP 200 is a ResponseParseError', async () => {
    const error = await failWith(
      () => new HttpResponse('OK', { status: 200, headers: { 'content-type': 'text/plain' } }),
    )
    expect(error).toBeInstanceOf(ResponseParseError)
    const parse = error as ResponseParseError
    expect(parse.code).toBe('ERR_RESPONSE_PARSE')
    expect(parse.status).toBe(200)
    expect(parse.contentType).toBe('text/plain')
    expect(parse.message).toBe(
      `POST ${ENDPOINT}: 200 response is not a GraphQL response: invalid or truncated JSON (content-type text/plain)`,
    )
    expect(parse.recoverySuggestion).toMatch(/Check that `endpoint` is the AppSync …\/graphql URL/)
    // No parser error as the cause: its message would quote the body's start (issue 13).
    expect('cause' in parse).toBe(false)
  })

  it('truncated JSON is a ResponseParseError', async () => {
    const error = await failWith(
      () =>
        new HttpResponse('{"data":{"getPost":{"id":"1","title":"Hel', {
          headers: { 'content-type': 'application/json;charset=UTF-8' },
        }),
    )
    expect(error).toBeInstanceOf(ResponseParseError)
    expect((error as Error).message).toContain('invalid or truncated JSON')
  })

  it('JSON that is not a GraphQL response (neither data nor errors) is a ResponseParseError', async () => {
    const error = await failWith(() => HttpResponse.json({ message: 'Hello from a proxy' }))
    expect(error).toBeInstanceOf(ResponseParseError)
    expect((error as Error).message).toContain('the JSON has neither `data` nor `errors`')
  })

  it('an empty 200 body is a ResponseParseError', async () => {
    const error = await failWith(() => new HttpResponse(null, { status: 200 }))
    expect(error).toBeInstanceOf(ResponseParseError)
    expect((error as Error).message).toContain('the body is empty')
  })

  it('an HTML 502 error page is an HttpError with the status', async () => {
    const html =
      '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>'
    const error = await failWith(
      () =>
        new HttpResponse(html, { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } }),
    )
    expect(error).toBeInstanceOf(HttpError)
    const http = error as HttpError
    expect(http.code).toBe('ERR_HTTP')
    expect(http.status).toBe(502)
    expect(http.message).toBe(`POST ${ENDPOINT}: 502 Bad Gateway`)
    expect(http.recoverySuggestion).toMatch(/Retry later/)
  })

  it('an HTML page with HTTP 200 is a ResponseParseError that says it got HTML', async () => {
    const error = await failWith(
      () =>
        new HttpResponse('<!doctype html><html><body>Sign in to continue</body></html>', {
          headers: { 'content-type': 'text/html; charset=utf-8' },
        }),
    )
    expect(error).toBeInstanceOf(ResponseParseError)
    expect(error).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8', code: 'ERR_RESPONSE_PARSE' })
    expect((error as Error).message).toBe(
      `POST ${ENDPOINT}: 200 response is not a GraphQL response: an HTML or XML page, not JSON (content-type text/html; charset=utf-8)`,
    )
    expect((error as ResponseParseError).recoverySuggestion).toMatch(/not a proxy or an error page/)
  })

  it('a 400 with AppSync errors is an HttpError carrying the errorType and message', async () => {
    const error = await failWith(() =>
      HttpResponse.json(fixtures.malformedRequest, {
        status: 400,
        statusText: 'Bad Request',
        headers: { 'x-amzn-ErrorType': 'MalformedHttpRequestException' },
      }),
    )
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ status: 400, errorType: 'MalformedHttpRequestException' })
    expect((error as Error).message).toBe(
      `POST ${ENDPOINT}: 400 Bad Request (MalformedHttpRequestException): Unable to parse GraphQL query.`,
    )
    expect((error as HttpError).recoverySuggestion).toBe('Check the endpoint and the request.')
  })
})
