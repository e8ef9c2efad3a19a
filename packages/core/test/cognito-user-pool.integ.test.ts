// fromCognitoUserPool and signInWithPassword against a Cognito played by msw: the wire format,
// single-flight refresh, rotation, SECRET_HASH, storage and locks, and every fault Cognito (or the
// network in front of it) can produce. The AppSync side is msw too (test/msw/appsync.ts).
import { createHmac } from 'node:crypto'
import { delay, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  ConfigurationError,
  createClient,
  fromCognitoUserPool,
  iamMode,
  memoryStorage,
  NoAuthModeAvailableError,
  NoIdentityError,
  signInWithPassword,
  SignInError,
  signOut,
  TokenRefreshError,
  type Client,
  type ClientOptions,
  type CognitoTokens,
  type CognitoUserPoolOptions,
  type CognitoUserPoolSession,
  type KeyValueStorage,
} from '../src/index'
import { cognitoSecretHash } from '../src/identity/secretHash'
import {
  appSyncJson,
  appSyncUnauthorized,
  authorizeLikeAppSync,
  ENDPOINT,
  fixtures,
  GET_POST,
  mockAppSync,
} from './msw/appsync'
import { HOUR, manualClock, MINUTE, runningClock, type ManualClock } from './msw/clock'
import {
  asTokens,
  CLIENT_ID,
  COGNITO_ENDPOINT,
  cognitoError,
  cognitoJson,
  issueTokens,
  mockCognito,
  refreshAnswer,
  type IssuedTokens,
} from './msw/cognito'
import { allText, recordEvents, recordingLogger, rejectionOf, type RecordedEvent } from './msw/observe'
import { useMswServer } from './msw/server'

useMswServer()

const T0 = Date.parse('2026-11-26T04:00:00Z')
const CLIENT_SECRET = 'SECRETCLIENTSECRETq9w8e7r6t5y4u3i2o1p0asdfghjkl'
const PASSWORD = 'SECRETPASSWORDCorrect-Horse-9!'
// Every issued token carries one of these in its signature part; none may appear in any output.
const MARKERS = ['SECRETTOKENS', 'SECRETCLIENTSECRET', 'SECRETPASSWORD']

/** A fresh set of tokens: marker SECRETTOKENS<n>, issued at the clock's now, valid an hour. */
function tokensNumber(n: number, clock: ManualClock, extra: { lifetimeMs?: number; noUsername?: boolean } = {}) {
  return issueTokens({
    now: clock.now(),
    lifetimeMs: extra.lifetimeMs ?? HOUR,
    marker: `SECRETTOKENS${String(n)}x`,
    noUsername: extra.noUsername,
  })
}

/** A storage that also reads and writes a session in Amplify's layout, as another tab would. */
type InspectableStorage = KeyValueStorage & {
  /** The JSON of `{ idToken, accessToken, refreshToken, clockDrift }` of the user LastAuthUser names; undefined for none. */
  readonly get: () => string | undefined
  /** Stores `tokens` under LastAuthUser `user` (default `alice`), as another tab (or Amplify) would. */
  readonly put: (tokens: CognitoTokens, user?: string) => void
  readonly items: Map<string, string>
}

interface Setup {
  readonly clock: ManualClock
  readonly storage: InspectableStorage
  readonly session: CognitoUserPoolSession
  readonly client: Client
  readonly events: RecordedEvent[]
  readonly logger: ReturnType<typeof recordingLogger>
  readonly initial: IssuedTokens
}

const PREFIX = `CognitoIdentityServiceProvider.${CLIENT_ID}`

/** A memory storage that also says what it holds in Amplify's layout (the session's). */
function inspectableStorage(): InspectableStorage {
  const items = new Map<string, string>()
  const storage: KeyValueStorage = {
    getItem: (key) => items.get(key),
    setItem: (key, value) => {
      items.set(key, value)
    },
    removeItem: (key) => {
      items.delete(key)
    },
  }
  return Object.assign(storage, {
    get: () => {
      const user = items.get(`${PREFIX}.LastAuthUser`)
      if (user === undefined) return undefined
      const part = (name: string) => items.get(`${PREFIX}.${user}.${name}`)
      return JSON.stringify({
        idToken: part('idToken'),
        accessToken: part('accessToken'),
        refreshToken: part('refreshToken'),
        clockDrift: part('clockDrift'),
      })
    },
    put: (tokens: CognitoTokens, user = 'alice') => {
      for (const [name, value] of Object.entries({ ...tokens, clockDrift: '0' })) {
        if (value !== undefined) items.set(`${PREFIX}.${user}.${name}`, value)
      }
      items.set(`${PREFIX}.LastAuthUser`, user)
    },
    items,
  })
}

function setup(
  options: {
    session?: Partial<CognitoUserPoolOptions>
    client?: Partial<ClientOptions>
    initial?: IssuedTokens
    clock?: ManualClock
  } = {},
): Setup {
  const clock = options.clock ?? manualClock(T0)
  const initial = options.initial ?? tokensNumber(1, clock)
  const storage = inspectableStorage()
  const session = fromCognitoUserPool({
    clientId: CLIENT_ID,
    tokens: asTokens(initial),
    storage,
    clock,
    ...options.session,
  })
  const logger = recordingLogger()
  const client = createClient({
    endpoint: ENDPOINT,
    authMode: 'userPool',
    userPool: session,
    clock,
    logger,
    retry: false,
    ...options.client,
  })
  return { clock, storage, session, client, events: recordEvents(client), logger, initial }
}

function named(events: RecordedEvent[], name: RecordedEvent['name']): RecordedEvent[] {
  return events.filter((e) => e.name === name)
}

function expectNoSecrets(...values: unknown[]): void {
  const text = allText(values).join('\n')
  for (const marker of MARKERS) expect(text).not.toContain(marker)
}

describe('fromCognitoUserPool: the token it sends', () => {
  it('sends the raw ID token by default, then the access token with use: accessToken', async () => {
    const appsync = mockAppSync()
    const a = setup()
    await a.client.request(GET_POST, { id: '1' })
    expect(appsync.requests[0]?.headers['authorization']).toBe(a.initial.IdToken)

    const b = setup({ session: { use: 'accessToken' } })
    await b.client.request(GET_POST, { id: '1' })
    expect(appsync.requests[1]?.headers['authorization']).toBe(b.initial.AccessToken)
    expect(appsync.requests.every((r) => r.mode === 'token' && !r.headers['authorization']?.startsWith('Bearer'))).toBe(
      true,
    )
  })

  it('loads the session from storage when no tokens are given, and persists what it was given', async () => {
    const appsync = mockAppSync()
    const first = setup()
    await first.session.currentTokens()
    const stored = first.storage.get()
    expect(JSON.parse(stored ?? '{}')).toMatchObject({ idToken: first.initial.IdToken, clockDrift: '0' })

    // A second session over the same storage (a reload): no tokens passed.
    const reloaded = fromCognitoUserPool({ clientId: CLIENT_ID, storage: first.storage, clock: first.clock })
    expect(await reloaded.currentTokens()).toEqual(asTokens(first.initial))
    const client = createClient({
      endpoint: ENDPOINT,
      authMode: 'userPool',
      userPool: reloaded,
      clock: first.clock,
      logger: null,
    })
    await client.request(GET_POST, { id: '1' })
    expect(appsync.requests[0]?.headers['authorization']).toBe(first.initial.IdToken)
  })

  it('with nobody signed in throws NoIdentityError, so a mode list moves on to the next mode', async () => {
    const appsync = mockAppSync()
    const cognito = mockCognito(() => cognitoError('InternalErrorException', 'must not be called', 500))
    const session = fromCognitoUserPool({ clientId: CLIENT_ID, storage: memoryStorage() })
    expect(await rejectionOf(session())).toBeInstanceOf(NoIdentityError)
    expect(await session.currentTokens()).toBeUndefined()

    const client = createClient({
      endpoint: ENDPOINT,
      authMode: ['userPool', 'apiKey'],
      userPool: session,
      apiKey: 'da2-fallbackkeyfallbackkey0001',
      logger: null,
    })
    const events = recordEvents(client)
    await client.request(GET_POST, { id: '1' })
    expect(appsync.requests[0]?.mode).toBe('apiKey')
    expect(named(events, 'authModeSkipped')[0]?.payload).toMatchObject({ mode: 'userPool' })
    expect(cognito.calls).toHaveLength(0)
  })
})

