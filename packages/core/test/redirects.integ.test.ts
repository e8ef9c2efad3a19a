// Issue 13, finding 1: credentials never follow a redirect. Two real HTTP servers on 127.0.0.1 (no
// msw, which would stand between fetch and the sockets): the endpoint answers with a redirect to
// the other port, which records whatever reaches it and must get nothing.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createAuthFetch,
  createClient,
  CredentialsError,
  fromCognitoIdentityPool,
  fromCognitoUserPool,
  HttpError,
  iamMode,
  signInWithPassword,
  SignInError,
  TokenRefreshError,
} from '../src/index'
import { asTokens, CLIENT_ID, issueTokens } from './msw/cognito'
import { allText, rejectionOf } from './msw/observe'

const API_KEY = 'da2-REDIRECTAPIKEY00000000000000'
const CREDENTIALS = {
  accessKeyId: 'ASIAREDIRECT00000001',
  secretAccessKey: 'REDIRECTSECRETACCESSKEY000000000000000000',
  sessionToken: 'REDIRECTSESSIONTOKEN0000000000000000000000',
}
const QUERY = 'query GetPost($id: ID!) { getPost(id: $id) { id } }'

interface Seen {
  readonly method: string | undefined
  readonly url: string | undefined
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}`)
    })
  })
}

function record(into: Seen[]): Server {
  return createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      into.push({ method: request.method, url: request.url, headers: request.headers, body })
      // What an attacker's host would answer: data the client must never take for the API's.
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ data: { getPost: { id: 'from-the-other-host' } } }))
    })
  })
}

const atEndpoint: Seen[] = []
const atTarget: Seen[] = []
let endpointBase = ''
let targetBase = ''
let status = 302
const endpoint = createServer((request, response) => {
  let body = ''
  request.on('data', (chunk: Buffer) => (body += chunk.toString()))
  request.on('end', () => {
    atEndpoint.push({ method: request.method, url: request.url, headers: request.headers, body })
    response.writeHead(status, { location: `${targetBase}/stolen${request.url ?? ''}` })
    response.end()
  })
})
const target = record(atTarget)

beforeAll(async () => {
  endpointBase = await listen(endpoint)
  targetBase = await listen(target)
})
afterAll(() => {
  endpoint.close()
  target.close()
})
beforeEach(() => {
  atEndpoint.length = 0
  atTarget.length = 0
})

const STATUSES = [301, 302, 303, 307, 308]

describe('a redirect is never followed (real servers on 127.0.0.1)', () => {
  it.each(STATUSES)(
    'client.request, API key: a %i is an HttpError that says so; the other host gets nothing',
    async (code) => {
      status = code
      const client = createClient({ endpoint: `${endpointBase}/graphql`, apiKey: API_KEY, logger: null })
      const error = await rejectionOf(client.request(QUERY, { id: '1' }))
      expect(error).toBeInstanceOf(HttpError)
      expect((error as HttpError).status).toBe(code)
      expect((error as Error).message).toMatch(/redirect, not followed/)
      expect(atTarget).toEqual([])
      // Sent once: a redirect is not retried (a query would be after a network error).
      expect(atEndpoint).toHaveLength(1)
      expect(atEndpoint[0]?.headers['x-api-key']).toBe(API_KEY)
    },
  )

  it.each(STATUSES)('client.request, IAM: a %i sends no signature, token or body elsewhere', async (code) => {
    status = code
    const client = createClient({
      endpoint: `${endpointBase}/graphql`,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      modes: [iamMode()],
      logger: null,
    })
    expect(await rejectionOf(client.request(QUERY, { id: '1' }))).toBeInstanceOf(HttpError)
    expect(atTarget).toEqual([])
    expect(atEndpoint[0]?.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken)
  })

  it.each(STATUSES)('createAuthFetch: a %i rejects with an HttpError; the other host gets nothing', async (code) => {
    status = code
    const authFetch = createAuthFetch({ endpoint: `${endpointBase}/graphql`, apiKey: API_KEY, logger: null })
    const error = await rejectionOf(
      authFetch(`${endpointBase}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: QUERY, variables: { id: '1' } }),
        // The caller asks to follow: credentials still never do.
        redirect: 'follow',
      }),
    )
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(code)
    expect(atTarget).toEqual([])
    expect(atEndpoint).toHaveLength(1)
  })

  it.each([302, 307, 308])(
    'fromCognitoUserPool: a %i to the refresh is a TokenRefreshError; the refresh token goes nowhere else',
    async (code) => {
      status = code
      const now = Date.now()
      const tokens = issueTokens({ now: now - 7_200_000, lifetimeMs: 3_600_000, marker: 'REDIRECTREFRESH' })
      const session = fromCognitoUserPool({
        clientId: CLIENT_ID,
        endpoint: `${endpointBase}/`,
        tokens: asTokens(tokens),
      })
      const error = await rejectionOf(session())
      expect(error).toBeInstanceOf(TokenRefreshError)
      expect((error as Error).message).toMatch(/redirect, not followed/)
      expect(atTarget).toEqual([])
      expect(atEndpoint.length).toBeGreaterThan(0)
      expect(atEndpoint.map((s) => s.body).join()).toContain(tokens.RefreshToken)
      expect(allText(error).join('\n')).not.toContain('REDIRECTREFRESH')
    },
  )

  it.each([302, 307, 308])(
    'signInWithPassword: a %i is a SignInError; the password goes nowhere else',
    async (code) => {
      status = code
      const error = await rejectionOf(
        signInWithPassword({
          clientId: CLIENT_ID,
          endpoint: `${endpointBase}/`,
          username: 'alice',
          password: 'REDIRECTPASSWORD-1',
        }),
      )
      expect(error).toBeInstanceOf(SignInError)
      expect(atTarget).toEqual([])
      expect(atEndpoint[0]?.body).toContain('REDIRECTPASSWORD-1')
    },
  )

  it.each([302, 307, 308])(
    'fromCognitoIdentityPool: a %i is a CredentialsError; the Logins go nowhere else',
    async (code) => {
      status = code
      const credentials = fromCognitoIdentityPool({
        identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
        endpoint: `${endpointBase}/`,
        logins: { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TESTPOOL1': 'REDIRECTLOGINTOKEN' },
      })
      const error = await rejectionOf(credentials())
      expect(error).toBeInstanceOf(CredentialsError)
      expect(atTarget).toEqual([])
      expect(atEndpoint[0]?.body).toContain('REDIRECTLOGINTOKEN')
    },
  )

  it("a browser's opaque redirect (status 0 under `redirect: 'manual'`) is the same HttpError", async () => {
    // What Chromium's fetch resolves to for a redirect under `redirect: 'manual'` (status 0,
    // location hidden): a stand-in, since Node's fetch gives the real 3xx instead.
    const inits: RequestInit[] = []
    const client = createClient({
      endpoint: `${endpointBase}/graphql`,
      apiKey: API_KEY,
      logger: null,
      fetch: (_input, init) => {
        inits.push(init ?? {})
        return Promise.resolve(Response.error())
      },
    })
    const error = await rejectionOf(client.request(QUERY, { id: '1' }))
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(0)
    expect((error as Error).message).toMatch(/redirect, not followed/)
    expect(inits.map((init) => init.redirect)).toEqual(['manual'])
  })
})
