import { describe, it, expect } from 'vitest'
import {
  AuthmodeError,
  ConfigurationError,
  CredentialsError,
  GraphQLResponseError,
  HttpError,
  isAuthmodeError,
  NetworkError,
  NoAuthModeAvailableError,
  NoIdentityError,
  PlatformNotSupportedError,
  ResponseParseError,
  SignInError,
  SubscriptionError,
  TimeoutError,
  TokenRefreshError,
  UnauthorizedError,
  type AuthmodeErrorCode,
} from './index'

const info = { method: 'POST', url: 'https://example.com/graphql', status: 401 }
const cause = new Error('the original failure')

// One instance of every class, made with a cause where the class takes one.
const cases: {
  readonly type: { readonly code: AuthmodeErrorCode; readonly name: string }
  readonly error: AuthmodeError
  readonly code: AuthmodeErrorCode
  readonly cause?: unknown
}[] = [
  {
    type: ConfigurationError,
    code: 'ERR_CONFIGURATION',
    error: new ConfigurationError('bad option', { cause }),
    cause,
  },
  {
    type: CredentialsError,
    code: 'ERR_CREDENTIALS',
    error: new CredentialsError('no creds', { cause, tryNext: true }),
    cause,
  },
  { type: GraphQLResponseError, code: 'ERR_GRAPHQL', error: new GraphQLResponseError([{ message: 'boom' }], null) },
  {
    type: HttpError,
    code: 'ERR_HTTP',
    error: new HttpError({ ...info, status: 500, statusText: 'Internal Server Error' }),
  },
  { type: NetworkError, code: 'ERR_NETWORK', error: new NetworkError('POST', info.url, cause), cause },
  {
    type: NoAuthModeAvailableError,
    code: 'ERR_NO_AUTH_MODE',
    error: new NoAuthModeAvailableError([{ mode: 'userPool', reason: 'nobody signed in' }]),
  },
  { type: NoIdentityError, code: 'ERR_NO_IDENTITY', error: new NoIdentityError(undefined, { cause }), cause },
  {
    type: PlatformNotSupportedError,
    code: 'ERR_PLATFORM',
    error: new PlatformNotSupportedError('node only', { cause }),
    cause,
  },
  {
    type: ResponseParseError,
    code: 'ERR_RESPONSE_PARSE',
    error: new ResponseParseError({ ...info, status: 200, problem: 'invalid or truncated JSON', cause }),
    cause,
  },
  {
    type: SignInError,
    code: 'ERR_SIGN_IN',
    error: new SignInError('sign-in failed', { cause, challengeName: 'NEW_PASSWORD_REQUIRED' }),
    cause,
  },
  {
    type: SubscriptionError,
    code: 'ERR_SUBSCRIPTION',
    error: new SubscriptionError('connection lost', { cause }),
    cause,
  },
  { type: TimeoutError, code: 'ERR_TIMEOUT', error: new TimeoutError('timed out', { cause }), cause },
  {
    type: TokenRefreshError,
    code: 'ERR_TOKEN_REFRESH',
    error: new TokenRefreshError('refresh failed', { cause }),
    cause,
  },
  {
    type: UnauthorizedError,
    code: 'ERR_UNAUTHORIZED',
    error: new UnauthorizedError({ ...info, mode: 'apiKey', serverMessages: ['denied'] }),
  },
]