describe('fromCognitoUserPool: refresh', () => {
  it('refreshes an expired token with GetTokensFromRefreshToken, exactly once for 100 concurrent requests', async () => {
    const appsync = mockAppSync()
    const s = setup()
    const cognito = mockCognito(async () => {
      await delay(20)
      return refreshAnswer(tokensNumber(2, s.clock))
    })
    await s.client.request(GET_POST, { id: '0' })
    s.clock.advance(2 * HOUR)
    const next = tokensNumber(2, s.clock)
    await Promise.all(Array.from({ length: 100 }, (_, i) => s.client.request(GET_POST, { id: String(i) })))

    expect(cognito.calls).toHaveLength(1)
    const [call] = cognito.calls
    expect(call?.operation).toBe('GetTokensFromRefreshToken')
    expect(call?.contentType).toBe('application/x-amz-json-1.1')
    expect(call?.body).toEqual({ RefreshToken: s.initial.RefreshToken, ClientId: CLIENT_ID })
    expect(appsync.requests).toHaveLength(101)
    expect(new Set(appsync.requests.slice(1).map((r) => r.headers['authorization']))).toEqual(new Set([next.IdToken]))
    // Without rotation the refresh token stays; the new ID and access tokens are stored.
    expect(await s.session.currentTokens()).toEqual({ ...asTokens(next), refreshToken: s.initial.RefreshToken })
    expect(JSON.parse(s.storage.get() ?? '{}')).toMatchObject({
      idToken: next.IdToken,
      refreshToken: s.initial.RefreshToken,
    })
    expect(named(s.events, 'tokenRefreshed')).toHaveLength(2)
  })

  it('refreshes ahead of exp (5 minutes before), not earlier, and reads expiry from exp, not ExpiresIn', async () => {
    mockAppSync()
    const s = setup()
    const cognito = mockCognito(() => refreshAnswer(tokensNumber(2, s.clock)))
    s.clock.set(T0 + HOUR - 6 * MINUTE)
    await s.client.request(GET_POST, { id: '1' })
    expect(cognito.calls).toHaveLength(0)
    s.clock.set(T0 + HOUR - 4 * MINUTE) // still valid, inside the window
    await s.client.request(GET_POST, { id: '1' })
    expect(cognito.calls).toHaveLength(1)
    // The answer says ExpiresIn 3600; the new token's exp is an hour from now: no refresh for 54 min.
    s.clock.advance(50 * MINUTE)
    await s.client.request(GET_POST, { id: '1' })
    expect(cognito.calls).toHaveLength(1)
  })

  it('caps the refresh window at half of a short token lifetime', async () => {
    mockAppSync()
    const clock = manualClock(T0)
    const s = setup({ clock, initial: tokensNumber(1, clock, { lifetimeMs: 4 * MINUTE }) })
    const cognito = mockCognito(() => refreshAnswer(tokensNumber(2, s.clock, { lifetimeMs: 4 * MINUTE })))
    s.clock.set(T0 + 1 * MINUTE + 59_000)
    await s.client.request(GET_POST, { id: '1' })
    expect(cognito.calls).toHaveLength(0)
    s.clock.set(T0 + 2 * MINUTE)
    await s.client.request(GET_POST, { id: '1' })
    expect(cognito.calls).toHaveLength(1)
  })

  it('keeps a rotated refresh token and uses it for the next refresh', async () => {
    mockAppSync()
    const onTokens: CognitoTokens[] = []
    const s = setup({ session: { onTokens: (t) => onTokens.push(t) } })
    let issued = 1
    const cognito = mockCognito(() => refreshAnswer(tokensNumber(++issued, s.clock), true))
    s.clock.advance(2 * HOUR)
    await s.client.request(GET_POST, { id: '1' })
    const second = tokensNumber(2, s.clock)
    expect(await s.session.currentTokens()).toEqual(asTokens(second))
    expect(JSON.parse(s.storage.get() ?? '{}')).toMatchObject({ refreshToken: second.RefreshToken })
    expect(onTokens).toEqual([asTokens(second)])

    s.clock.advance(2 * HOUR)
    await s.client.request(GET_POST, { id: '2' })
    expect(cognito.refreshes().map((c) => c.refreshToken)).toEqual([s.initial.RefreshToken, second.RefreshToken])
  })

  it('after a 401, concurrent requests share one forced refresh and retry with the new token', async () => {
    const s = setup()
    const next = tokensNumber(2, s.clock)
    const appsync = mockAppSync((request) =>
      request.headers['authorization'] === next.IdToken ? appSyncJson(fixtures.getPost) : appSyncUnauthorized(),
    )
    const cognito = mockCognito(async () => {
      await delay(10)
      return refreshAnswer(next)
    })
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => s.client.request(GET_POST, { id: String(i) })),
    )
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true)
    expect(cognito.refreshes()).toHaveLength(1)
    expect(appsync.requests.filter((r) => r.headers['authorization'] === next.IdToken)).toHaveLength(20)
  })

  it("uses the client's clock (skew-corrected) over its own", async () => {
    mockAppSync()
    const sessionClock = manualClock(T0) // says the token is fresh
    const clientClock = manualClock(T0 + 2 * HOUR) // says it expired an hour ago
    const initial = tokensNumber(1, sessionClock)
    const s = setup({ clock: sessionClock, initial, client: { clock: clientClock } })
    const cognito = mockCognito(() => refreshAnswer(tokensNumber(2, clientClock)))
    // Called on its own, the session goes by its own clock: fresh, no refresh.
    expect((await s.session()).token).toBe(initial.IdToken)
    expect(cognito.refreshes()).toHaveLength(0)
    await s.client.request(GET_POST, { id: '1' })
    expect(cognito.refreshes()).toHaveLength(1)
  })

  it('follows the offset the client learned from the server (a SigV4 clock-skew correction)', async () => {
    const clock = manualClock(T0) // this machine; the server is two hours ahead
    const serverNow = T0 + 2 * HOUR
    const initial = tokensNumber(1, clock)
    const next = issueTokens({ now: serverNow, lifetimeMs: HOUR, marker: 'SECRETTOKENS2x' })
    const credentials = {
      accessKeyId: 'ASIACOGNITOTEST00001',
      secretAccessKey: 'SECRETTOKENSsecretaccesskeyforskewtest01',
      sessionToken: 'SECRETTOKENSsessiontokenforskewtest01',
    }
    mockAppSync(
      authorizeLikeAppSync({
        credentials: [credentials],
        tokens: [initial.IdToken, next.IdToken],
        now: () => serverNow,
      }),
    )
    const cognito = mockCognito(() => refreshAnswer(next))
    const s = setup({
      clock,
      initial,
      client: { authMode: 'userPool', credentials, modes: [iamMode()] },
    })
    // By this machine's clock the ID token is fresh: sent as it is.
    await s.client.request(GET_POST, { id: '1' })
    expect(cognito.refreshes()).toHaveLength(0)
    // An IAM request teaches the client the server's time…
    await s.client.request(GET_POST, { id: '2' }, { authMode: 'iam' })
    expect(s.client.clockOffsetMs).toBe(2 * HOUR)
    // …by which the ID token expired an hour ago: the session refreshes before sending it.
    await s.client.request(GET_POST, { id: '3' })
    expect(cognito.refreshes()).toHaveLength(1)
  })

  it('does not loop when this clock is hours ahead of Cognito: a new token counts from its arrival', async () => {
    mockAppSync()
    const cognitoClock = manualClock(T0)
    const initial = tokensNumber(1, cognitoClock)
    const localClock = manualClock(T0 + 3 * HOUR) // every token Cognito issues looks expired here
    const s = setup({ clock: localClock, initial })
    const cognito = mockCognito(() => refreshAnswer(tokensNumber(2, cognitoClock)))
    for (let i = 0; i < 10; i++) await s.client.request(GET_POST, { id: String(i) })
    expect(cognito.refreshes()).toHaveLength(1)
    // …and the drift is remembered: a reload from storage does not refresh again either.
    const reloaded = fromCognitoUserPool({ clientId: CLIENT_ID, storage: s.storage, clock: localClock })
    await reloaded()
    expect(cognito.refreshes()).toHaveLength(1)
    localClock.advance(HOUR)
    await s.client.request(GET_POST, { id: 'later' })
    expect(cognito.refreshes()).toHaveLength(2)
  })
})

