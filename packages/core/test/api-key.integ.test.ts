import { describe, expect, it } from 'vitest'
import { createClient, type ApiKeyIdentity, type ClientOptions, type ResolveIdentityOptions } from '../src/index'
import { authorizeLikeAppSync, ENDPOINT, fixtures, GET_POST, mockAppSync } from './msw/appsync'
import { DAY, HOUR, manualClock, type ManualClock } from './msw/clock'
import { recordEvents, recordingLogger } from './msw/observe'
import { useMswServer } from './msw/server'

useMswServer()

const T0 = Date.parse('2026-11-26T04:00:00Z')

function makeClient(clock: ManualClock, options: Omit<ClientOptions, 'endpoint'>): ReturnType<typeof createClient> {
  return createClient({ endpoint: ENDPOINT, clock, logger: null, retry: false, ...options })
}

describe('apiKey', () => {
  it('a string key is sent as x-api-key on every request', async () => {
    const appsync = mockAppSync(authorizeLikeAppSync({ apiKeys: ['da2-statickey00000000000000000'] }))
    const client = makeClient(manualClock(T0), { apiKey: 'da2-statickey00000000000000000' })
    await expect(client.request(GET_POST, { id: '1' })).resolves.toEqual(fixtures.getPost.data)
    await client.request(GET_POST, { id: '2' })
    expect(appsync.requests.map((r) => r.headers['x-api-key'])).toEqual([
      'da2-statickey00000000000000000',
      'da2-statickey00000000000000000',
    ])
  })

  it('an ApiKeyProvider is called once and its key reused while valid', async () => {
    let calls = 0
    const appsync = mockAppSync()
    const client = makeClient(manualClock(T0), {
      apiKey: () => {
        calls += 1
        return Promise.resolve({ apiKey: 'da2-providedkey000000000000000' })
      },
    })
    await Promise.all([client.request(GET_POST, { id: '1' }), client.request(GET_POST, { id: '2' })])
    await client.request(GET_POST, { id: '3' })
    expect(calls).toBe(1)
    expect(new Set(appsync.requests.map((r) => r.headers['x-api-key']))).toEqual(
      new Set(['da2-providedkey000000000000000']),
    )
  })

  it("a provider's expiration is honoured: once passed, the provider is called again and the new key is sent", async () => {
    const clock = manualClock(T0)
    const keys: ApiKeyIdentity[] = [
      { apiKey: 'da2-firstkey0000000000000000001', expiration: new Date(T0 + 30 * DAY) },
      { apiKey: 'da2-secondkey000000000000000002', expiration: new Date(T0 + 60 * DAY) },
    ]
    const calls: (ResolveIdentityOptions | undefined)[] = []
    const appsync = mockAppSync(authorizeLikeAppSync({ apiKeys: keys.map((k) => k.apiKey) }))
    const client = makeClient(clock, {
      apiKey: (options) => {
        calls.push(options)
        return Promise.resolve(keys[Math.min(calls.length, keys.length) - 1] as ApiKeyIdentity)
      },
    })

    await client.request(GET_POST, { id: '1' })
    clock.set(T0 + 30 * DAY - 1)
    await client.request(GET_POST, { id: '1' })
    expect(calls).toHaveLength(1)

    clock.set(T0 + 30 * DAY) // the first key has expired: rotation without a redeploy
    await client.request(GET_POST, { id: '1' })
    expect(calls).toHaveLength(2)
    expect(calls[1]?.forceRefresh).not.toBe(true)
    expect(appsync.requests.map((r) => r.headers['x-api-key'])).toEqual([
      'da2-firstkey0000000000000000001',
      'da2-firstkey0000000000000000001',
      'da2-secondkey000000000000000002',
    ])
  })

  it('warns once per key (apiKeyExpiring event + logger.warn) when the key expires within 7 days', async () => {
    const clock = manualClock(T0)
    const logger = recordingLogger()
    const keys: ApiKeyIdentity[] = [
      { apiKey: 'da2-expiringkey00000000000000001', expiration: new Date(T0 + 3 * DAY) },
      { apiKey: 'da2-expiringkey00000000000000002', expiration: new Date(T0 + 5 * DAY) },
    ]
    let calls = 0
    mockAppSync()
    const client = createClient({
      endpoint: ENDPOINT,
      clock,
      logger,
      apiKey: () => {
        calls += 1
        return Promise.resolve(keys[Math.min(calls, keys.length) - 1] as ApiKeyIdentity)
      },
    })
    const events = recordEvents(client)

    await client.request(GET_POST, { id: '1' })
    clock.advance(HOUR)
    await client.request(GET_POST, { id: '1' })
    await client.request(GET_POST, { id: '1' })

    const expiring = events.filter((e) => e.name === 'apiKeyExpiring')
    expect(expiring).toEqual([
      { name: 'apiKeyExpiring', payload: { expiration: new Date(T0 + 3 * DAY), msRemaining: 3 * DAY } },
    ])
    const warnings = logger.calls.filter((c) => c.level === 'warn')
    expect(warnings).toEqual([
      {
        level: 'warn',
        args: ['[authmode] apiKeyExpiring', { expiration: new Date(T0 + 3 * DAY), msRemaining: 3 * DAY }],
      },
    ])

    clock.set(T0 + 3 * DAY) // rotated to a key that also expires soon: one warning for it too
    await client.request(GET_POST, { id: '1' })
    await client.request(GET_POST, { id: '1' })
    expect(calls).toBe(2)
    expect(events.filter((e) => e.name === 'apiKeyExpiring')).toHaveLength(2)
    expect(logger.calls.filter((c) => c.level === 'warn')).toHaveLength(2)
    expect(events.at(-1)?.payload).toEqual({ expiration: new Date(T0 + 5 * DAY), msRemaining: 2 * DAY })
  })

  it('does not warn for a key valid longer than 7 days, nor for a string key', async () => {
    const logger = recordingLogger()
    mockAppSync()
    const withExpiry = createClient({
      endpoint: ENDPOINT,
      clock: manualClock(T0),
      logger,
      apiKey: () => Promise.resolve({ apiKey: 'da2-longlivedkey000000000000001', expiration: new Date(T0 + 8 * DAY) }),
    })
    const plain = createClient({
      endpoint: ENDPOINT,
      clock: manualClock(T0),
      logger,
      apiKey: 'da2-plainkey00000000000000000001',
    })
    const events = [...recordEvents(withExpiry), ...recordEvents(plain)]
    await withExpiry.request(GET_POST, { id: '1' })
    await plain.request(GET_POST, { id: '1' })
    expect(events.filter((e) => e.name === 'apiKeyExpiring')).toEqual([])
    expect(logger.calls.filter((c) => c.level === 'warn')).toEqual([])
  })

  it('the same key handed out again after a forced refresh is not warned about twice', async () => {
    const clock = manualClock(T0)
    const logger = recordingLogger()
    let calls = 0
    // The first request is rejected once (a stale edge cache), the key itself is unchanged.
    const appsync = mockAppSync((request, index) =>
      index === 0
        ? authorizeLikeAppSync({ apiKeys: [] })(request, index)
        : authorizeLikeAppSync({ apiKeys: ['da2-samekey0000000000000000001'] })(request, index),
    )
    const client = createClient({
      endpoint: ENDPOINT,
      clock,
      logger,
      apiKey: () => {
        calls += 1
        // A fresh object each time, as a provider reading a parameter store would return.
        return Promise.resolve({ apiKey: 'da2-samekey0000000000000000001', expiration: new Date(T0 + 2 * DAY) })
      },
    })
    await client.request(GET_POST, { id: '1' })
    expect(appsync.requests).toHaveLength(2)
    expect(calls).toBe(2)
    expect(logger.calls.filter((c) => c.level === 'warn')).toHaveLength(1)
  })
})
