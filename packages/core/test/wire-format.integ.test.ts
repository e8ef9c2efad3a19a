import { describe, expect, it } from 'vitest'
import { createClient, HttpError, iamMode, type AuthMode, type ClientOptions } from '../src/index'
import {
  authorizeLikeAppSync,
  CREDENTIAL_HEADER_NAMES,
  ENDPOINT,
  fixtures,
  GET_POST,
  mockAppSync,
  type CapturedRequest,
} from './msw/appsync'
import { amzDate, manualClock } from './msw/clock'
import { rejectionOf } from './msw/observe'
import { useMswServer } from './msw/server'
import { verifySigV4 } from './msw/sigv4'

useMswServer()

const T0 = Date.parse('2026-11-26T04:00:00Z')
const API_KEY = 'da2-wireformatapikey0000000000'
const USER_POOL_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJ0b2tlbl91c2UiOiJpZCJ9.dXNlci1wb29sLXNpZ25hdHVyZQ'
const OIDC_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLmNvbSJ9.b2lkYy1zaWduYXR1cmU'
const LAMBDA_TOKEN = 'custom-lambda-authorizer-token-1234'
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLEWIRE00001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const TEMPORARY = {
  accessKeyId: 'ASIAEXAMPLEWIRE00002',
  secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN//////////wEaCXVzLWVhc3QtMQ==',
}
const VARIABLES = { id: '1' }
const EXPECTED_BODY = JSON.stringify({ query: GET_POST, variables: VARIABLES, operationName: 'GetPost' })

function client(options: Omit<ClientOptions, 'endpoint'>): ReturnType<typeof createClient> {
  return createClient({ endpoint: ENDPOINT, clock: manualClock(T0), logger: null, retry: false, ...options })
}

async function sendOne(options: Omit<ClientOptions, 'endpoint'>, authMode?: AuthMode): Promise<CapturedRequest> {
  const appsync = mockAppSync()
  const data = await client(options).request(GET_POST, VARIABLES, authMode === undefined ? {} : { authMode })
  expect(data).toEqual(fixtures.getPost.data)
  expect(appsync.requests).toHaveLength(1)
  const [request] = appsync.requests
  if (!request) throw new Error('no request')
  return request
}

function credentialHeaders(request: CapturedRequest): Record<string, string> {
  return Object.fromEntries(Object.entries(request.headers).filter(([name]) => CREDENTIAL_HEADER_NAMES.includes(name)))
}

function expectGraphQLBody(request: CapturedRequest): void {
  expect(request.method).toBe('POST')
  expect(request.url).toBe(ENDPOINT)
  expect(request.headers['content-type']).toBe('application/json; charset=UTF-8')
  expect(request.bodyText).toBe(EXPECTED_BODY)
  expect(request.body).toEqual({ query: GET_POST, variables: VARIABLES, operationName: 'GetPost' })
}

