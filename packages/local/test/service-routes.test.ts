// createAuthFetch signing for API Gateway (`execute-api`) and Lambda function URLs (`lambda`)
// against @authmode/local's API Gateway- and Lambda URL-shaped routes on 127.0.0.1, which re-sign
// every request with @smithy/signature-v4 for their own service. Guest credentials come from the
// server's identity-pool endpoint, as a browser app's would.
import { createHash, randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ConfigurationError, createAuthFetch, fromCognitoIdentityPool, type AuthFetch } from '@authmode/node'
import { startLocalAppSync, type LocalAppSync } from '@authmode/local'
import { REGION, TestClock } from './helpers'

const SCHEMA = 'type Note @model @auth(rules: [{ allow: public, provider: iam }]) { id: ID! text: String! }'

let server: LocalAppSync
const clock = new TestClock()
/** One line per request the server answered (never a credential). */
const served: string[] = []
let guest: ReturnType<typeof fromCognitoIdentityPool>

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    region: REGION,
    clock,
    logger: { info: (line) => served.push(line) },
  })
  guest = fromCognitoIdentityPool({ identityPoolId: server.identityPoolId!, endpoint: server.url })
})

afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
})

beforeEach(() => {
  served.length = 0
})

afterEach(() => {
  clock.offsetMs = 0
})

/** The lines of the service routes (not the identity pool's). */
const routeLines = (): string[] => served.filter((line) => line.includes(' /_aws/'))

/** createAuthFetch for the server's routes, with guest credentials, signing for `service`. */
function signedFetch(service?: string, sent: Headers[] = []): AuthFetch {
  return createAuthFetch(
    {
      endpoint: server.graphqlUrl,
      region: REGION,
      authMode: 'iam',
      credentials: guest,
      fetch: (input, init) => {
        sent.push(new Headers(init?.headers))
        return fetch(input, init)
      },
    },
    service === undefined ? {} : { service },
  )
}

/** Temporary credentials the server never issued. */
const strangerCredentials = () => ({
  accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString('base64'),
  sessionToken: randomBytes(48).toString('base64'),
})

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex')

interface Echo {
  service: string
  method: string
  path: string
  query: Record<string, string | string[]>
  contentType: string | null
  bodyBytes: number
  bodySha256: string
  caller: { kind: string; identityId?: string }
}

describe("createAuthFetch with service 'execute-api' against an API Gateway-shaped route", () => {
  it('GET with a query (repeated keys, unicode, reserved characters, a plus): verified, signed for execute-api', async () => {
    const sent: Headers[] = []
    const url = `${server.executeApiUrl!}/prod/items?tag=b&tag=a&q=caf%C3%A9%20au%20lait&empty=&flag&plus=1+1&sym=%21%2A%27`
    const response = await signedFetch('execute-api', sent)(url)
    expect(response.status).toBe(200)
    const echo = (await response.json()) as Echo
    expect(echo).toMatchObject({
      service: 'execute-api',
      method: 'GET',
      path: '/_aws/execute-api/prod/items',
      query: { tag: ['b', 'a'], q: 'café au lait', empty: '', flag: '', plus: '1+1', sym: "!*'" },
      bodyBytes: 0,
      bodySha256: sha256(''),
      caller: { kind: 'guest', identityId: expect.stringMatching(/^us-east-1:/) as unknown },
    })
    const authorization = sent[0]?.get('authorization') ?? ''
    expect(authorization.includes(`/${REGION}/execute-api/aws4_request`)).toBe(true)
    expect(sent[0]?.has('x-amz-security-token')).toBe(true)
    expect(routeLines()).toEqual(['GET /_aws/execute-api/prod/items 200 iam guest'])
  })

  it('POST with a JSON body: the body hash the server computed is that of the bytes sent', async () => {
    const body = JSON.stringify({ name: 'Zoë', tags: ['a', 'b'], n: 1 })
    const response = await signedFetch('execute-api')(`${server.executeApiUrl!}/prod/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      method: 'POST',
      path: '/_aws/execute-api/prod/items',
      contentType: 'application/json',
      bodyBytes: Buffer.byteLength(body),
      bodySha256: sha256(body),
    })
  })

  it('PUT with a binary body (every byte value) and a path that needs escaping, verified by the AWS SDK signer', async () => {
    const bytes = new Uint8Array(Array.from({ length: 512 }, (_, i) => i % 256))
    const response = await signedFetch('execute-api')(`${server.executeApiUrl!}/prod/files/a b/%2F/é.bin`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      method: 'PUT',
      path: '/_aws/execute-api/prod/files/a%20b/%2F/%C3%A9.bin',
      contentType: 'application/octet-stream',
      bodyBytes: 512,
      bodySha256: sha256(bytes),
    })
  })

  it('DELETE and a Blob body: any method, the bytes fetch would send', async () => {
    const blob = new Blob([randomBytes(100)], { type: 'image/png' })
    const bytes = new Uint8Array(await blob.arrayBuffer())
    const fetchLike = signedFetch('execute-api')
    const deleted = await fetchLike(`${server.executeApiUrl!}/prod/items/1`, { method: 'DELETE' })
    expect(await deleted.json()).toMatchObject({ method: 'DELETE', bodyBytes: 0 })
    const posted = await fetchLike(`${server.executeApiUrl!}/prod/images`, { method: 'POST', body: blob })
    expect(await posted.json()).toMatchObject({ contentType: 'image/png', bodyBytes: 100, bodySha256: sha256(bytes) })
  })

  it('the API Gateway URL as the endpoint itself (no `origins` needed)', async () => {
    const fetchLike = createAuthFetch(
      { endpoint: `${server.executeApiUrl!}/prod`, region: REGION, authMode: 'iam', credentials: guest },
      { service: 'execute-api' },
    )
    const response = await fetchLike(`${server.executeApiUrl!}/prod/items?limit=10`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ query: { limit: '10' } })
  })

  it('a server clock 10 minutes ahead: the 403 "Signature expired" corrects the clock, and the retry passes', async () => {
    clock.advance(600_000)
    const response = await signedFetch('execute-api')(`${server.executeApiUrl!}/prod/items`, {
      method: 'POST',
      body: '{}',
    })
    expect(response.status).toBe(200)
    expect(routeLines()).toEqual([
      expect.stringMatching(/^POST \/_aws\/execute-api\/prod\/items 403 rejected: Signature expired: /),
      'POST /_aws/execute-api/prod/items 200 iam guest',
    ])
  })
})

describe("createAuthFetch with service 'lambda' against a Lambda function URL-shaped route", () => {
  it('POST with a JSON body: verified, signed for lambda', async () => {
    const sent: Headers[] = []
    const body = JSON.stringify({ action: 'resize', width: 640 })
    const response = await signedFetch('lambda', sent)(`${server.lambdaUrl!}/jobs?dryRun=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      service: 'lambda',
      method: 'POST',
      path: '/_aws/lambda-url/jobs',
      query: { dryRun: 'true' },
      bodySha256: sha256(body),
      caller: { kind: 'guest' },
    })
    expect((sent[0]?.get('authorization') ?? '').includes(`/${REGION}/lambda/aws4_request`)).toBe(true)
    expect(routeLines()).toEqual(['POST /_aws/lambda-url/jobs 200 iam guest'])
  })

  it('GET with control characters and a euro sign in the query, and no body', async () => {
    const response = await signedFetch('lambda')(`${server.lambdaUrl!}/?a=%00%7F&b=%E2%82%AC`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      method: 'GET',
      path: '/_aws/lambda-url/',
      query: { a: '\u0000\u007f', b: '€' },
      bodyBytes: 0,
    })
  })
})

