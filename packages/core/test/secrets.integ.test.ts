import { delay, HttpResponse } from 'msw'
import { describe, expect, it } from 'vitest'
import {
  ConfigurationError,
  createAuthFetch,
  createClient,
  GraphQLResponseError,
  NetworkError,
  ResponseParseError,
  fromCognitoIdentityPool,
  iamMode,
  isAuthmodeError,
  NoIdentityError,
  type Client,
  type ClientOptions,
  type ResolveIdentityOptions,
} from '../src/index'
import {
  appSyncJson,
  appSyncSignatureExpired,
  appSyncUnauthorized,
  authorizeLikeAppSync,
  CREATE_POST,
  ENDPOINT,
  fixtures,
  GET_POST,
  GET_POST_WITH_NOTES,
  mockAppSync,
  type CapturedRequest,
} from './msw/appsync'
import { manualClock, MINUTE } from './msw/clock'
import { allText, recordEvents, recordingLogger, type LogCall, type RecordedEvent } from './msw/observe'
import { server, useMswServer } from './msw/server'
import { verifySigV4 } from './msw/sigv4'

useMswServer()

const T0 = Date.parse('2026-11-26T04:00:00Z')

// Distinctive values: each holds a marker no message, URL or fixture contains by chance.
const SECRETS = {
  apiKey: 'da2-SECRETAPIKEYq7w2e9r4t6y8u1i3o5',
  userPoolToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJTRUNSRVRVU0VSUE9PTCJ9.SECRETUSERPOOLTOKENsig0Zx81Qw',
  refreshedToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJSRUZSRVNIRUQifQ.SECRETREFRESHEDTOKENsig7Hk2Lp',
  oidcToken: 'SECRETOIDCTOKENm3n4b5v6c7x8z9a0s1d2',
  lambdaToken: 'SECRETLAMBDATOKENq1a2z3w4s5x6e7d8c9',
  secretAccessKey: 'SECRETACCESSKEYwJalrXUtnFEMIK7MDENGbPxRfiCY',
  rotatedSecretAccessKey: 'SECRETROTATEDACCESSKEYje7MtGbClwBF2Zp9Utk',
  sessionToken: 'SECRETSESSIONTOKENIQoJb3JpZ2luX2VjEJrEXAMPLEsessiontokenvalue0123456789',
  rotatedSessionToken: 'SECRETROTATEDSESSIONTOKENFwoGZXIvYXdzEXAMPLE9876543210',
} as const
const MARKERS = [
  'SECRETAPIKEY',
  'SECRETUSERPOOLTOKEN',
  'SECRETREFRESHEDTOKEN',
  'SECRETOIDCTOKEN',
  'SECRETLAMBDATOKEN',
  'SECRETACCESSKEY',
  'SECRETROTATED',
  'SECRETSESSIONTOKEN',
]

const CREDENTIALS = {
  accessKeyId: 'ASIASECRETSTEST00001',
  secretAccessKey: SECRETS.secretAccessKey,
  sessionToken: SECRETS.sessionToken,
}
const ROTATED = {
  accessKeyId: 'ASIASECRETSTEST00002',
  secretAccessKey: SECRETS.rotatedSecretAccessKey,
  sessionToken: SECRETS.rotatedSessionToken,
}

interface Observed {
  readonly errors: { label: string; error: unknown }[]
}

