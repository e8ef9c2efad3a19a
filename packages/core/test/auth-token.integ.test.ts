// A call's own token (`authToken`, Amplify's `client.graphql({ authToken })`) on the wire, for
// `client.request` and `createAuthFetch`: sent as the `authorization` header of the call's token
// mode instead of asking the mode's provider (which may be absent or failing); a rejection stands
// after one attempt (nothing to refresh); a call whose mode is not one token mode, or a token that
// is not a non-empty header value, is a ConfigurationError before anything is sent; the token is
// in no error. Subscriptions: realtime-overrides.test.ts.
import { describe, expect, it } from 'vitest'
import {
  ConfigurationError,
  createAuthFetch,
  createClient,
  iamMode,
  UnauthorizedError,
  type AuthMode,
  type ClientOptions,
} from '../src/index'
import {
  appSyncJson,
  authorizeLikeAppSync,
  ENDPOINT,
  fixtures,
  GET_POST,
  mockAppSync,
  type CapturedRequest,
} from './msw/appsync'
import { manualClock } from './msw/clock'
import { allText, recordEvents, rejectionOf } from './msw/observe'
import { useMswServer } from './msw/server'

useMswServer()

const T0 = Date.parse('2026-11-26T04:00:00Z')
const API_KEY = 'da2-authtokenapikey000000000000'
// Distinctive, so that a leak is found wherever it lands.
const CALL_TOKEN = 'lambda-call-token-9f3c2e1d7a6b5c4d3e2f1a0b'
const USER_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYWxsZXIifQ.callTokenSignaturePart'
const CREDENTIALS = {
  accessKeyId: 'ASIAAUTHTOKEN0000001',
  secretAccessKey: 'auth-token-secret-access-key-00000000',
  sessionToken: 'auth-token-session-token-000000000000',
}

function makeClient(options: Omit<ClientOptions, 'endpoint'>): ReturnType<typeof createClient> {
  return createClient({ endpoint: ENDPOINT, clock: manualClock(T0), logger: null, retry: false, ...options })
}

/** A token provider that counts its calls and fails (a signed-out session, a broken refresh). */
function failingProvider(): { calls: number; provider: () => Promise<never> } {
  const state = {
    calls: 0,
    provider: () => {
      state.calls++
      return Promise.reject(new Error('the configured provider was asked'))
    },
  }
  return state
}

const credentialHeaders = (request: CapturedRequest | undefined) => ({
  authorization: request?.headers['authorization'],
  'x-api-key': request?.headers['x-api-key'],
})

