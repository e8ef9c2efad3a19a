// The one authorizer, without a transport: its classification table and the walk over a mode list
// (skips, one refresh, one mend, field-level denials, what it keeps), with stand-in strategies. The
// transports that drive it are tested in test/authorizer-transports.test.ts.
import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../client/config'
import type { ClientEvents } from '../client/events'
import { NoAuthModeAvailableError } from '../errors/NoAuthModeAvailableError'
import { NoIdentityError } from '../errors/NoIdentityError'
import { TokenRefreshError } from '../errors/TokenRefreshError'
import { classifyAnswer, startAuthorization, type Answer, type AuthorizationOptions } from './authorizer'
import type { AuthMode, HttpRequest } from './types'

const ENDPOINT = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
const REQUEST: HttpRequest = { method: 'POST', url: new URL(ENDPOINT), headers: {}, body: '{}' }

const unauthorizedBody = { errors: [{ message: 'no', errorType: 'UnauthorizedException' }] }
const deniedBody = { data: { a: null }, errors: [{ message: 'Not Authorized to access a', errorType: 'Unauthorized' }] }
const validationBody = { errors: [{ message: 'bad', errorType: 'ValidationError' }] }

describe('classifyAnswer: the one table for both transports', () => {
  it.each<[string, Answer, ReturnType<typeof classifyAnswer>]>([
    ['HTTP 401, any body', { status: 401, body: undefined, text: '' }, 'unauthorized'],
    [
      'HTTP 200 with UnauthorizedException and no data',
      { status: 200, body: unauthorizedBody, text: '' },
      'unauthorized',
    ],
    ['HTTP 400 with UnauthorizedException', { status: 400, body: unauthorizedBody, text: '' }, 'unauthorized'],
    ['HTTP 403 with UnauthorizedException', { status: 403, body: unauthorizedBody, text: '' }, 'unauthorized'],
    [
      'a real-time connection_error or start error with UnauthorizedException',
      { body: unauthorizedBody, text: '' },
      'unauthorized',
    ],
    [
      'HTTP 500 with UnauthorizedException (a server fault, not a rejection)',
      { status: 500, body: unauthorizedBody, text: '' },
      undefined,
    ],
    [
      'UnauthorizedException next to data (a partial answer)',
      { status: 200, body: { data: { a: 1 }, errors: unauthorizedBody.errors }, text: '' },
      undefined,
    ],
    ['HTTP 200, field-level Unauthorized', { status: 200, body: deniedBody, text: '' }, 'fieldDenied'],
    ['a real-time error with field-level Unauthorized', { body: deniedBody, text: '' }, 'fieldDenied'],
    ['HTTP 400, a validation error', { status: 400, body: validationBody, text: '' }, undefined],
    ['a real-time validation error', { body: validationBody, text: '' }, undefined],
    ['HTTP 200 with data', { status: 200, body: { data: { a: 1 } }, text: '' }, undefined],
    ['HTTP 502 without a body', { status: 502, body: undefined, text: '' }, undefined],
  ])('%s', (_, answer, expected) => {
    expect(classifyAnswer(answer)).toBe(expected)
  })
})

interface Call {
  readonly mode: AuthMode
  readonly what: 'resolve' | 'refresh' | 'authorize'
  readonly identity?: unknown
}

/**
 * A client config whose strategies are stand-ins: each mode's identity is `<mode>#<n>`, counting
 * resolves and refreshes; `fail` makes a mode's resolve throw. Records calls and events.
 */
function setUp(modes: Partial<Record<AuthMode, { fail?: Error; mend?: boolean; refused?: boolean }>>) {
  const calls: Call[] = []
  const events: { name: keyof ClientEvents; payload: unknown }[] = []
  const config = resolveConfig({ endpoint: ENDPOINT, authMode: 'none', logger: null })
  const strategies = config.strategies as Map<AuthMode, unknown>
  strategies.clear()
  for (const [mode, setup] of Object.entries(modes) as [
    AuthMode,
    { fail?: Error; mend?: boolean; refused?: boolean },
  ][]) {
    let n = 0
    let mended = 0
    strategies.set(mode, {
      mode,
      resolveIdentity: () => {
        calls.push({ mode, what: 'resolve' })
        return setup.fail === undefined ? Promise.resolve(`${mode}#${++n}`) : Promise.reject(setup.fail)
      },
      refreshAfterRejection: (rejected: unknown) => {
        calls.push({ mode, what: 'refresh', identity: rejected })
        return Promise.resolve(`${mode}#${++n}`)
      },
      authorize: (request: HttpRequest, identity: unknown) => {
        calls.push({ mode, what: 'authorize', identity })
        return Promise.resolve({ ...request, headers: { who: String(identity) } })
      },
      ...(setup.mend ? { mend: () => mended++ === 0 } : {}),
      ...(setup.refused ? { refused: (answer: Answer) => answer.text === 'refused' } : {}),
    })
  }
  for (const name of ['authModeSkipped', 'unauthorizedRetry'] as const)
    config.events.on(name, (payload) => events.push({ name, payload }))
  const start = (list: AuthMode[], options?: AuthorizationOptions) => startAuthorization<string>(config, list, options)
  return { calls, events, start }
}