describe('no secret in any error, event or log', () => {
  it('across many failure paths', async () => {
    const observed: Observed = { errors: [] }
    const logger = recordingLogger()
    const clock = manualClock(T0)
    const base = { endpoint: ENDPOINT, clock, logger, retry: { baseDelayMs: 1, maxDelayMs: 2 } } as const

    const clients: Client[] = []
    const eventLists: RecordedEvent[][] = []
    const mocks: CapturedRequest[][] = []
    const client = (options: Omit<ClientOptions, 'endpoint'>): Client => {
      const c = createClient({ ...base, ...options })
      clients.push(c)
      const events = recordEvents(c)
      eventLists.push(events)
      return c
    }
    const expectFailure = async (label: string, run: () => Promise<unknown>): Promise<void> => {
      try {
        await run()
      } catch (error) {
        observed.errors.push({ label, error })
        return
      }
      throw new Error(`${label}: expected a failure`)
    }
    const record = (respond: Parameters<typeof mockAppSync>[0]): void => {
      server.resetHandlers()
      const mock = mockAppSync(respond)
      mocks.push(mock.requests)
    }
    const echo = (request: CapturedRequest): string =>
      `rejected request with ${Object.entries(request.headers)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`

    // 1. apiKey: a permanent 401 whose message echoes the key it was sent.
    record((request) => appSyncUnauthorized(`Invalid API key: ${request.headers['x-api-key'] ?? ''}`))
    await expectFailure('apiKey 401', () => client({ apiKey: SECRETS.apiKey }).request(GET_POST, { id: '1' }))

    // 2. userPool: 401, forced refresh, 401 again; both messages echo the request's headers.
    record((request) => appSyncUnauthorized(echo(request)))
    let tokenCalls = 0
    await expectFailure('userPool 401 after refresh', () =>
      client({
        userPool: () => {
          tokenCalls += 1
          return Promise.resolve({ token: tokenCalls === 1 ? SECRETS.userPoolToken : SECRETS.refreshedToken })
        },
      }).request(GET_POST, { id: '1' }),
    )

    // 3. oidc and lambda: 401 echoing the token.
    record((request) => appSyncUnauthorized(`Token ${request.headers['authorization'] ?? ''} is not valid`))
    await expectFailure('oidc 401', () => client({ oidc: SECRETS.oidcToken }).request(GET_POST, { id: '1' }))
    await expectFailure('lambda 401', () => client({ lambda: SECRETS.lambdaToken }).request(GET_POST, { id: '1' }))

    // 4. iam: 403 signature mismatch quoting the canonical request (with the session token), like AppSync.
    record(
      authorizeLikeAppSync({
        credentials: [{ ...CREDENTIALS, secretAccessKey: 'the-server-knows-another-secret' }],
        now: () => T0,
      }),
    )
    await expectFailure('iam 403 signature mismatch', () =>
      client({ credentials: CREDENTIALS, modes: [iamMode()] }).request(GET_POST, { id: '1' }),
    )

    // 5. iam: 401 UnauthorizedException quoting the canonical request, and the string to sign with the signature.
    record((request) => {
      const check = verifySigV4(request, CREDENTIALS)
      return appSyncUnauthorized(
        `Signature ${check.signature} rejected.\n\nThe Canonical String for this request should have been\n'${check.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${check.stringToSign}'\n`,
      )
    })
    await expectFailure('iam 401 canonical request', () =>
      client({ credentials: CREDENTIALS, modes: [iamMode()] }).request(GET_POST, { id: '1' }),
    )

    // 6. iam: a clock the server keeps rejecting.
    record(() => appSyncSignatureExpired(clock.now(), T0 + 20 * MINUTE))
    await expectFailure('iam clock skew', () =>
      client({ credentials: CREDENTIALS, modes: [iamMode()] }).request(GET_POST, { id: '1' }),
    )

    // 7. A 500 and a GraphQL error whose messages echo every header sent (authorization with its signature).
    record((request) =>
      appSyncJson({ errors: [{ errorType: 'InternalFailure', message: echo(request) }] }, { status: 500 }),
    )
    await expectFailure('iam 500 echo', () =>
      client({ credentials: CREDENTIALS, modes: [iamMode()] }).request(GET_POST, { id: '1' }),
    )
    await expectFailure('apiKey 500 echo', () => client({ apiKey: SECRETS.apiKey }).request(GET_POST, { id: '1' }))
    record((request) => appSyncJson({ data: null, errors: [{ errorType: 'MappingTemplate', message: echo(request) }] }))
    await expectFailure('iam GraphQL error echo', () =>
      client({ credentials: CREDENTIALS, modes: [iamMode()] }).request(GET_POST, { id: '1' }),
    )
    await expectFailure('userPool GraphQL error echo', () =>
      client({ userPool: SECRETS.userPoolToken }).request(GET_POST, { id: '1' }),
    )

    // 8. Field-level denial with partial data.
    record(() => appSyncJson(fixtures.fieldDeniedPartial))
    await expectFailure('field denial', () =>
      client({ authMode: ['apiKey', 'userPool'], apiKey: SECRETS.apiKey, userPool: SECRETS.userPoolToken }).request(
        GET_POST_WITH_NOTES,
        { id: '1' },
      ),
    )

    // 9. Network errors, for a retried query and an unretried mutation.
    record(() => HttpResponse.error())
    await expectFailure('network query', () =>
      client({ credentials: CREDENTIALS, modes: [iamMode()] }).request(GET_POST, { id: '1' }),
    )
    await expectFailure('network mutation', () =>
      client({ apiKey: SECRETS.apiKey }).request(CREATE_POST, { title: 'x' }),
    )

    // 10. Parse errors.
    record(
      () => new HttpResponse('<html><body>Gateway says hi</body></html>', { headers: { 'content-type': 'text/html' } }),
    )
    await expectFailure('HTML 200', () => client({ apiKey: SECRETS.apiKey }).request(GET_POST, { id: '1' }))
    record(() => new HttpResponse('{"data":{"getPost":{"id":"1"', { headers: { 'content-type': 'application/json' } }))
    await expectFailure('truncated JSON', () =>
      client({ credentials: CREDENTIALS, modes: [iamMode()] }).request(GET_POST, { id: '1' }),
    )
    record(
      () =>
        new HttpResponse('<html><h1>502 Bad Gateway</h1></html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
    )
    await expectFailure('HTML 502', () =>
      client({ userPool: SECRETS.userPoolToken, retry: false }).request(GET_POST, { id: '1' }),
    )

    // 11. No usable mode.
    record(() => appSyncJson(fixtures.getPost))
    await expectFailure('no auth mode', () =>
      client({
        authMode: ['userPool', 'oidc'],
        userPool: () => Promise.reject(new NoIdentityError()),
        apiKey: SECRETS.apiKey,
      }).request(GET_POST, { id: '1' }),
    )

    // 12. Providers that throw: a token provider, a forced refresh after a 401, an api key provider,
    //     an AWS SDK credentials provider, and an early credentials refresh that fails after expiry.
    await expectFailure('token provider throws', () =>
      client({
        lambda: () =>
          Promise.reject(
            Object.assign(new Error('Refresh Token has been revoked'), { name: 'NotAuthorizedException' }),
          ),
      }).request(GET_POST, { id: '1' }),
    )
    record(() => appSyncUnauthorized())
    await expectFailure('forced refresh throws', () =>
      client({
        userPool: (options?: ResolveIdentityOptions) =>
          options?.forceRefresh
            ? Promise.reject(new TypeError('fetch failed'))
            : Promise.resolve({ token: SECRETS.userPoolToken }),
      }).request(GET_POST, { id: '1' }),
    )
    await expectFailure('api key provider throws', () =>
      client({ apiKey: () => Promise.reject(new Error('ParameterNotFound')) }).request(GET_POST, { id: '1' }),
    )
    await expectFailure('credentials provider throws', () =>
      client({
        credentials: () =>
          Promise.reject(
            Object.assign(new Error('Could not load credentials from any providers'), {
              name: 'CredentialsProviderError',
              tryNextLink: false,
            }),
          ),
        modes: [iamMode()],
      }).request(GET_POST, { id: '1' }),
    )
    record(() => appSyncJson(fixtures.getPost))
    let credentialCalls = 0
    const expiring = client({
      credentials: () => {
        credentialCalls += 1
        return credentialCalls === 1
          ? Promise.resolve({ ...ROTATED, expiration: new Date(T0 + 10 * MINUTE) })
          : Promise.reject(new Error('ECONNRESET'))
      },
      modes: [iamMode()],
    })
    await expiring.request(GET_POST, { id: '1' })
    clock.set(T0 + 11 * MINUTE)
    await expectFailure('expired credentials, refresh fails', () => expiring.request(GET_POST, { id: '1' }))
    clock.set(T0)

    // 13. Timeout and abort.
    record(async () => {
      await delay('infinite')
      return appSyncJson(fixtures.getPost)
    })
    await expectFailure('timeout', () =>
      client({ credentials: CREDENTIALS, modes: [iamMode()] }).request(GET_POST, { id: '1' }, { timeoutMs: 20 }),
    )
    await expectFailure('abort', () =>
      client({ apiKey: SECRETS.apiKey }).request(GET_POST, { id: '1' }, { signal: AbortSignal.timeout(20) }),
    )

    // 14. createAuthFetch: a permanent 401 is the server's own Response (fetch semantics; its retry
    // is logged), and a credentials provider that fails quoting its secret is a typed error.
    record((request) => appSyncUnauthorized(echo(request)))
    const fetchInit = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: GET_POST, variables: { id: '1' } }),
    }
    const rejected = await createAuthFetch({ ...base, credentials: CREDENTIALS, modes: [iamMode()] })(
      ENDPOINT,
      fetchInit,
    )
    expect(rejected.status).toBe(401)
    await expectFailure('authFetch credentials provider fails', () =>
      createAuthFetch({
        ...base,
        credentials: () => Promise.reject(new Error(`no credentials: ${SECRETS.secretAccessKey}`)),
        modes: [iamMode()],
      })(ENDPOINT, fetchInit),
    )

    // 15. Configuration mistakes that involve a secret.
    await expectFailure('credential header in headers', () =>
      Promise.resolve().then(() =>
        createClient({ ...base, apiKey: SECRETS.apiKey, headers: { 'x-api-key': SECRETS.apiKey } }),
      ),
    )
    await expectFailure('authorization header in headers', () =>
      Promise.resolve().then(() =>
        createClient({ ...base, userPool: SECRETS.userPoolToken, headers: { Authorization: SECRETS.userPoolToken } }),
      ),
    )

    // ------------------------------------------------------------------------------------------
    const requests = mocks.flat()
    const signatures = [...new Set(requests.map((r) => r.signature).filter((s): s is string => s !== undefined))]
    const events = eventLists.flat()
    const logs: LogCall[] = logger.calls

    // The test is not vacuous: every secret really went over the wire, and the detector finds it there.
    const wire = allText(requests).join('\n')
    for (const secret of [
      SECRETS.apiKey,
      SECRETS.userPoolToken,
      SECRETS.refreshedToken,
      SECRETS.oidcToken,
      SECRETS.lambdaToken,
      SECRETS.sessionToken,
      SECRETS.rotatedSessionToken,
    ]) {
      expect(wire).toContain(secret)
    }
    expect(signatures.length).toBeGreaterThanOrEqual(3)
    expect(observed.errors.length).toBeGreaterThanOrEqual(28)
    expect(
      new Set(observed.errors.map((e) => (isAuthmodeError(e.error) ? e.error.code : (e.error as Error).name))),
    ).toEqual(
      new Set([
        'ERR_UNAUTHORIZED',
        'ERR_HTTP',
        'ERR_GRAPHQL',
        'ERR_NETWORK',
        'ERR_RESPONSE_PARSE',
        'ERR_NO_AUTH_MODE',
        'ERR_TOKEN_REFRESH',
        'ERR_CREDENTIALS',
        'ERR_TIMEOUT',
        'TimeoutError', // AbortSignal.timeout's own DOMException, passed through as the reason
        'ERR_CONFIGURATION',
      ]),
    )
    expect(events.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        'unauthorizedRetry',
        'retry',
        'authModeSkipped',
        'tokenRefreshed',
        'credentialsRefreshed',
        'clockSkewCorrected',
      ]),
    )
    expect(logs.length).toBeGreaterThan(0)
    // AppSync's canonical-request messages reached the client (so redaction had something to do).
    expect(wire).toContain('x-amz-security-token')

    const needles: [string, string][] = [
      ...Object.entries(SECRETS),
      ...MARKERS.map((m): [string, string] => [`marker ${m}`, m]),
      ...signatures.map((s, i): [string, string] => [`signature #${String(i)}`, s]),
    ]
    const haystacks: [string, unknown][] = [
      ...observed.errors.map(({ label, error }): [string, unknown] => [`error: ${label}`, error]),
      ...events.map((e): [string, unknown] => [`event: ${e.name}`, e.payload]),
      ...logs.map((l): [string, unknown] => [`log: ${l.level}`, l.args]),
    ]
    const leaks: string[] = []
    for (const [where, value] of haystacks) {
      const text = allText(value).join('\n')
      for (const [name, needle] of needles) if (text.includes(needle)) leaks.push(`${name} in ${where}`)
    }
    expect(leaks).toEqual([])

    // Redaction keeps what helps: the server's own words around the secret survive.
    const apiKey401 = observed.errors.find((e) => e.label === 'apiKey 401')?.error as Error
    expect(apiKey401.message).toContain('Invalid API key: [redacted]')
    const mismatch = observed.errors.find((e) => e.label === 'iam 403 signature mismatch')?.error as Error
    expect(mismatch.message).toContain('The request signature we calculated does not match the signature you provided')
    expect(clients.length).toBeGreaterThan(20)
  })

  it('the detector itself finds a secret hidden in a cause chain, a hidden or symbol property, or a nested payload', () => {
    const secret = SECRETS.sessionToken
    const inCause = new Error('outer', { cause: new Error('middle', { cause: { detail: [`x ${secret} y`] } }) })
    const hidden = new Error('hidden')
    Object.defineProperty(hidden, 'request', {
      value: { headers: new Headers({ 'x-amz-security-token': secret }) },
      enumerable: false,
    })
    const symbol = Object.assign(new Error('symbol'), { [Symbol('raw')]: new Map([['token', secret]]) })
    for (const value of [inCause, hidden, symbol, [{ deep: { deeper: { deepest: secret } } }]]) {
      expect(allText(value).some((text) => text.includes(secret))).toBe(true)
    }
    expect(allText(new Error('clean', { cause: new Error('also clean') })).some((text) => text.includes(secret))).toBe(
      false,
    )
  })

  it('a provider that fails with a secret in its message: the error names its type and keeps neither the message nor the error', async () => {
    const secret = SECRETS.userPoolToken
    const leaky = (): Promise<never> => Promise.reject(new Error(`refresh failed for ${secret}`))
    const logger = recordingLogger()
    const base = { endpoint: ENDPOINT, logger, retry: false } as const
    const errors: unknown[] = []
    for (const options of [
      { userPool: leaky },
      { apiKey: leaky },
      { credentials: leaky, modes: [iamMode()] },
      {
        userPool: () => Promise.reject(Object.assign(new Error(`no session: ${secret}`), { tryNext: true })),
        apiKey: 'da2-fallbackkey000000000000000',
        authMode: ['userPool', 'apiKey'] as const,
      },
      {
        credentials: fromCognitoIdentityPool({
          identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
          logins: leaky,
        }),
        modes: [iamMode()],
      },
    ] as const) {
      server.resetHandlers()
      mockAppSync()
      try {
        await createClient({ ...base, ...options }).request(GET_POST, { id: '1' })
      } catch (error) {
        errors.push(error)
      }
    }
    expect(errors).toHaveLength(4) // the mode list falls back to the API key
    for (const error of errors) {
      expect((error as Error).message).toMatch(/\(Error\)/)
      expect('cause' in (error as Error)).toBe(false)
    }
    expect(allText([errors, logger.calls]).filter((text) => text.includes(secret))).toEqual([])
  })

  it('an AWS SDK credential provider error keeps its message and cause: it describes the source, never the secret', async () => {
    const sdkError = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    })
    const error = await createClient({
      endpoint: ENDPOINT,
      logger: null,
      credentials: () => Promise.reject(sdkError),
      modes: [iamMode()],
    })
      .request(GET_POST, { id: '1' })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      )
    expect(error?.message).toBe(
      'iam: the credentials provider failed (CredentialsProviderError: Could not load credentials from any providers)',
    )
    expect(error?.cause).toBe(sdkError)
  })
})