describe('fromCognitoUserPool: transient failures keep the session', () => {
  const FAULTS = [
    ['500', () => cognitoError('InternalErrorException', 'Internal server error', 500)],
    ['429', () => cognitoError('TooManyRequestsException', 'Rate exceeded', 429)],
    ['a dropped connection', () => HttpResponse.error()],
  ] as const

  it('500, 429 and a dropped connection, then success: one query succeeds through the client retries', async () => {
    const appsync = mockAppSync()
    const s = setup({ client: { retry: { limit: 3, baseDelayMs: 1, maxDelayMs: 2 } } })
    const next = tokensNumber(2, s.clock)
    const cognito = mockCognito((_call, index) => FAULTS[index]?.[1]() ?? refreshAnswer(next))
    s.clock.advance(2 * HOUR)
    // Each retry waits out the session's backoff after a failed refresh (1 s, 2 s, 4 s).
    s.client.on('retry', () => {
      s.clock.advance(10_000)
    })
    await s.client.request(GET_POST, { id: '1' })

    expect(cognito.refreshes()).toHaveLength(4)
    expect(cognito.refreshes().every((c) => c.refreshToken === s.initial.RefreshToken)).toBe(true)
    expect(appsync.requests.map((r) => r.headers['authorization'])).toEqual([next.IdToken])
    expect(named(s.events, 'retry').map((e) => (e.payload as { reason: string }).reason)).toEqual([
      'token refresh failed',
      'token refresh failed',
      'token refresh failed',
    ])
    expect(named(s.events, 'sessionExpired')).toHaveLength(0)
    expect(await s.session.currentTokens()).toMatchObject({ idToken: next.IdToken })
  })

  it('without client retries each failure is a retryable TokenRefreshError, and the next request tries again', async () => {
    mockAppSync()
    const s = setup()
    const next = tokensNumber(2, s.clock)
    const cognito = mockCognito((_call, index) => FAULTS[index]?.[1]() ?? refreshAnswer(next))
    s.clock.advance(2 * HOUR)
    const errors: unknown[] = []
    for (const [label] of FAULTS) {
      const error = await rejectionOf(s.client.request(GET_POST, { id: label }))
      errors.push(error)
      expect(error).toBeInstanceOf(TokenRefreshError)
      expect(error).toMatchObject({ code: 'ERR_TOKEN_REFRESH', retryable: true, sessionEnded: false })
      // The session survives: the tokens are still held and stored.
      expect(await s.session.currentTokens()).toEqual(asTokens(s.initial))
      expect(s.storage.get()).toContain(s.initial.RefreshToken)
      // Past the backoff after a failed refresh (1 s, then 2 s, 4 s).
      s.clock.advance(10_000)
    }
    expect(errors.map((e) => (e as TokenRefreshError).errorType)).toEqual([
      'InternalErrorException',
      'TooManyRequestsException',
      'NetworkError',
    ])
    await s.client.request(GET_POST, { id: 'ok' })
    expect(cognito.refreshes()).toHaveLength(4)
    expect(named(s.events, 'sessionExpired')).toHaveLength(0)
    expectNoSecrets(errors, s.events, s.logger.calls)
  })

  it('an early refresh that fails keeps serving the still-valid token and pauses before trying again', async () => {
    const appsync = mockAppSync()
    const s = setup()
    const cognito = mockCognito(() => cognitoError('InternalErrorException', 'Internal server error', 500))
    s.clock.set(T0 + HOUR - 2 * MINUTE)
    await s.client.request(GET_POST, { id: '1' })
    await s.client.request(GET_POST, { id: '2' })
    expect(cognito.refreshes()).toHaveLength(1)
    s.clock.advance(11_000)
    await s.client.request(GET_POST, { id: '3' })
    expect(cognito.refreshes()).toHaveLength(2)
    expect(new Set(appsync.requests.map((r) => r.headers['authorization']))).toEqual(new Set([s.initial.IdToken]))
  })

  it('a Cognito that never answers is a retryable timeout, not a hang', async () => {
    mockAppSync()
    const s = setup({ session: { timeoutMs: 50 } })
    mockCognito(async () => {
      await delay('infinite')
      return cognitoJson({})
    })
    s.clock.advance(2 * HOUR)
    const error = await rejectionOf(s.client.request(GET_POST, { id: '1' }))
    expect(error).toBeInstanceOf(TokenRefreshError)
    expect(error).toMatchObject({ retryable: true, sessionEnded: false, errorType: 'TimeoutError' })
    expect(await s.session.currentTokens()).toEqual(asTokens(s.initial))
  })

  it.each([
    ['an HTML page', () => new HttpResponse('<html><body>Bad gateway</body></html>', { status: 200 }), 'HTTP 200'],
    ['truncated JSON', () => new HttpResponse('{"AuthenticationResult":{"IdToken":"eyJ', { status: 200 }), 'HTTP 200'],
    ['JSON without AuthenticationResult', () => cognitoJson({ ChallengeParameters: {} }), 'InvalidResponse'],
    [
      'a partial AuthenticationResult (no IdToken)',
      () => cognitoJson({ AuthenticationResult: { AccessToken: 'eyJhbGciOiJSUzI1NiJ9.e30.sig' } }),
      'InvalidResponse',
    ],
    [
      'an IdToken that is not a JWT',
      () => cognitoJson({ AuthenticationResult: { IdToken: 'x', AccessToken: 'y' } }),
      'InvalidResponse',
    ],
    ['a JSON array', () => cognitoJson([1, 2]), 'InvalidResponse'],
  ])('garbage from Cognito (%s) is a typed, retryable TokenRefreshError', async (_label, answer, errorType) => {
    mockAppSync()
    const s = setup()
    mockCognito(answer)
    s.clock.advance(2 * HOUR)
    const error = await rejectionOf(s.client.request(GET_POST, { id: '1' }))
    expect(error).toBeInstanceOf(TokenRefreshError)
    expect(error).toMatchObject({ code: 'ERR_TOKEN_REFRESH', retryable: true, sessionEnded: false, errorType })
    expect(await s.session.currentTokens()).toEqual(asTokens(s.initial))
    expectNoSecrets(error)
  })

  it('a rejection that is neither transient nor definitive keeps the session and is not retried', async () => {
    mockAppSync()
    const s = setup({ client: { retry: { limit: 3, baseDelayMs: 1 } } })
    const cognito = mockCognito(() =>
      cognitoError('InvalidParameterException', 'Refresh token flow is not enabled for this client'),
    )
    s.clock.advance(2 * HOUR)
    const error = await rejectionOf(s.client.request(GET_POST, { id: '1' }))
    expect(error).toMatchObject({ retryable: false, sessionEnded: false, errorType: 'InvalidParameterException' })
    expect(cognito.refreshes()).toHaveLength(1)
    expect(await s.session.currentTokens()).toEqual(asTokens(s.initial))
  })
})