describe('client.request with authToken', () => {
  it('lambda with no `lambda` option at all: the token is the authorization header, nothing else', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ tokens: [CALL_TOKEN] }))
    const client = makeClient({ apiKey: API_KEY })
    const data = await client.request(GET_POST, { id: '1' }, { authMode: 'lambda', authToken: CALL_TOKEN })
    expect(data).toEqual(fixtures.getPost.data)
    expect(appsync.requests).toHaveLength(1)
    expect(credentialHeaders(appsync.requests[0])).toEqual({ authorization: CALL_TOKEN, 'x-api-key': undefined })
  })

  it("userPool whose provider would fail: the call's token is used and the provider is never asked", async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ tokens: [USER_TOKEN] }))
    const failing = failingProvider()
    const client = makeClient({ authMode: 'userPool', userPool: failing.provider })
    // The client's own mode, with the call's token.
    await client.request(GET_POST, { id: '1' }, { authToken: USER_TOKEN })
    expect(failing.calls).toBe(0)
    expect(appsync.requests[0]?.headers['authorization']).toBe(USER_TOKEN)
    // Without it, the same client asks its provider, which fails.
    await expect(client.request(GET_POST, { id: '1' })).rejects.toThrow('the userPool provider failed')
    expect(failing.calls).toBe(1)
  })

  it('oidc: the same, and the next call without a token uses the provider again', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ tokens: [USER_TOKEN, 'provider-token'] }))
    const client = makeClient({ authMode: 'oidc', oidc: 'provider-token' })
    await client.request(GET_POST, { id: '1' }, { authToken: USER_TOKEN })
    await client.request(GET_POST, { id: '1' })
    expect(appsync.requests.map((r) => r.headers['authorization'])).toEqual([USER_TOKEN, 'provider-token'])
  })

  it('a rejected token: UnauthorizedError after exactly one request, no refresh, no retry event, the provider untouched', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ tokens: ['another-token'] }))
    const failing = failingProvider()
    const client = makeClient({ authMode: 'lambda', lambda: failing.provider, retry: { limit: 2, baseDelayMs: 1 } })
    const events = recordEvents(client)
    const error = await rejectionOf(client.request(GET_POST, { id: '1' }, { authToken: CALL_TOKEN }))
    expect(error).toBeInstanceOf(UnauthorizedError)
    expect(appsync.requests).toHaveLength(1)
    expect(failing.calls).toBe(0)
    expect(events).toEqual([])
  })

  it('a server that quotes the token back: the error carries none of it', async () => {
    mockAppSync((request) =>
      appSyncJson(
        {
          errors: [
            {
              errorType: 'UnauthorizedException',
              message: `Token ${request.headers['authorization'] ?? ''} is not valid`,
            },
          ],
        },
        { status: 401 },
      ),
    )
    const client = makeClient({ apiKey: API_KEY })
    const error = await rejectionOf(
      client.request(GET_POST, { id: '1' }, { authMode: 'lambda', authToken: CALL_TOKEN }),
    )
    expect(error).toBeInstanceOf(UnauthorizedError)
    expect(allText(error).join('\n')).not.toContain(CALL_TOKEN)
  })

  it.each<[string, AuthMode | AuthMode[] | undefined]>([
    ['apiKey', 'apiKey'],
    ['iam', 'iam'],
    ['none', 'none'],
    ['a list of token modes (the same token twice)', ['userPool', 'lambda']],
    ["the client's apiKey mode (no authMode on the call)", undefined],
  ])('with %s: a ConfigurationError that says which modes take it; nothing is sent', async (_, authMode) => {
    const appsync = mockAppSync()
    const client = makeClient({
      apiKey: API_KEY,
      userPool: USER_TOKEN,
      lambda: CALL_TOKEN,
      credentials: CREDENTIALS,
      modes: [iamMode()],
      authMode: 'apiKey',
    })
    const error = await rejectionOf(
      client.request(GET_POST, { id: '1' }, { ...(authMode ? { authMode } : {}), authToken: CALL_TOKEN }),
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toBe(
      "`authToken` must be a non-empty token, for a call in one mode: userPool, oidc or lambda (e.g. `authMode: 'lambda'`).",
    )
    expect(appsync.requests).toHaveLength(0)
  })

  it.each<[string, unknown]>([
    ['an empty string', ''],
    ['blanks', '   '],
    ['not a string', { token: CALL_TOKEN }],
  ])('%s as authToken: a ConfigurationError; nothing is sent', async (_, authToken) => {
    const appsync = mockAppSync()
    const client = makeClient({ apiKey: API_KEY })
    const error = await rejectionOf(
      client.request(GET_POST, { id: '1' }, { authMode: 'lambda', authToken: authToken as string }),
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(/^`authToken` must be a non-empty token/)
    expect(appsync.requests).toHaveLength(0)
  })

  it('a token with a line break: a ConfigurationError naming `authToken`, never the value; nothing is sent', async () => {
    const appsync = mockAppSync()
    const client = makeClient({ apiKey: API_KEY })
    const error = await rejectionOf(
      client.request(GET_POST, { id: '1' }, { authMode: 'lambda', authToken: `${CALL_TOKEN}\r\nx-injected: 1` }),
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toBe('`authToken` has a character no header may carry (a line break, NUL…).')
    expect(allText(error).join('\n')).not.toContain(CALL_TOKEN)
    expect(appsync.requests).toHaveLength(0)
  })
})

describe('createAuthFetch with authToken in its init', () => {
  const BODY = JSON.stringify({ query: GET_POST, variables: { id: '1' } })

  it("sends the call's token for its mode with no provider configured, and hands a 401 back after one request", async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ tokens: [CALL_TOKEN] }))
    const authFetch = createAuthFetch({ endpoint: ENDPOINT, apiKey: API_KEY, logger: null })
    const ok = await authFetch(ENDPOINT, { method: 'POST', body: BODY, authMode: 'lambda', authToken: CALL_TOKEN })
    expect(ok.status).toBe(200)
    expect(credentialHeaders(appsync.requests[0])).toEqual({ authorization: CALL_TOKEN, 'x-api-key': undefined })

    const rejected = await authFetch(ENDPOINT, {
      method: 'POST',
      body: BODY,
      authMode: 'lambda',
      authToken: 'expired-call-token',
    })
    expect(rejected.status).toBe(401)
    expect(appsync.requests).toHaveLength(2)
  })

  it('with the apiKey mode: a ConfigurationError; nothing is sent', async () => {
    const appsync = mockAppSync()
    const authFetch = createAuthFetch({ endpoint: ENDPOINT, apiKey: API_KEY, logger: null })
    await expect(authFetch(ENDPOINT, { method: 'POST', body: BODY, authToken: CALL_TOKEN })).rejects.toBeInstanceOf(
      ConfigurationError,
    )
    expect(appsync.requests).toHaveLength(0)
  })
})