// Issue 13, finding 5: what the audit found still leaking, case by case.
describe('no secret in errors: the audit cases (issue 13)', () => {
  const base = { endpoint: ENDPOINT, logger: null, retry: false } as const
  const leaks = (value: unknown, secrets: readonly string[]): string[] =>
    allText(value).filter((text) => secrets.some((secret) => text.includes(secret)))

  it.each([
    ['apiKey', { apiKey: `${SECRETS.apiKey}\r\nx-injected: 1` }, SECRETS.apiKey],
    ['userPool', { userPool: () => Promise.resolve({ token: `${SECRETS.userPoolToken}\n` }) }, SECRETS.userPoolToken],
    ['oidc', { oidc: `${SECRETS.oidcToken}\u0000` }, SECRETS.oidcToken],
    ['lambda', { lambda: `${SECRETS.lambdaToken}\u0100` }, SECRETS.lambdaToken],
    [
      'credentials',
      { credentials: { ...CREDENTIALS, sessionToken: `${SECRETS.sessionToken}\r\n` }, modes: [iamMode()] },
      SECRETS.sessionToken,
    ],
  ] as const)(
    'a credential header value with CR, LF, NUL or a character above U+00FF (%s) is refused before sending: a ConfigurationError naming the option, never the value',
    async (option, options, secret) => {
      const appsync = mockAppSync()
      const error = await createClient({ ...base, ...options })
        .request(GET_POST, { id: '1' })
        .then(
          () => undefined,
          (e: unknown) => e,
        )
      expect(error).toBeInstanceOf(ConfigurationError)
      expect((error as Error).message).toContain(`\`${option}\``)
      expect(leaks(error, [secret, secret.slice(0, 12)])).toEqual([])
      expect(appsync.requests).toEqual([])
    },
  )

  it('NetworkError keeps no platform message that quotes a header value (Node\'s `Headers.append: "…" is an invalid header value`)', async () => {
    // Whatever the fetch in use says: here a wrapper whose platform quotes the value it refused.
    const quoting: typeof fetch = (_input, init) => {
      const value = new Headers(init?.headers).get('x-api-key') ?? ''
      return Promise.reject(new TypeError(`Headers.append: "${value}" is an invalid header value.`))
    }
    const error = await createClient({ ...base, apiKey: SECRETS.apiKey, fetch: quoting })
      .request(GET_POST, { id: '1' })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as Error).message).toContain('Headers.append: "[redacted]" is an invalid header value.')
    expect('cause' in (error as Error)).toBe(false)
    expect(leaks(error, [SECRETS.apiKey])).toEqual([])
    // A message with nothing to mask keeps its error as the cause.
    const refused = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })
    const plain = await createClient({ ...base, apiKey: SECRETS.apiKey, fetch: () => Promise.reject(refused) })
      .request(GET_POST, { id: '1' })
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      )
    expect(plain?.cause).toBe(refused)
  })

  it("GraphQLResponseError's errorInfo, error data and partial data carry no credential; the partial data keeps everything else", async () => {
    const longText = 'A post body that goes on. '.repeat(20)
    const nextToken = 'eyJ2ZXJzaW9uIjoyLCJ0b2tlbiI6IkFRSUNBSGg5OVB1ZXhhbXBsZW5leHR0b2tlbiJ9'
    const echo = (request: CapturedRequest): Response =>
      appSyncJson({
        data: {
          getPost: { id: '1', title: longText, secretNotes: null, echoed: request.headers['x-api-key'], nextToken },
        },
        errors: [
          {
            errorType: 'Unauthorized',
            message: 'Not Authorized to access secretNotes on type Post',
            path: ['getPost', 'secretNotes'],
            errorInfo: { headers: request.headers, note: `key ${request.headers['x-api-key'] ?? ''}` },
            data: { authorization: request.headers['authorization'], seen: [request.headers['x-api-key']] },
          },
        ],
      })
    mockAppSync(echo)
    const error = await createClient({ ...base, apiKey: SECRETS.apiKey })
      .request(GET_POST_WITH_NOTES, { id: '1' })
      .then(
        () => undefined,
        (e: unknown) => e as GraphQLResponseError<{ getPost: Record<string, unknown> }>,
      )
    expect(error).toBeInstanceOf(GraphQLResponseError)
    expect(leaks(error, [SECRETS.apiKey])).toEqual([])
    expect(error?.errors[0]?.errorInfo).toMatchObject({
      headers: { 'x-api-key': '[redacted]' },
      note: 'key [redacted]',
    })
    expect(error?.errors[0]?.data).toEqual({ seen: ['[redacted]'] })
    // The partial data is the API's answer: only the credential is masked, nothing cut or guessed at.
    expect(error?.data?.getPost).toEqual({
      id: '1',
      title: longText,
      secretNotes: null,
      echoed: '[redacted]',
      nextToken,
    })
  })

  it("ResponseParseError keeps no quote of a non-JSON body's start (the parser's own message quotes it)", async () => {
    mockAppSync(
      (request) =>
        new HttpResponse(`${request.headers['x-api-key'] ?? ''} is not a valid key`, {
          headers: { 'content-type': 'text/plain' },
        }),
    )
    const error = await createClient({ ...base, apiKey: SECRETS.apiKey })
      .request(GET_POST, { id: '1' })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(error).toBeInstanceOf(ResponseParseError)
    // V8 quotes the first 10 characters: `Unexpected token 'd', "da2-SECRET"... is not valid JSON`.
    expect(leaks(error, [SECRETS.apiKey.slice(0, 10)])).toEqual([])
  })
})