// Issue 13, finding 3: with Cognito failing, every waiting caller (and each of its client retries)
// used to start another refresh once the shared one had failed: 20 requests made 34-35 calls.
describe('fromCognitoUserPool: a failing Cognito gets one refresh at a time, then a backoff', () => {
  for (const n of [20, 100]) {
    it(`${String(n)} concurrent requests with an expired token while Cognito answers 500: exactly 1 InitiateAuth, and every caller gets the typed error`, async () => {
      const appsync = mockAppSync()
      // Real time: the client's retries (2 per request, 100-300 ms in all) sleep for real, inside the 1 s backoff.
      const s = setup({ clock: runningClock(T0), client: { retry: { limit: 2, baseDelayMs: 100, maxDelayMs: 200 } } })
      const cognito = mockCognito(async () => {
        await delay(20)
        return cognitoError('InternalErrorException', 'Internal server error', 500)
      })
      s.clock.advance(2 * HOUR)
      const results = await Promise.allSettled(
        Array.from({ length: n }, (_, i) => s.client.request(GET_POST, { id: String(i) })),
      )
      expect(cognito.calls).toHaveLength(1)
      expect(cognito.refreshes()).toHaveLength(1)
      const errors = results.map((r) => (r.status === 'rejected' ? (r.reason as unknown) : r.value))
      expect(errors.every((e) => e instanceof TokenRefreshError)).toBe(true)
      expect(new Set(errors.map((e) => (e as TokenRefreshError).errorType))).toEqual(
        new Set(['InternalErrorException']),
      )
      expect(errors.every((e) => (e as TokenRefreshError).retryable && !(e as TokenRefreshError).sessionEnded)).toBe(
        true,
      )
      // Each request did retry twice; the retries got the shared failure instead of a new call.
      expect(named(s.events, 'retry')).toHaveLength(2 * n)
      expect(appsync.requests).toHaveLength(0)
      expect(await s.session.currentTokens()).toEqual(asTokens(s.initial))
    })
  }

  it('the next attempt waits out a backoff of 1 s, 2 s, 4 s; requests meanwhile fail at once without a call; a success ends it', async () => {
    const appsync = mockAppSync()
    const s = setup()
    let down = true
    const next = tokensNumber(2, s.clock)
    const cognito = mockCognito(() =>
      down ? cognitoError('InternalErrorException', 'Internal server error', 500) : refreshAnswer(next),
    )
    s.clock.advance(2 * HOUR)
    const first = await rejectionOf(s.client.request(GET_POST, { id: '1' }))
    expect(first).toBeInstanceOf(TokenRefreshError)
    const calls = [cognito.refreshes().length]
    for (const backoff of [1000, 2000, 4000]) {
      s.clock.advance(backoff - 1)
      expect(await rejectionOf(s.client.request(GET_POST, { id: 'during' }))).toBeInstanceOf(TokenRefreshError)
      calls.push(cognito.refreshes().length)
      s.clock.advance(1)
      if (backoff === 4000) down = false
      await s.client.request(GET_POST, { id: 'after' }).catch(() => undefined)
      calls.push(cognito.refreshes().length)
    }
    expect(calls).toEqual([1, 1, 2, 2, 3, 3, 4])
    // Recovered: the new token is used, with no further call.
    await s.client.request(GET_POST, { id: 'ok' })
    expect(cognito.refreshes()).toHaveLength(4)
    expect(appsync.requests.map((r) => r.headers['authorization'])).toEqual([next.IdToken, next.IdToken])
  })
})

describe('fromCognitoUserPool: the identity cache it is built on', () => {
  it('an early refresh refused for a reason that does not end the session keeps the valid token, pausing, until it expires', async () => {
    const appsync = mockAppSync()
    const s = setup()
    const cognito = mockCognito(() =>
      cognitoError('InvalidParameterException', 'Refresh token flow is not enabled for this client'),
    )
    // Inside the refresh window: the refusal is not tried again on every request (the pause).
    s.clock.set(T0 + HOUR - 2 * MINUTE)
    for (const id of ['1', '2']) await s.client.request(GET_POST, { id })
    expect(cognito.refreshes()).toHaveLength(1)
    expect(appsync.requests.map((r) => r.headers['authorization'])).toEqual([s.initial.IdToken, s.initial.IdToken])
    // Expired: nothing valid to fall back on, so the refusal surfaces (and the session is kept).
    s.clock.set(T0 + HOUR)
    const error = await rejectionOf(s.client.request(GET_POST, { id: '4' }))
    expect(error).toMatchObject({ retryable: false, sessionEnded: false, errorType: 'InvalidParameterException' })
    expect(await s.session.currentTokens()).toEqual(asTokens(s.initial))
    expect(named(s.events, 'sessionExpired')).toHaveLength(0)
  })

  it('a session reloaded inside its refresh window refreshes at once: the window counts from the token, not the reload', async () => {
    mockAppSync()
    const first = setup()
    await first.session.currentTokens() // stored
    const cognito = mockCognito(() => refreshAnswer(tokensNumber(2, first.clock)))
    // 4 minutes left of the hour: inside the 5-minute window, though more than half of what is left.
    first.clock.set(T0 + HOUR - 4 * MINUTE)
    const reloaded = fromCognitoUserPool({ clientId: CLIENT_ID, storage: first.storage, clock: first.clock })
    expect((await reloaded()).token).toBe(tokensNumber(2, first.clock).IdToken)
    expect(cognito.refreshes()).toHaveLength(1)
  })

  it('after a rejection, a failed refresh does not bring the rejected token back: the next request refreshes first', async () => {
    const s = setup()
    const next = tokensNumber(2, s.clock)
    const appsync = mockAppSync((request) =>
      request.headers['authorization'] === next.IdToken ? appSyncJson(fixtures.getPost) : appSyncUnauthorized(),
    )
    const cognito = mockCognito((_call, index) =>
      index === 0 ? cognitoError('InternalErrorException', 'Internal server error', 500) : refreshAnswer(next),
    )
    const error = await rejectionOf(s.client.request(GET_POST, { id: '1' }))
    expect(error).toMatchObject({ retryable: true, sessionEnded: false })
    s.clock.advance(1000) // past the backoff after a failed refresh
    await s.client.request(GET_POST, { id: '2' })
    expect(cognito.refreshes()).toHaveLength(2)
    expect(appsync.requests.map((r) => r.headers['authorization'])).toEqual([s.initial.IdToken, next.IdToken])
    expect(await s.session.currentTokens()).toEqual({ ...asTokens(next), refreshToken: s.initial.RefreshToken })
  })
})