describe('refusals, shaped as API Gateway answers them', () => {
  it.each([
    ['lambda', 'execute-api', 'lambda', () => server.executeApiUrl!],
    ['execute-api', 'lambda', 'execute-api', () => server.lambdaUrl!],
    ['appsync (the default)', 'execute-api', undefined, () => server.executeApiUrl!],
  ])(
    'signed for %s where %s is expected: 403 InvalidSignatureException, sent once',
    async (_label, expected, signedFor, base) => {
      const response = await signedFetch(signedFor)(`${base()}/prod/items`, { method: 'POST', body: '{"a":1}' })
      expect(response.status).toBe(403)
      expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException')
      expect(await response.json()).toEqual({
        message: `Credential should be scoped to correct service: '${expected}'.`,
      })
      // A 403 is no authorization failure to refresh after (createAuthFetch hands it back, as fetch would).
      expect(routeLines()).toHaveLength(1)
    },
  )

  it('unsigned: 403 MissingAuthenticationTokenException', async () => {
    const response = await fetch(`${server.executeApiUrl!}/prod/items`)
    expect(response.status).toBe(403)
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException')
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' })
  })

  it('credentials the server never issued: 403 UnrecognizedClientException, sent once, no secret in the answer', async () => {
    const stranger = strangerCredentials()
    const fetchLike = createAuthFetch(
      { endpoint: server.graphqlUrl, region: REGION, authMode: 'iam', credentials: stranger },
      { service: 'execute-api', origins: [server.url] },
    )
    const response = await fetchLike(`${server.executeApiUrl!}/prod/items`)
    expect(response.status).toBe(403)
    expect(response.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException')
    const text = await response.text()
    for (const secret of [stranger.secretAccessKey, stranger.sessionToken]) expect(text.includes(secret)).toBe(false)
    // Plain credentials: nothing to refresh, so nothing resent.
    expect(routeLines()).toHaveLength(1)
  })

  it('credentials refused with a 403 naming the security token: the provider is asked again, and the resend passes', async () => {
    let calls = 0
    const fetchLike = createAuthFetch(
      {
        endpoint: server.graphqlUrl,
        region: REGION,
        authMode: 'iam',
        credentials: async (options) => (calls++ === 0 ? strangerCredentials() : guest(options)),
      },
      { service: 'execute-api', origins: [server.url] },
    )
    const response = await fetchLike(`${server.executeApiUrl!}/prod/items`)
    expect(response.status).toBe(200)
    expect(calls).toBe(2)
    expect(routeLines()).toEqual([
      expect.stringMatching(
        /^GET \/_aws\/execute-api\/prod\/items 403 rejected: The security token included in the request is invalid/,
      ),
      'GET /_aws/execute-api/prod/items 200 iam guest',
    ])
  })

  it('a service that is no AWS service name is refused when createAuthFetch is created', () => {
    for (const service of ['', 'Execute-API', 'execute api', 'lambda/', 'appsync\n']) {
      expect(() => signedFetch(service)).toThrow(ConfigurationError)
    }
  })
})