describe('wire format of each mode', () => {
  it('apiKey: x-api-key only, no authorization', async () => {
    const request = await sendOne({ apiKey: API_KEY })
    expectGraphQLBody(request)
    expect(request.headers).toEqual({
      accept: 'application/json',
      'content-type': 'application/json; charset=UTF-8',
      'x-api-key': API_KEY,
    })
    expect(request.mode).toBe('apiKey')
    expect(request.headers['authorization']).toBeUndefined()
  })

  it.each([
    ['userPool', USER_POOL_TOKEN],
    ['oidc', OIDC_TOKEN],
    ['lambda', LAMBDA_TOKEN],
  ] as const)('%s: the raw token in authorization, never "Bearer ", no x-api-key', async (mode, token) => {
    const request = await sendOne({ [mode]: token })
    expectGraphQLBody(request)
    expect(request.headers).toEqual({
      accept: 'application/json',
      authorization: token,
      'content-type': 'application/json; charset=UTF-8',
    })
    expect(request.headers['authorization']).not.toMatch(/^Bearer /i)
    expect(request.headers['x-api-key']).toBeUndefined()
  })

  it.each([
    ['userPool', USER_POOL_TOKEN],
    ['oidc', OIDC_TOKEN],
    ['lambda', LAMBDA_TOKEN],
  ] as const)('%s: a TokenProvider token is sent raw too', async (mode, token) => {
    const request = await sendOne({ [mode]: () => Promise.resolve({ token }) })
    expect(credentialHeaders(request)).toEqual({ authorization: token })
  })

  it('none: neither authorization nor x-api-key nor any x-amz-* header', async () => {
    const request = await sendOne({ authMode: 'none' })
    expectGraphQLBody(request)
    expect(request.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json; charset=UTF-8' })
    expect(request.mode).toBe('none')
  })

  it('a client with several modes sends only the chosen mode of each request', async () => {
    const options = {
      apiKey: API_KEY,
      userPool: USER_POOL_TOKEN,
      lambda: LAMBDA_TOKEN,
      credentials: TEMPORARY,
      modes: [iamMode()],
      authMode: 'apiKey',
    } as const
    const seen: Record<string, Record<string, string>> = {}
    for (const mode of ['apiKey', 'userPool', 'lambda', 'iam', 'none'] as const) {
      seen[mode] = credentialHeaders(await sendOne(options, mode))
    }
    expect(Object.keys(seen['apiKey'] ?? {})).toEqual(['x-api-key'])
    expect(seen['userPool']).toEqual({ authorization: USER_POOL_TOKEN })
    expect(seen['lambda']).toEqual({ authorization: LAMBDA_TOKEN })
    expect(Object.keys(seen['iam'] ?? {}).sort()).toEqual(['authorization', 'x-amz-date', 'x-amz-security-token'])
    expect(seen['none']).toEqual({})
  })

  it('credential headers a caller passes per request are dropped: credentials come from the mode only', async () => {
    const appsync = mockAppSync()
    await client({ apiKey: API_KEY }).request(GET_POST, VARIABLES, {
      headers: { Authorization: 'Bearer smuggled', 'X-Amz-Security-Token': 'smuggled', 'x-request-source': 'test' },
    })
    const [request] = appsync.requests
    expect(request?.headers['authorization']).toBeUndefined()
    expect(request?.headers['x-amz-security-token']).toBeUndefined()
    expect(request?.headers['x-api-key']).toBe(API_KEY)
    expect(request?.headers['x-request-source']).toBe('test')
  })

  it('a TypedDocumentNode (with its source) is sent as its source text', async () => {
    const appsync = mockAppSync()
    const document = {
      kind: 'Document',
      definitions: [{ kind: 'OperationDefinition', operation: 'query', name: { value: 'GetPost' } }],
      loc: { source: { body: GET_POST } },
    } as const
    await client({ apiKey: API_KEY }).request(document, VARIABLES)
    expect(appsync.requests[0]?.bodyText).toBe(EXPECTED_BODY)
  })

  it('operationName picks one operation of a document with several', async () => {
    const appsync = mockAppSync()
    const both = `${GET_POST}\nquery ListPosts { listPosts { items { id } } }`
    await client({ apiKey: API_KEY }).request(both, undefined, { operationName: 'ListPosts' })
    expect(appsync.requests[0]?.body).toEqual({ query: both, operationName: 'ListPosts' })
  })

  it('an anonymous query is sent without operationName, and without variables when there are none', async () => {
    const appsync = mockAppSync()
    await client({ apiKey: API_KEY }).request('{ getPost(id: "1") { id } }')
    expect(appsync.requests[0]?.bodyText).toBe(JSON.stringify({ query: '{ getPost(id: "1") { id } }' }))
  })
})

describe('wire format of iam (SigV4), checked by an independent verifier (aws4)', () => {
  it('without a session token: signed for service appsync in us-east-1, no x-amz-security-token', async () => {
    const request = await sendOne({ credentials: CREDENTIALS, modes: [iamMode()] })
    expectGraphQLBody(request)
    expect(Object.keys(request.headers).sort()).toEqual(['accept', 'authorization', 'content-type', 'x-amz-date'])
    expect(request.headers['x-amz-date']).toBe(amzDate(T0))
    expect(request.headers['x-amz-date']).toBe('20261126T040000Z')
    expect(request.headers['x-api-key']).toBeUndefined()

    const check = verifySigV4(request, CREDENTIALS)
    expect(check.accessKeyId).toBe(CREDENTIALS.accessKeyId)
    expect(check.credentialScope).toBe('20261126/us-east-1/appsync/aws4_request')
    expect(check.signedHeaders).toEqual(['accept', 'content-type', 'host', 'x-amz-date'])
    expect(check.expected).toBe(check.actual)
    expect(check.valid).toBe(true)
  })

  it('with a session token: x-amz-security-token is sent and signed', async () => {
    const request = await sendOne({ credentials: TEMPORARY, modes: [iamMode()] })
    expectGraphQLBody(request)
    expect(Object.keys(request.headers).sort()).toEqual([
      'accept',
      'authorization',
      'content-type',
      'x-amz-date',
      'x-amz-security-token',
    ])
    expect(request.headers['x-amz-security-token']).toBe(TEMPORARY.sessionToken)

    const check = verifySigV4(request, TEMPORARY)
    expect(check.signedHeaders).toEqual(['accept', 'content-type', 'host', 'x-amz-date', 'x-amz-security-token'])
    expect(check.credentialScope).toBe('20261126/us-east-1/appsync/aws4_request')
    expect(check.valid).toBe(true)
    // The token is covered by the signature: another token value does not verify.
    const otherToken = {
      ...request,
      headers: { ...request.headers, 'x-amz-security-token': 'IQoJb3JpZ2luX2VjOTHERTOKEN' },
    }
    expect(verifySigV4(otherToken, { ...TEMPORARY, sessionToken: 'IQoJb3JpZ2luX2VjOTHERTOKEN' }).valid).toBe(false)
  })

  it('the verifier really checks: a changed body, header, secret, service or region fails', async () => {
    const request = await sendOne({ credentials: TEMPORARY, modes: [iamMode()] })
    expect(verifySigV4(request, TEMPORARY).valid).toBe(true)

    const changedText = request.bodyText.replace('"id":"1"', '"id":"2"')
    const changedBody = { ...request, bodyText: changedText, bodyBytes: new TextEncoder().encode(changedText) }
    expect(changedBody.bodyText).not.toBe(request.bodyText)
    expect(verifySigV4(changedBody, TEMPORARY).valid).toBe(false)

    const changedDate = { ...request, headers: { ...request.headers, 'x-amz-date': amzDate(T0 + 1000) } }
    expect(verifySigV4(changedDate, TEMPORARY).valid).toBe(false)

    const changedToken = {
      ...request,
      headers: { ...request.headers, 'x-amz-security-token': `${TEMPORARY.sessionToken}x` },
    }
    expect(verifySigV4(changedToken, { ...TEMPORARY, sessionToken: `${TEMPORARY.sessionToken}x` }).valid).toBe(false)

    expect(verifySigV4(request, { ...TEMPORARY, secretAccessKey: CREDENTIALS.secretAccessKey }).valid).toBe(false)
    expect(verifySigV4(request, TEMPORARY, { service: 'appsync-api', region: 'us-east-1' }).valid).toBe(false)
    expect(verifySigV4(request, TEMPORARY, { service: 'appsync', region: 'us-west-2' }).valid).toBe(false)
  })

  it('a body changed after signing (by a wrapping fetch) is rejected by a server that verifies', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [TEMPORARY], now: () => T0 }))
    const tampering: typeof fetch = (input, init) =>
      globalThis.fetch(input, { ...init, body: String(init?.body).replace('"id":"1"', '"id":"999"') })
    const error = await rejectionOf(
      client({ credentials: TEMPORARY, modes: [iamMode()], fetch: tampering }).request(GET_POST, VARIABLES),
    )
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ code: 'ERR_HTTP', status: 403, errorType: 'InvalidSignatureException' })
    expect(appsync.requests).toHaveLength(1)
    expect(verifySigV4(appsync.requests[0] as CapturedRequest, TEMPORARY).valid).toBe(false)
  })

  it('headers set on the client are signed too', async () => {
    const request = await sendOne({
      credentials: CREDENTIALS,
      modes: [iamMode()],
      headers: { 'X-Tenant-Id': 'tenant-7' },
    })
    const check = verifySigV4(request, CREDENTIALS)
    expect(request.headers['x-tenant-id']).toBe('tenant-7')
    expect(check.signedHeaders).toContain('x-tenant-id')
    expect(check.valid).toBe(true)
  })

  it('a custom domain signs with the region given in the options', async () => {
    const endpoint = 'https://api.example.com/graphql'
    const appsync = mockAppSync(undefined, endpoint)
    await createClient({
      endpoint,
      region: 'eu-west-1',
      credentials: CREDENTIALS,
      modes: [iamMode()],
      clock: manualClock(T0),
      logger: null,
    }).request(GET_POST, VARIABLES)
    const [request] = appsync.requests
    if (!request) throw new Error('no request')
    const check = verifySigV4(request, CREDENTIALS, { service: 'appsync', region: 'eu-west-1' })
    expect(check.credentialScope).toBe('20261126/eu-west-1/appsync/aws4_request')
    expect(check.valid).toBe(true)
  })

  it('an AWS SDK-style credentials provider signs the same way', async () => {
    const request = await sendOne({ credentials: () => Promise.resolve(TEMPORARY), modes: [iamMode()] })
    expect(verifySigV4(request, TEMPORARY).valid).toBe(true)
  })
})
