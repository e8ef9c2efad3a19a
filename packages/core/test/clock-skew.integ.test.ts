import { describe, expect, it } from 'vitest'
import {
  createClient,
  HttpError,
  iamMode,
  type AwsCredentialIdentity,
  type ClientOptions,
  type TokenIdentity,
} from '../src/index'
import { appSyncSignatureExpired, authorizeLikeAppSync, ENDPOINT, fixtures, GET_POST, mockAppSync } from './msw/appsync'
import { amzDate, HOUR, manualClock, MINUTE, type ManualClock } from './msw/clock'
import { issueTokens } from './msw/cognito'
import { recordEvents, rejectionOf } from './msw/observe'
import { useMswServer } from './msw/server'
import { verifySigV4 } from './msw/sigv4'

useMswServer()

const SERVER_NOW = Date.parse('2026-11-26T04:20:00Z')
const CREDENTIALS = {
  accessKeyId: 'ASIASKEWEXAMPLE00001',
  secretAccessKey: 'skew-secret-access-key-0000000000000000',
  sessionToken: 'skew-session-token-000000000000000000',
}

function makeClient(
  clock: ManualClock,
  options: Omit<ClientOptions, 'endpoint'> = {},
): ReturnType<typeof createClient> {
  return createClient({
    endpoint: ENDPOINT,
    clock,
    logger: null,
    retry: false,
    credentials: CREDENTIALS,
    modes: [iamMode()],
    ...options,
  })
}