describe('fromCognitoUserPool: a definitive rejection ends the session', () => {
  it.each([
    ['NotAuthorizedException', 'Refresh Token has been revoked'],
    ['TokenRevokedException', 'Token has been revoked'],
    ['UserNotFoundException', 'User does not exist.'],
    ['RefreshTokenReuseException', 'Refresh token has already been used'],
  ])(
    '%s: TokenRefreshError(sessionEnded), storage cleared, one sessionExpired, after exactly one refresh attempt',
    async (type, message) => {
      const appsync = mockAppSync()
      const s = setup({ client: { retry: { limit: 3, baseDelayMs: 1 } } })
      const cognito = mockCognito(async () => {
        await delay(10)
        return cognitoError(type, message)
      })
      s.clock.advance(2 * HOUR)
      const results = await Promise.allSettled(
        Array.from({ length: 25 }, (_, i) => s.client.request(GET_POST, { id: String(i) })),
      )
      expect(cognito.refreshes()).toHaveLength(1)
      expect(appsync.requests).toHaveLength(0)
      const errors = results.map((r) => (r.status === 'rejected' ? (r.reason as unknown) : undefined))
      for (const error of errors) {
        expect(error).toBeInstanceOf(TokenRefreshError)
        expect(error).toMatchObject({ sessionEnded: true, retryable: false, errorType: type })
      }
      expect(s.storage.get()).toBeUndefined()
      expect(await s.session.currentTokens()).toBeUndefined()
      expect(named(s.events, 'sessionExpired').map((e) => e.payload)).toEqual([{ mode: 'userPool', reason: type }])
      expect(named(s.events, 'retry')).toHaveLength(0)

      // Signed out now: later requests find nobody signed in and never call Cognito again.
      const later = await rejectionOf(s.client.request(GET_POST, { id: 'later' }))
      expect(later).toBeInstanceOf(NoAuthModeAvailableError)
      expect(cognito.refreshes()).toHaveLength(1)
      expect(named(s.events, 'sessionExpired')).toHaveLength(1)
      expectNoSecrets(errors, later, s.events, s.logger.calls)
    },
  )

  it.each([
    ['PasswordResetRequiredException', 'Password reset required for the user'],
    ['UserNotConfirmedException', 'User is not confirmed.'],
  ])(
    '%s (the user must act before any refresh succeeds) ends the session too, as the one list says',
    async (type, message) => {
      const appsync = mockAppSync()
      const s = setup({ client: { retry: { limit: 3, baseDelayMs: 1 } } })
      const cognito = mockCognito(() => cognitoError(type, message))
      s.clock.advance(2 * HOUR)
      const error = await rejectionOf(s.client.request(GET_POST, { id: '1' }))
      expect(error).toBeInstanceOf(TokenRefreshError)
      expect(error).toMatchObject({ sessionEnded: true, retryable: false, errorType: type })
      expect(cognito.refreshes()).toHaveLength(1)
      expect(appsync.requests).toHaveLength(0)
      expect(s.storage.get()).toBeUndefined()
      expect(await s.session.currentTokens()).toBeUndefined()
      expect(named(s.events, 'sessionExpired').map((e) => e.payload)).toEqual([{ mode: 'userPool', reason: type }])
    },
  )

  it('with a mode list, the next request after the session ended goes to the next mode', async () => {
    const appsync = mockAppSync()
    const s = setup({
      client: { authMode: ['userPool', 'apiKey'], apiKey: 'da2-fallbackkeyfallbackkey0001' },
    })
    mockCognito(() => cognitoError('NotAuthorizedException', 'Refresh Token has expired'))
    s.clock.advance(2 * HOUR)
    expect(await rejectionOf(s.client.request(GET_POST, { id: '1' }))).toBeInstanceOf(TokenRefreshError)
    await s.client.request(GET_POST, { id: '2' })
    expect(appsync.requests.map((r) => r.mode)).toEqual(['apiKey'])
  })

  it('a token without a refresh token ends the session when it expires', async () => {
    mockAppSync()
    const clock = manualClock(T0)
    const initial = tokensNumber(1, clock)
    const s = setup({
      clock,
      initial,
      session: { tokens: { idToken: initial.IdToken, accessToken: initial.AccessToken } },
    })
    const cognito = mockCognito(() => cognitoError('InternalErrorException', 'must not be called', 500))
    await s.client.request(GET_POST, { id: '1' })
    s.clock.advance(2 * HOUR)
    const error = await rejectionOf(s.client.request(GET_POST, { id: '2' }))
    expect(error).toMatchObject({ sessionEnded: true, errorType: 'NoRefreshToken' })
    expect(named(s.events, 'sessionExpired')).toHaveLength(1)
    expect(cognito.calls).toHaveLength(0)
  })

  it('a client secret Cognito rejects is a ConfigurationError and does not end the session', async () => {
    mockAppSync()
    const s = setup({ session: { clientSecret: CLIENT_SECRET } })
    mockCognito(() => cognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`))
    s.clock.advance(2 * HOUR)
    const error = await rejectionOf(s.client.request(GET_POST, { id: '1' }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(await s.session.currentTokens()).toEqual(asTokens(s.initial))
    expect(named(s.events, 'sessionExpired')).toHaveLength(0)
    expectNoSecrets(error)
  })
})

describe('an endpoint without GetTokensFromRefreshToken (older emulators)', () => {
  it.each([
    ['UnknownOperationException (400)', () => cognitoError('UnknownOperationException', '', 400)],
    [
      "cognito-local's CognitoLocal#Unsupported (500)",
      () =>
        cognitoError('CognitoLocal#Unsupported', 'Cognito Local unsupported feature: Unsupported x-amz-target', 500),
    ],
  ])('%s: falls back to REFRESH_TOKEN_AUTH once, and the session keeps using it', async (_name, unknown) => {
    const appsync = mockAppSync()
    const s = setup()
    let issued = 1
    const cognito = mockCognito((call) =>
      call.operation === 'GetTokensFromRefreshToken' ? unknown() : refreshAnswer(tokensNumber(++issued, s.clock)),
    )
    s.clock.advance(2 * HOUR)
    await s.client.request(GET_POST, { id: '1' })
    s.clock.advance(2 * HOUR)
    await s.client.request(GET_POST, { id: '2' })
    expect(cognito.calls.map((c) => [c.operation, c.body['AuthFlow']])).toEqual([
      ['GetTokensFromRefreshToken', undefined],
      ['InitiateAuth', 'REFRESH_TOKEN_AUTH'],
      ['InitiateAuth', 'REFRESH_TOKEN_AUTH'],
    ])
    expect(cognito.calls[1]?.body).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: CLIENT_ID,
      AuthParameters: { REFRESH_TOKEN: s.initial.RefreshToken },
    })
    // Each request with the ID token of the refresh before it.
    expect(appsync.requests.map((r) => r.headers['authorization']?.split('.')[2])).toEqual([
      'SECRETTOKENS2xIDSIG',
      'SECRETTOKENS3xIDSIG',
    ])
    expect(named(s.events, 'sessionExpired')).toHaveLength(0)
  })

  it('any other failure of GetTokensFromRefreshToken (a 500, a rejection) is not a reason to fall back', async () => {
    mockAppSync()
    const s = setup({ client: { retry: false } })
    const cognito = mockCognito(() => cognitoError('InternalErrorException', 'try again', 500))
    s.clock.advance(2 * HOUR)
    expect(await rejectionOf(s.client.request(GET_POST, { id: '1' }))).toBeInstanceOf(TokenRefreshError)
    expect(cognito.calls.map((c) => c.operation)).toEqual(['GetTokensFromRefreshToken'])
  })
})

describe('SECRET_HASH', () => {
  const expected = (username: string): string =>
    createHmac('sha256', CLIENT_SECRET)
      .update(username + CLIENT_ID)
      .digest('base64')

  // An endpoint without GetTokensFromRefreshToken: only the fallback (REFRESH_TOKEN_AUTH) hashes.
  const legacyCognito = (answer: () => Response) =>
    mockCognito((call) =>
      call.operation === 'GetTokensFromRefreshToken' ? cognitoError('UnknownOperationException', '', 400) : answer(),
    )

  it('refresh: Cognito gets the ClientSecret in GetTokensFromRefreshToken (its API), no SECRET_HASH', async () => {
    mockAppSync()
    const s = setup({ session: { clientSecret: CLIENT_SECRET } })
    const cognito = mockCognito(() => refreshAnswer(tokensNumber(2, s.clock)))
    s.clock.advance(2 * HOUR)
    await s.client.request(GET_POST, { id: '1' })
    expect(cognito.calls.map((c) => c.body)).toEqual([
      { RefreshToken: s.initial.RefreshToken, ClientId: CLIENT_ID, ClientSecret: CLIENT_SECRET },
    ])
  })

  it('refresh (REFRESH_TOKEN_AUTH fallback, emulators only): neither SECRET_HASH nor the secret', async () => {
    mockAppSync()
    const s = setup({ session: { clientSecret: CLIENT_SECRET } })
    const cognito = legacyCognito(() => refreshAnswer(tokensNumber(2, s.clock)))
    s.clock.advance(2 * HOUR)
    await s.client.request(GET_POST, { id: '1' })
    expect(cognito.calls[1]?.body).toEqual({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: CLIENT_ID,
      AuthParameters: { REFRESH_TOKEN: s.initial.RefreshToken },
    })
  })

  it('sign-in: hashes the user name given, and matches a fixed vector', async () => {
    const cognito = mockCognito(() =>
      cognitoJson({ AuthenticationResult: issueTokens({ now: T0, lifetimeMs: HOUR, marker: 'SECRETTOKENS9x' }) }),
    )
    await signInWithPassword({
      clientId: CLIENT_ID,
      username: 'bob',
      password: PASSWORD,
      region: 'us-east-1',
      clientSecret: CLIENT_SECRET,
    })
    expect(cognito.calls[0]?.parameters['SECRET_HASH']).toBe(expected('bob'))
    // A fixed vector, computed with node:crypto and with `openssl dgst -sha256 -hmac secret -binary | base64`.
    const fixed = createHmac('sha256', 'secret')
      .update('user' + 'client')
      .digest('base64')
    expect(fixed).toBe('wvW87lzZoI+qQCVGmWVBJLlucdJ65huAVP1z+0MgA6E=')
    expect(await cognitoSecretHash({ clientSecret: 'secret', username: 'user', clientId: 'client' })).toBe(fixed)
  })
})

describe('fromCognitoUserPool: storage and locks (tabs)', () => {
  it('two sessions over one storage (two tabs) refresh once; the other adopts the stored tokens', async () => {
    const appsync = mockAppSync()
    const clock = manualClock(T0)
    const initial = tokensNumber(1, clock)
    const storage = inspectableStorage()
    // Rotation, and a reused refresh token is refused, as Cognito does with rotation on.
    const used = new Set<string>()
    let issued = 1
    const cognito = mockCognito(async (call) => {
      const token = String(call.refreshToken)
      if (used.has(token)) return cognitoError('RefreshTokenReuseException', 'Refresh token has already been used')
      used.add(token)
      await delay(10)
      return refreshAnswer(tokensNumber(++issued, clock), true)
    })
    const tabA = fromCognitoUserPool({ clientId: CLIENT_ID, tokens: asTokens(initial), storage, clock })
    await tabA.currentTokens() // tab A signed in and stored the session
    const tabB = fromCognitoUserPool({ clientId: CLIENT_ID, storage, clock }) // tab B loads it
    const clientA = createClient({ endpoint: ENDPOINT, authMode: 'userPool', userPool: tabA, clock, logger: null })
    const clientB = createClient({ endpoint: ENDPOINT, authMode: 'userPool', userPool: tabB, clock, logger: null })
    await clientA.request(GET_POST, { id: 'a0' })
    await clientB.request(GET_POST, { id: 'b0' })

    clock.advance(2 * HOUR)
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => clientA.request(GET_POST, { id: `a${String(i)}` })),
      ...Array.from({ length: 10 }, (_, i) => clientB.request(GET_POST, { id: `b${String(i)}` })),
    ])
    expect(cognito.refreshes()).toHaveLength(1)
    const second = tokensNumber(2, clock)
    expect(new Set(appsync.requests.slice(2).map((r) => r.headers['authorization']))).toEqual(new Set([second.IdToken]))
    expect(await tabA.currentTokens()).toEqual(asTokens(second))
    expect(await tabB.currentTokens()).toEqual(asTokens(second))
  })

  it('re-reads storage inside the lock: tokens another process stored meanwhile are adopted, not refreshed again', async () => {
    mockAppSync()
    const clock = manualClock(T0)
    const initial = tokensNumber(1, clock)
    const storage = inspectableStorage()
    const otherTabTokens = asTokens(issueTokens({ now: T0 + 2 * HOUR, lifetimeMs: HOUR, marker: 'SECRETTOKENS7x' }))
    // A lock held by "another tab" that refreshes and stores while we wait for it.
    const lockCalls: string[] = []
    const lock = async <T>(name: string, task: () => Promise<T>): Promise<T> => {
      lockCalls.push(name)
      storage.put(otherTabTokens)
      return task()
    }
    const onTokens: CognitoTokens[] = []
    const session = fromCognitoUserPool({
      clientId: CLIENT_ID,
      tokens: asTokens(initial),
      storage,
      clock,
      lock,
      onTokens: (t) => onTokens.push(t),
    })
    const cognito = mockCognito(() => cognitoError('InternalErrorException', 'must not be called', 500))
    clock.advance(2 * HOUR)
    expect((await session()).token).toBe(otherTabTokens.idToken)
    expect(cognito.calls).toHaveLength(0)
    expect(lockCalls).toEqual([`authmode:cognito-user-pool:${CLIENT_ID}`])
    expect(onTokens).toEqual([otherTabTokens])
  })

  it('tokens removed from storage by another tab (a sign-out there) end this session without a Cognito call', async () => {
    mockAppSync()
    const s = setup()
    const cognito = mockCognito(() => cognitoError('InternalErrorException', 'must not be called', 500))
    await s.client.request(GET_POST, { id: '1' })
    await s.storage.removeItem(`${PREFIX}.LastAuthUser`)
    s.clock.advance(2 * HOUR)
    expect(await rejectionOf(s.client.request(GET_POST, { id: '2' }))).toBeInstanceOf(NoAuthModeAvailableError)
    expect(cognito.calls).toHaveLength(0)
  })

  it("a session another library stored in Amplify's layout is used, refreshed in place, and signed out of", async () => {
    const appsync = mockAppSync()
    const clock = manualClock(T0)
    const storage = inspectableStorage()
    const initial = tokensNumber(1, clock)
    // As Amplify leaves a USER_PASSWORD_AUTH sign-in with an alias: keys under the name typed.
    storage.put(asTokens(initial), 'alice@example.com')
    const other = {
      [`${PREFIX}.alice@example.com.signInDetails`]: '{"loginId":"alice@example.com","authFlowType":"USER_SRP_AUTH"}',
      [`${PREFIX}.alice@example.com.deviceKey`]: 'us-east-1_device',
      [`CognitoIdentityServiceProvider.another-client.LastAuthUser`]: 'carol',
    }
    for (const [key, value] of Object.entries(other)) storage.items.set(key, value)
    const session = fromCognitoUserPool({ clientId: CLIENT_ID, storage, clock })
    const client = createClient({ endpoint: ENDPOINT, authMode: 'userPool', userPool: session, clock, logger: null })
    const cognito = mockCognito((call) =>
      call.operation === 'RevokeToken' ? cognitoJson({}) : refreshAnswer(tokensNumber(2, clock), true),
    )
    await client.request(GET_POST, { id: '1' })
    clock.advance(2 * HOUR)
    await client.request(GET_POST, { id: '2' })
    const second = tokensNumber(2, clock)
    expect(appsync.requests.map((r) => r.headers['authorization'])).toEqual([initial.IdToken, second.IdToken])
    expect(cognito.refreshes().map((c) => c.refreshToken)).toEqual([initial.RefreshToken])
    // Written back under the same LastAuthUser, Amplify's other keys of the session kept.
    expect(JSON.parse(storage.get() ?? '{}')).toMatchObject(asTokens(second))
    expect(storage.items.get(`${PREFIX}.LastAuthUser`)).toBe('alice@example.com')
    expect(storage.items.get(`${PREFIX}.alice@example.com.signInDetails`)).toBe(
      other[`${PREFIX}.alice@example.com.signInDetails`],
    )
    await signOut(session)
    // Sign-out removes the session's keys (sign-in details included), not the device's or another client's.
    expect(Object.fromEntries(storage.items)).toEqual({
      [`${PREFIX}.alice@example.com.deviceKey`]: 'us-east-1_device',
      [`CognitoIdentityServiceProvider.another-client.LastAuthUser`]: 'carol',
    })
  })

  it("another user's sign-in elsewhere (LastAuthUser names them) ends this session: their tokens are neither used nor cleared", async () => {
    mockAppSync()
    const s = setup()
    const cognito = mockCognito(() => cognitoError('InternalErrorException', 'must not be called', 500))
    await s.client.request(GET_POST, { id: '1' })
    const bobs = asTokens(issueTokens({ now: T0, lifetimeMs: 3 * HOUR, marker: 'SECRETTOKENS8x', username: 'bob' }))
    s.storage.put(bobs, 'bob')
    s.clock.advance(2 * HOUR)
    expect(await rejectionOf(s.client.request(GET_POST, { id: '2' }))).toBeInstanceOf(NoAuthModeAvailableError)
    expect(cognito.calls).toHaveLength(0)
    expect(JSON.parse(s.storage.get() ?? '{}')).toMatchObject(bobs)
    // A session loaded now is bob's.
    expect(await fromCognitoUserPool({ clientId: CLIENT_ID, storage: s.storage }).currentTokens()).toEqual(bobs)
  })

  // Issue 13, finding 4: without a shared lock (no Web Locks, or processes sharing one storage).
  describe('without a shared lock: only what is still ours is written or cleared', () => {
    const noLock = <T>(_name: string, task: () => Promise<T>): Promise<T> => task()

    /** Two tabs over one storage, each refreshing on its own: tab A signed in, tab B loaded the session. */
    async function twoTabs(clock: ManualClock, initial: IssuedTokens) {
      const storage = inspectableStorage()
      const tabA = fromCognitoUserPool({ clientId: CLIENT_ID, tokens: asTokens(initial), storage, clock, lock: noLock })
      await tabA.currentTokens()
      const tabB = fromCognitoUserPool({ clientId: CLIENT_ID, storage, clock, lock: noLock })
      expect(await tabB.currentTokens()).toEqual(asTokens(initial))
      return { storage, tabA, tabB }
    }

    it("with rotation, the tab that loses the refresh race adopts the winner's tokens instead of clearing them", async () => {
      const clock = manualClock(T0)
      const initial = tokensNumber(1, clock)
      const { storage, tabA, tabB } = await twoTabs(clock, initial)
      // Rotation: a refresh token works once; its reuse is refused, and that answer comes last.
      const used = new Set<string>()
      let issued = 1
      const cognito = mockCognito(async (call) => {
        const token = String(call.refreshToken)
        if (used.has(token)) {
          await delay(30)
          return cognitoError('RefreshTokenReuseException', 'Refresh token has already been used')
        }
        used.add(token)
        await delay(5)
        return refreshAnswer(tokensNumber(++issued, clock), true)
      })
      clock.advance(2 * HOUR)
      const [a, b] = await Promise.allSettled([tabA(), tabB()])
      const second = tokensNumber(2, clock)
      expect(cognito.refreshes()).toHaveLength(2)
      expect([a, b]).toEqual([
        { status: 'fulfilled', value: expect.objectContaining({ token: second.IdToken }) },
        { status: 'fulfilled', value: expect.objectContaining({ token: second.IdToken }) },
      ])
      expect(JSON.parse(storage.get() ?? '{}')).toMatchObject({ refreshToken: second.RefreshToken })
      expect(await tabA.currentTokens()).toEqual(asTokens(second))
      expect(await tabB.currentTokens()).toEqual(asTokens(second))
      // And the next refresh goes on from the winner's refresh token, once.
      clock.advance(2 * HOUR)
      expect((await tabB()).token).toBe(tokensNumber(3, clock).IdToken)
      expect((await tabA()).token).toBe(tokensNumber(3, clock).IdToken)
      expect(cognito.refreshes().map((c) => c.refreshToken)).toEqual([
        initial.RefreshToken,
        initial.RefreshToken,
        second.RefreshToken,
      ])
    })

    it('a refresh that finishes after a sign-out in another tab does not write the tokens back', async () => {
      const clock = manualClock(T0)
      const initial = tokensNumber(1, clock)
      const { storage, tabA, tabB } = await twoTabs(clock, initial)
      const rotated = tokensNumber(2, clock)
      const cognito = mockCognito(async (call) => {
        if (call.operation === 'RevokeToken') return cognitoJson({})
        await delay(30)
        return refreshAnswer(rotated, true)
      })
      clock.advance(2 * HOUR)
      const pending = rejectionOf(tabA())
      await delay(5)
      await signOut(tabB)
      expect(storage.get()).toBeUndefined()
      expect(await pending).toBeInstanceOf(NoIdentityError)
      expect(cognito.refreshes()).toHaveLength(1)
      // Signed out in both tabs, and storage stays empty.
      expect(storage.get()).toBeUndefined()
      expect(await tabA.currentTokens()).toBeUndefined()
      expect(await rejectionOf(tabA())).toBeInstanceOf(NoIdentityError)
      expect(await fromCognitoUserPool({ clientId: CLIENT_ID, storage, clock }).currentTokens()).toBeUndefined()
    })

    it('two refreshes that both succeed (no rotation): the later one adopts the stored tokens instead of overwriting them', async () => {
      const clock = manualClock(T0)
      const initial = tokensNumber(1, clock)
      const { storage, tabA, tabB } = await twoTabs(clock, initial)
      let issued = 1
      mockCognito(async (_call, index) => {
        const tokens = tokensNumber(++issued, clock)
        await delay(index === 0 ? 5 : 30)
        return refreshAnswer(tokens)
      })
      clock.advance(2 * HOUR)
      const [a, b] = await Promise.all([tabA(), tabB()])
      expect(a.token).toBe(b.token)
      const stored = JSON.parse(storage.get() ?? '{}') as CognitoTokens
      expect(stored.idToken).toBe(a.token)
      expect(await tabA.currentTokens()).toEqual(await tabB.currentTokens())
    })
  })

  it('a storage that throws does not break the session; it lives in memory', async () => {
    const appsync = mockAppSync()
    const clock = manualClock(T0)
    const initial = tokensNumber(1, clock)
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError: storage is disabled')
      },
      setItem: () => {
        throw new Error('QuotaExceededError')
      },
      removeItem: () => {
        throw new Error('SecurityError: storage is disabled')
      },
    }
    const session = fromCognitoUserPool({ clientId: CLIENT_ID, tokens: asTokens(initial), storage: broken, clock })
    const client = createClient({ endpoint: ENDPOINT, authMode: 'userPool', userPool: session, clock, logger: null })
    mockCognito(() => refreshAnswer(tokensNumber(2, clock)))
    await client.request(GET_POST, { id: '1' })
    clock.advance(2 * HOUR)
    await client.request(GET_POST, { id: '2' })
    expect(appsync.requests.map((r) => r.headers['authorization'])).toEqual([
      initial.IdToken,
      tokensNumber(2, clock).IdToken,
    ])
  })
})

describe('signOut', () => {
  it('revokes the refresh token, clears storage, and the client stops sending the token at once', async () => {
    const appsync = mockAppSync()
    const s = setup({ client: { authMode: ['userPool', 'apiKey'], apiKey: 'da2-fallbackkeyfallbackkey0001' } })
    const cognito = mockCognito(() => cognitoJson({}))
    await s.client.request(GET_POST, { id: '1' })
    await signOut(s.session)
    expect(cognito.calls).toEqual([
      expect.objectContaining({
        operation: 'RevokeToken',
        body: { Token: s.initial.RefreshToken, ClientId: CLIENT_ID },
      }),
    ])
    expect(s.storage.get()).toBeUndefined()
    expect(await s.session.currentTokens()).toBeUndefined()
    await s.client.request(GET_POST, { id: '2' })
    expect(appsync.requests.map((r) => r.mode)).toEqual(['token', 'apiKey'])
  })

  it('sends ClientSecret to RevokeToken for a client with a secret; { revoke: false } only clears', async () => {
    mockAppSync()
    const a = setup({ session: { clientSecret: CLIENT_SECRET } })
    const cognito = mockCognito(() => cognitoJson({}))
    await signOut(a.session)
    expect(cognito.calls[0]?.body).toEqual({
      Token: a.initial.RefreshToken,
      ClientId: CLIENT_ID,
      ClientSecret: CLIENT_SECRET,
    })

    const b = setup()
    await b.session.currentTokens()
    await signOut(b.session, { revoke: false })
    expect(cognito.calls).toHaveLength(1)
    expect(b.storage.get()).toBeUndefined()
  })

  it('anything but a fromCognitoUserPool session is a ConfigurationError, not a crash', async () => {
    for (const notASession of [null, {}, () => Promise.resolve({ token: 'x' })]) {
      const error = await rejectionOf(signOut(notASession as never))
      expect(error).toBeInstanceOf(ConfigurationError)
      expect((error as Error).message).toMatch(/fromCognitoUserPool/)
    }
  })

  it('a failed revocation still signs out here, and says so with a typed error', async () => {
    mockAppSync()
    const s = setup()
    mockCognito(() => HttpResponse.error())
    const error = await rejectionOf(signOut(s.session))
    expect(error).toBeInstanceOf(TokenRefreshError)
    expect((error as Error).message).toMatch(/signed out here/)
    expect(s.storage.get()).toBeUndefined()
    expect(await rejectionOf(s.session())).toBeInstanceOf(NoIdentityError)
    expectNoSecrets(error)
  })

  it('a refresh in flight during sign-out does not bring the tokens back, and its new refresh token is revoked too', async () => {
    mockAppSync()
    const s = setup()
    const rotated = tokensNumber(2, s.clock)
    const cognito = mockCognito(async (call) => {
      if (call.operation === 'RevokeToken') return cognitoJson({})
      await delay(30)
      return refreshAnswer(rotated, true)
    })
    s.clock.advance(2 * HOUR)
    const pending = rejectionOf(s.client.request(GET_POST, { id: '1' }))
    await delay(5)
    await signOut(s.session)
    expect(await pending).toBeInstanceOf(NoAuthModeAvailableError)
    expect(await s.session.currentTokens()).toBeUndefined()
    expect(s.storage.get()).toBeUndefined()
    const revoked = cognito.calls.filter((c) => c.operation === 'RevokeToken').map((c) => c.body['Token'])
    expect(revoked).toContain(rotated.RefreshToken)
  })
})

describe('signInWithPassword', () => {
  it('signs in with USER_PASSWORD_AUTH and returns the tokens as Cognito sent them', async () => {
    const issued = issueTokens({ now: T0, lifetimeMs: HOUR, marker: 'SECRETTOKENS8x' })
    const cognito = mockCognito(() =>
      cognitoJson({ AuthenticationResult: { ...issued, ExpiresIn: 3600 }, ChallengeParameters: {} }),
    )
    const tokens = await signInWithPassword({
      clientId: CLIENT_ID,
      username: 'alice',
      password: PASSWORD,
      region: 'us-east-1',
    })
    expect(tokens).toEqual(asTokens(issued))
    expect(cognito.calls[0]).toMatchObject({
      operation: 'InitiateAuth',
      body: { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'alice', PASSWORD } },
    })
  })

  it('a challenge (NEW_PASSWORD_REQUIRED) is a SignInError naming it', async () => {
    mockCognito(() =>
      cognitoJson({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'SECRETTOKENSsession', ChallengeParameters: {} }),
    )
    const error = await rejectionOf(
      signInWithPassword({ clientId: CLIENT_ID, username: 'alice', password: PASSWORD, endpoint: COGNITO_ENDPOINT }),
    )
    expect(error).toBeInstanceOf(SignInError)
    expect(error).toMatchObject({ code: 'ERR_SIGN_IN', challengeName: 'NEW_PASSWORD_REQUIRED' })
    expect((error as Error).message).toContain('NEW_PASSWORD_REQUIRED')
    expectNoSecrets(error)
  })

  it('a wrong password is a SignInError with the type Cognito gave; garbage is a retryable one', async () => {
    mockCognito((_call, index) =>
      index === 0
        ? cognitoError('NotAuthorizedException', 'Incorrect username or password.')
        : new HttpResponse('<html>', { status: 200 }),
    )
    const options = { clientId: CLIENT_ID, username: 'alice', password: PASSWORD, region: 'us-east-1' }
    const wrong = await rejectionOf(signInWithPassword(options))
    expect(wrong).toMatchObject({ code: 'ERR_SIGN_IN', errorType: 'NotAuthorizedException', retryable: false })
    const garbage = await rejectionOf(signInWithPassword(options))
    expect(garbage).toMatchObject({ code: 'ERR_SIGN_IN', retryable: true })
    expectNoSecrets(wrong, garbage)
  })

  it('rejects bad options with ConfigurationError, never echoing the password', async () => {
    const base = { clientId: CLIENT_ID, username: 'alice', password: PASSWORD }
    for (const options of [
      { ...base, clientId: '' },
      { ...base, password: '' },
      base, // no region, no endpoint
      { ...base, region: 'nowhere' },
      { ...base, endpoint: 'not a url' },
    ]) {
      const error = await rejectionOf(signInWithPassword(options))
      expect(error).toBeInstanceOf(ConfigurationError)
      expectNoSecrets(error)
    }
  })
})

describe('fromCognitoUserPool: configuration', () => {
  it.each([
    ['no clientId', { clientId: '' }],
    ['a bad use', { clientId: CLIENT_ID, use: 'refreshToken' }],
    ['tokens without the token in use', { clientId: CLIENT_ID, tokens: { idToken: '', accessToken: 'x' } }],
    ['a storage without methods', { clientId: CLIENT_ID, storage: {} }],
    ['a bad region', { clientId: CLIENT_ID, region: 'Mars' }],
    ['a negative refreshAheadMs', { clientId: CLIENT_ID, refreshAheadMs: -1 }],
  ])('%s is a ConfigurationError', (_label, options) => {
    expect(() => fromCognitoUserPool(options as unknown as CognitoUserPoolOptions)).toThrow(ConfigurationError)
  })

  it('reads the region from the token issuer, else from `region`, else asks for one', async () => {
    mockAppSync()
    const clock = manualClock(T0)
    const s = setup({ clock })
    const cognito = mockCognito(() => refreshAnswer(tokensNumber(2, clock)))
    clock.advance(2 * HOUR)
    await s.client.request(GET_POST, { id: '1' }) // issuer: cognito-idp.us-east-1 → the mock's URL
    expect(cognito.refreshes()).toHaveLength(1)

    const local = 'http://127.0.0.1:9229/'
    const other = mockCognito(() => refreshAnswer(tokensNumber(3, clock)), local)
    const viaEndpoint = fromCognitoUserPool({
      clientId: CLIENT_ID,
      tokens: asTokens(tokensNumber(1, manualClock(T0))),
      endpoint: local,
      clock,
    })
    await viaEndpoint()
    expect(other.refreshes()).toHaveLength(1)

    const opaque = { idToken: 'not-a-jwt', accessToken: 'not-a-jwt', refreshToken: 'SECRETTOKENSopaque' }
    const lost = fromCognitoUserPool({ clientId: CLIENT_ID, tokens: opaque, clock })
    const error = await rejectionOf(lost({ forceRefresh: true }))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(/region/)
  })

  it('calls the China endpoint (amazonaws.com.cn) for a cn- region', async () => {
    const clock = manualClock(T0)
    const cn = mockCognito(
      () => refreshAnswer(tokensNumber(2, clock)),
      'https://cognito-idp.cn-north-1.amazonaws.com.cn/',
    )
    const session = fromCognitoUserPool({
      clientId: CLIENT_ID,
      region: 'cn-north-1',
      tokens: asTokens(tokensNumber(1, clock)),
      clock,
    })
    await session({ forceRefresh: true })
    expect(cn.refreshes()).toHaveLength(1)
  })

  it('a session given only the ID token (and refresh token) is stored and found again after a reload', async () => {
    const clock = manualClock(T0)
    const initial = tokensNumber(1, clock)
    const storage = memoryStorage()
    const tokens = { idToken: initial.IdToken, refreshToken: initial.RefreshToken } as unknown as CognitoTokens
    await fromCognitoUserPool({ clientId: CLIENT_ID, tokens, storage, clock }).currentTokens()
    const reloaded = fromCognitoUserPool({ clientId: CLIENT_ID, storage, clock })
    expect(await reloaded.currentTokens()).toEqual(tokens)
    expect((await reloaded()).token).toBe(initial.IdToken)
  })
})

describe('no secrets anywhere', () => {
  it('no token, refresh token, client secret or SECRET_HASH in any error, event or log line', async () => {
    mockAppSync()
    const s = setup({ session: { clientSecret: CLIENT_SECRET } })
    const hash = createHmac('sha256', CLIENT_SECRET)
      .update('alice' + CLIENT_ID)
      .digest('base64')
    // Cognito messages that quote what they were sent must be masked too.
    mockCognito((call, index) =>
      index === 0
        ? cognitoError('InternalErrorException', `failed for ${String(call.refreshToken)} ${hash}`, 500)
        : cognitoError('NotAuthorizedException', `Invalid Refresh Token: ${String(call.refreshToken)}`),
    )
    s.clock.advance(2 * HOUR)
    const first = await rejectionOf(s.client.request(GET_POST, { id: '1' }))
    s.clock.advance(1000) // past the backoff after a failed refresh
    const second = await rejectionOf(s.client.request(GET_POST, { id: '2' }))
    expect(first).toMatchObject({ retryable: true })
    expect(second).toMatchObject({ sessionEnded: true })
    expectNoSecrets(first, second, s.events, s.logger.calls)
    expect(allText([first, second]).join('\n')).not.toContain(hash)
    expect(named(s.events, 'sessionExpired')).toHaveLength(1)
  })
})

describe('sessionExpired from any token provider', () => {
  it('is emitted once when a provider throws TokenRefreshError with sessionEnded, never for other failures', async () => {
    mockAppSync()
    let ended = false
    const provider = async (): Promise<{ token: string }> => {
      await delay(5)
      if (ended) throw new TokenRefreshError('session over', { sessionEnded: true, errorType: 'CustomRevoked' })
      throw new TokenRefreshError('flaky', { retryable: true })
    }
    const clock = manualClock(T0)
    const client = createClient({
      endpoint: ENDPOINT,
      authMode: 'oidc',
      oidc: provider,
      clock,
      logger: null,
      retry: false,
    })
    const events = recordEvents(client)
    await Promise.allSettled([client.request(GET_POST, { id: '1' }), client.request(GET_POST, { id: '2' })])
    expect(named(events, 'sessionExpired')).toHaveLength(0)
    clock.advance(1000) // past the backoff after the failed fetch
    ended = true
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => client.request(GET_POST, { id: String(i) })),
    )
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    expect(named(events, 'sessionExpired').map((e) => e.payload)).toEqual([{ mode: 'oidc', reason: 'CustomRevoked' }])
  })
})