const answer = (body: Answer['body'], status = 200): Answer => ({ status, body, text: '' })
const UNAUTHORIZED = answer(unauthorizedBody, 401)
const DENIED = answer(deniedBody)
const OK = answer({ data: { a: 1 } })

describe('an authorization walking a mode list', () => {
  it('authorizes with the first mode; an answer that stands ends it', async () => {
    const { calls, start } = setUp({ apiKey: {}, userPool: {} })
    const authorization = start(['userPool', 'apiKey'])
    const first = await authorization.authorize(REQUEST)
    expect(first).toMatchObject({ mode: 'userPool', request: { headers: { who: 'userPool#1' } } })
    expect(authorization.judge('answer', OK)).toBe(true)
    expect(calls.map((c) => `${c.mode}:${c.what}`)).toEqual(['userPool:resolve', 'userPool:authorize'])
  })

  it('a rejection: one refresh of that identity and a resend, then the next mode; the last rejection is kept', async () => {
    const { calls, events, start } = setUp({ apiKey: {}, userPool: {} })
    const authorization = start(['userPool', 'apiKey'])
    await authorization.authorize(REQUEST)
    expect(authorization.judge('first', UNAUTHORIZED)).toBe(false)
    expect(await authorization.authorize(REQUEST)).toMatchObject({
      mode: 'userPool',
      request: { headers: { who: 'userPool#2' } },
    })
    expect(authorization.judge('second', UNAUTHORIZED)).toBe(false)
    expect(await authorization.authorize(REQUEST)).toMatchObject({ mode: 'apiKey' })
    expect(authorization.judge('third', UNAUTHORIZED)).toBe(false)
    expect(await authorization.authorize(REQUEST)).toMatchObject({
      mode: 'apiKey',
      request: { headers: { who: 'apiKey#2' } },
    })
    expect(authorization.judge('fourth', UNAUTHORIZED)).toBe(false)
    expect(await authorization.authorize(REQUEST)).toBeUndefined()
    expect(authorization.kept).toBe('fourth')
    expect(calls.filter((c) => c.what === 'refresh')).toEqual([
      { mode: 'userPool', what: 'refresh', identity: 'userPool#1' },
      { mode: 'apiKey', what: 'refresh', identity: 'apiKey#1' },
    ])
    expect(events).toEqual([
      { name: 'unauthorizedRetry', payload: { mode: 'userPool', status: 401 } },
      { name: 'unauthorizedRetry', payload: { mode: 'apiKey', status: 401 } },
    ])
  })

  it('a real-time rejection (no HTTP status) is retried as a 401', async () => {
    const { events, start } = setUp({ userPool: {} })
    const authorization = start(['userPool'])
    await authorization.authorize(REQUEST)
    expect(authorization.judge('x', { body: unauthorizedBody, text: '' })).toBe(false)
    expect(events).toEqual([{ name: 'unauthorizedRetry', payload: { mode: 'userPool', status: 401 } }])
  })

  it('a field-level denial moves on only when asked and a mode is left; it is kept over a later rejection', async () => {
    const { start } = setUp({ apiKey: {}, userPool: {} })
    const stands = start(['userPool', 'apiKey'])
    await stands.authorize(REQUEST)
    expect(stands.judge('denied', DENIED)).toBe(true)

    const last = start(['userPool'], { nextOnFieldDenial: true })
    await last.authorize(REQUEST)
    expect(last.judge('denied', DENIED)).toBe(true)

    const moves = start(['userPool', 'apiKey'], { nextOnFieldDenial: true })
    await moves.authorize(REQUEST)
    expect(moves.judge('denied', DENIED)).toBe(false)
    expect(await moves.authorize(REQUEST)).toMatchObject({ mode: 'apiKey' })
    expect(moves.judge('rejected', UNAUTHORIZED)).toBe(false)
    await moves.authorize(REQUEST)
    expect(moves.judge('rejected again', UNAUTHORIZED)).toBe(false)
    expect(await moves.authorize(REQUEST)).toBeUndefined()
    expect(moves.kept).toBe('denied')
  })

  it('a mode mends once (SigV4: the clock), with the same identity, before any refresh', async () => {
    const { calls, start } = setUp({ iam: { mend: true } })
    const authorization = start(['iam'])
    await authorization.authorize(REQUEST)
    expect(authorization.judge('skewed', answer(validationBody, 403))).toBe(false)
    expect(await authorization.authorize(REQUEST)).toMatchObject({ request: { headers: { who: 'iam#1' } } })
    expect(authorization.judge('skewed again', answer(validationBody, 403))).toBe(true)
    expect(calls.filter((c) => c.what !== 'authorize')).toEqual([{ mode: 'iam', what: 'resolve' }])
  })

  it("a mode's own reading of a rejection (SigV4: an AWS service's 403) counts as one: refresh, resend, move on", async () => {
    const { calls, events, start } = setUp({ iam: { refused: true }, apiKey: {} })
    const authorization = start(['iam', 'apiKey'])
    await authorization.authorize(REQUEST)
    const refused: Answer = { status: 403, body: undefined, text: 'refused' }
    expect(authorization.judge('first', refused)).toBe(false)
    expect(await authorization.authorize(REQUEST)).toMatchObject({
      mode: 'iam',
      request: { headers: { who: 'iam#2' } },
    })
    expect(authorization.judge('second', refused)).toBe(false)
    expect(await authorization.authorize(REQUEST)).toMatchObject({ mode: 'apiKey' })
    expect(authorization.judge('ok', { status: 403, body: undefined, text: 'other' })).toBe(true)
    expect(calls.filter((c) => c.what === 'refresh')).toEqual([{ mode: 'iam', what: 'refresh', identity: 'iam#1' }])
    expect(events).toEqual([{ name: 'unauthorizedRetry', payload: { mode: 'iam', status: 403 } }])
  })

  it('skips a mode without a strategy or without an identity, once each, and says why', async () => {
    const { events, start } = setUp({
      userPool: { fail: new NoIdentityError('userPool: nobody is signed in') },
      apiKey: {},
    })
    const reasons: { mode: AuthMode; reason: string }[] = []
    const authorization = start(['oidc', 'userPool', 'apiKey'], { reasons })
    expect(await authorization.authorize(REQUEST)).toMatchObject({ mode: 'apiKey' })
    expect(reasons).toEqual([
      { mode: 'oidc', reason: '`oidc` is not configured' },
      { mode: 'userPool', reason: 'userPool: nobody is signed in' },
    ])
    // A second authorization of the same call (a retry) shares the reasons: nothing is announced twice.
    await start(['oidc', 'userPool', 'apiKey'], { reasons }).authorize(REQUEST)
    expect(events.filter((e) => e.name === 'authModeSkipped')).toHaveLength(2)
  })

  it('no usable mode at all: NoAuthModeAvailableError with every reason', async () => {
    const { start } = setUp({ userPool: { fail: new NoIdentityError('userPool: signed out') } })
    const error = await start(['userPool', 'lambda'])
      .authorize(REQUEST)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NoAuthModeAvailableError)
    expect((error as NoAuthModeAvailableError).reasons.map((r) => r.mode)).toEqual(['userPool', 'lambda'])
  })

  it('an identity failure that does not let the next mode be tried is thrown as it is', async () => {
    const failure = new TokenRefreshError('userPool: refresh failed', { retryable: true })
    const { start } = setUp({ userPool: { fail: failure }, apiKey: {} })
    await expect(start(['userPool', 'apiKey']).authorize(REQUEST)).rejects.toBe(failure)
  })
})

describe("a call's own token (`authToken`)", () => {
  it('is sent as the authorization header of its mode; the provider is not asked, nor needed', async () => {
    // userPool has a stand-in strategy that would answer; lambda has none at all.
    for (const mode of ['userPool', 'lambda'] as const) {
      const { calls, events, start } = setUp({ userPool: {}, apiKey: {} })
      const authorization = start([mode], { token: 'call-token' })
      expect(await authorization.authorize(REQUEST)).toEqual({
        mode,
        request: { ...REQUEST, headers: { authorization: 'call-token' } },
      })
      expect(authorization.judge('answer', OK)).toBe(true)
      expect(calls).toEqual([])
      expect(events).toEqual([])
    }
  })

  it('a rejection stands: no refresh (there is nothing to refresh), no second attempt, no event', async () => {
    const { calls, events, start } = setUp({ userPool: {} })
    const authorization = start(['userPool'], { token: 'call-token' })
    await authorization.authorize(REQUEST)
    expect(authorization.judge('rejected', UNAUTHORIZED)).toBe(true)
    expect(authorization.kept).toBeUndefined()
    expect(calls).toEqual([])
    expect(events).toEqual([])
  })
})