describe('error classes', () => {
  it('covers every exported error class', () => {
    expect(cases).toHaveLength(14)
    expect(new Set(cases.map((c) => c.type)).size).toBe(cases.length)
  })

  it.each(cases)('$type.name has a stable code, equal on the class and the instance', ({ type, error, code }) => {
    expect(type.code).toBe(code)
    expect(error.code).toBe(code)
  })

  it('gives every class its own code', () => {
    expect(new Set(cases.map((c) => c.code)).size).toBe(cases.length)
  })

  it.each(cases)('$type.name is named after its class', ({ type, error }) => {
    expect(error.name).toBe(type.name)
    expect(String(error)).toMatch(new RegExp(`^${type.name}: `))
  })

  it.each(cases)('$type.name is an Error, an AuthmodeError and passes isAuthmodeError', ({ type, error }) => {
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(AuthmodeError)
    expect(error).toBeInstanceOf(type as unknown as abstract new (...args: never[]) => unknown)
    expect(isAuthmodeError(error)).toBe(true)
    expect(typeof error.stack).toBe('string')
  })

  it.each(cases.filter((c) => c.cause !== undefined))('$type.name keeps its cause', ({ error, cause: expected }) => {
    expect(error.cause).toBe(expected)
  })

  it('has no cause property when none is given', () => {
    const error = new ConfigurationError('bad option')
    expect('cause' in error).toBe(false)
  })

  it('keeps a recovery suggestion', () => {
    expect(new TokenRefreshError('x', { recoverySuggestion: 'Sign in again.' }).recoverySuggestion).toBe(
      'Sign in again.',
    )
    expect(new TimeoutError('x').recoverySuggestion).toBeUndefined()
  })

  it('keeps the details of each class', () => {
    expect(new CredentialsError('x').tryNext).toBe(false)
    expect(new CredentialsError('x', { tryNext: true }).tryNext).toBe(true)
    expect(new NoIdentityError().tryNext).toBe(true)
    expect(new NoIdentityError().message).toMatch(/nobody is signed in/)

    const graphql = new GraphQLResponseError(
      [{ message: 'denied', errorType: 'Unauthorized' }, { message: 'b' }],
      { a: 1 },
      'apiKey',
    )
    expect(graphql.errors).toHaveLength(2)
    expect(graphql.data).toEqual({ a: 1 })
    expect(graphql.message).toBe('GraphQL errors (2) (apiKey): Unauthorized: denied')

    const http = new HttpError({
      ...info,
      status: 503,
      statusText: 'Service Unavailable',
      requestId: 'r-1',
      errorType: 'ServiceUnavailable',
    })
    expect(http).toMatchObject({ status: 503, requestId: 'r-1', errorType: 'ServiceUnavailable' })
    expect(http.message).toBe('POST https://example.com/graphql: 503 Service Unavailable (ServiceUnavailable)')

    const unauthorized = new UnauthorizedError({ ...info, mode: 'userPool', serverMessages: ['Token has expired.'] })
    expect(unauthorized).toMatchObject({ mode: 'userPool', status: 401, serverMessages: ['Token has expired.'] })
    expect(unauthorized.message).toBe(
      'POST https://example.com/graphql: 401 Unauthorized (userPool): Token has expired.',
    )

    const none = new NoAuthModeAvailableError([
      { mode: 'userPool', reason: 'nobody signed in' },
      { mode: 'iam', reason: '`credentials` is not configured' },
    ])
    expect(none.reasons).toHaveLength(2)
    expect(none.message).toBe(
      'No authorization mode is available: userPool: nobody signed in; iam: `credentials` is not configured',
    )

    const parse = new ResponseParseError({
      ...info,
      status: 502,
      contentType: 'text/html',
      problem: 'got an HTML or XML page instead of JSON',
    })
    expect(parse).toMatchObject({ status: 502, contentType: 'text/html' })

    expect(new TokenRefreshError('x')).toMatchObject({ retryable: false, sessionEnded: false, errorType: undefined })
    expect(
      new TokenRefreshError('x', { retryable: true, sessionEnded: false, errorType: 'TooManyRequestsException' }),
    ).toMatchObject({ retryable: true, sessionEnded: false, errorType: 'TooManyRequestsException' })
    expect(new SignInError('x', { errorType: 'NotAuthorizedException' })).toMatchObject({
      errorType: 'NotAuthorizedException',
      challengeName: undefined,
      retryable: false,
    })
  })
})

describe('isAuthmodeError', () => {
  it.each([
    ['a plain Error', new Error('x')],
    ['a TypeError', new TypeError('x')],
    [
      'an Error named like ours',
      Object.assign(new Error('x'), { name: 'ConfigurationError', code: 'ERR_CONFIGURATION' }),
    ],
    ['a plain object with a code', { code: 'ERR_CONFIGURATION', name: 'ConfigurationError', message: 'x' }],
    ['an object with a false brand', { [Symbol.for('@authmode/error')]: false }],
    ['an object with a string brand', { [Symbol.for('@authmode/error')]: 'true' }],
    ['an object branded with a local symbol', { [Symbol('@authmode/error')]: true }],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'ConfigurationError'],
    ['a number', 42],
  ])('is false for %s', (_label, value) => {
    expect(isAuthmodeError(value)).toBe(false)
  })

  it('is true for an error made by another copy of the package (the registry-wide Symbol.for brand)', () => {
    // Another copy of the classes has its own AuthmodeError, so instanceof fails; the brand does not.
    class ForeignError extends Error {
      readonly code = 'ERR_TIMEOUT'
      constructor(message: string) {
        super(message)
        Object.defineProperty(this, Symbol.for('@authmode/error'), { value: true })
      }
    }
    const foreign = new ForeignError('from the CJS copy')
    expect(foreign).not.toBeInstanceOf(AuthmodeError)
    expect(isAuthmodeError(foreign)).toBe(true)
    expect(isAuthmodeError({ [Symbol.for('@authmode/error')]: true })).toBe(true)
  })

  it('brands our errors with the registry-wide symbol, not enumerable', () => {
    const error = new TimeoutError('x')
    const brand = Symbol.for('@authmode/error')
    expect((error as unknown as Record<symbol, unknown>)[brand]).toBe(true)
    expect(Object.getOwnPropertyDescriptor(error, brand)?.enumerable).toBe(false)
    expect(Object.keys(error)).not.toContain(brand.toString())
  })

  it('exposes the typed code of an unknown value it accepts', () => {
    const error: unknown = new HttpError({ ...info, status: 500, statusText: 'x' })
    if (!isAuthmodeError(error)) throw new Error('expected an authmode error')
    const code: AuthmodeErrorCode = error.code
    expect(code).toBe(HttpError.code)
  })
})