describe('clock skew', () => {
  it('a clock 20 minutes behind: the first request recovers with one retry, the next needs none', async () => {
    const clock = manualClock(SERVER_NOW - 20 * MINUTE)
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => SERVER_NOW }))
    const client = makeClient(clock)
    const events = recordEvents(client)

    await expect(client.request(GET_POST, { id: '1' })).resolves.toEqual(fixtures.getPost.data)
    expect(appsync.requests).toHaveLength(2)
    expect(appsync.requests.map((r) => r.headers['x-amz-date'])).toEqual(['20261126T040000Z', '20261126T042000Z'])
    expect(client.clockOffsetMs).toBe(20 * MINUTE)
    expect(events.filter((e) => e.name === 'clockSkewCorrected')).toEqual([
      { name: 'clockSkewCorrected', payload: { offsetMs: 20 * MINUTE } },
    ])

    await expect(client.request(GET_POST, { id: '2' })).resolves.toEqual(fixtures.getPost.data)
    expect(appsync.requests).toHaveLength(3)
    const third = appsync.requests[2]
    if (!third) throw new Error('no third request')
    expect(third.headers['x-amz-date']).toBe(amzDate(SERVER_NOW))
    expect(verifySigV4(third, CREDENTIALS).valid).toBe(true)
  })

  it('the rejection the test server sends reads like AppSync', async () => {
    const response = appSyncSignatureExpired(SERVER_NOW - 20 * MINUTE, SERVER_NOW)
    expect(response.status).toBe(403)
    expect(response.headers.get('date')).toBe('Thu, 26 Nov 2026 04:20:00 GMT')
    const body = (await response.json()) as { errors: { message: string }[] }
    expect(body.errors[0]?.message).toBe(
      'Signature expired: 20261126T040000Z is now earlier than 20261126T041500Z (20261126T042000Z - 5 min.)',
    )
    expect(body).toEqual(fixtures.signatureExpired)
  })

  it('a clock 20 minutes ahead ("Signature not yet current") recovers the same way', async () => {
    const clock = manualClock(SERVER_NOW + 20 * MINUTE)
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => SERVER_NOW }))
    const client = makeClient(clock)
    await client.request(GET_POST, { id: '1' })
    await client.request(GET_POST, { id: '2' })
    expect(appsync.requests).toHaveLength(3)
    expect(client.clockOffsetMs).toBe(-20 * MINUTE)
  })

  it('a 401 without a Date header: the server time is read from the message', async () => {
    const clock = manualClock(SERVER_NOW - 20 * MINUTE)
    const appsync = mockAppSync((request) =>
      request.headers['x-amz-date'] === amzDate(SERVER_NOW)
        ? authorizeLikeAppSync({ credentials: [CREDENTIALS], now: () => SERVER_NOW })(request, 0)
        : appSyncSignatureExpired(clock.now(), SERVER_NOW, { status: 401, dateHeader: false }),
    )
    const client = makeClient(clock)
    await expect(client.request(GET_POST, { id: '1' })).resolves.toEqual(fixtures.getPost.data)
    expect(appsync.requests).toHaveLength(2)
    expect(client.clockOffsetMs).toBe(20 * MINUTE)
  })

  it('a server that keeps rejecting gets exactly one clock retry, then a typed error', async () => {
    const clock = manualClock(SERVER_NOW - 20 * MINUTE)
    const appsync = mockAppSync(() => appSyncSignatureExpired(SERVER_NOW - 20 * MINUTE, SERVER_NOW))
    const error = await rejectionOf(makeClient(clock).request(GET_POST, { id: '1' }))
    expect(appsync.requests).toHaveLength(2)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toMatchObject({ code: 'ERR_HTTP', status: 403, errorType: 'InvalidSignatureException' })
    expect((error as HttpError).message).toContain('Signature expired')
  })

  it('the learned offset is used for expiry checks: credentials that the skewed clock thinks fresh are refreshed', async () => {
    const clock = manualClock(SERVER_NOW - 20 * MINUTE)
    const issued: AwsCredentialIdentity[] = []
    const provider = (): Promise<AwsCredentialIdentity> => {
      const n = String(issued.length + 1)
      // Valid until 3 minutes after the server's now: 23 minutes away by the skewed local clock.
      const credentials = {
        ...CREDENTIALS,
        accessKeyId: `ASIASKEWROTATE00000${n}`,
        expiration: new Date(SERVER_NOW + 3 * MINUTE),
      }
      issued.push(credentials)
      return Promise.resolve(credentials)
    }
    const appsync = mockAppSync(authorizeLikeAppSync({ credentials: issued, now: () => SERVER_NOW }))
    const client = makeClient(clock, { credentials: provider })
    await client.request(GET_POST, { id: '1' })
    expect(issued).toHaveLength(1) // the skew retry re-signs with the same credentials
    await client.request(GET_POST, { id: '2' })
    // With the corrected clock they expire in 3 minutes: inside the 5-minute refresh window.
    expect(issued).toHaveLength(2)
    expect(appsync.requests.at(-1)?.headers['authorization']).toContain('Credential=ASIASKEWROTATE000002/')
  })

  // Issue 13, finding 7: only iam learns the server's time; a token mode has the token's `iat`.
  for (const [label, skew] of [
    ['3 hours ahead', 3 * HOUR],
    ['3 hours behind', -3 * HOUR],
  ] as const) {
    for (const withExpiration of [false, true]) {
      it(`a clock ${label}: a plain token provider${withExpiration ? ' (with expiration)' : ''} is called once across several requests, and again near the token's real expiry`, async () => {
        const clock = manualClock(SERVER_NOW + skew)
        const calls: number[] = []
        const provider = (): Promise<TokenIdentity> => {
          calls.push(clock.now())
          // Issued by the server's clock (an hour's lifetime), whatever this machine's says.
          const serverNow = clock.now() - skew
          const { IdToken: token } = issueTokens({
            now: serverNow,
            lifetimeMs: HOUR,
            marker: `skew${String(calls.length)}`,
          })
          return Promise.resolve(withExpiration ? { token, expiration: new Date(serverNow + HOUR) } : { token })
        }
        const appsync = mockAppSync()
        const client = makeClient(clock, { authMode: 'userPool', userPool: provider })
        for (let i = 0; i < 5; i++) {
          await client.request(GET_POST, { id: String(i) })
          clock.advance(MINUTE)
        }
        expect(calls).toHaveLength(1)
        expect(appsync.requests).toHaveLength(5)
        // 56 minutes after it arrived the token is inside its 5-minute refresh window: fetched again.
        clock.advance(51 * MINUTE)
        await client.request(GET_POST, { id: 'later' })
        expect(calls).toHaveLength(2)
      })
    }
  }
})
