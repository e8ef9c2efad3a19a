// The per-call deadline of `client.request` and `createAuthFetch` (client/deadline.ts): a timeout
// rejects with TimeoutError and aborts the fetch itself (on the wire, against a real server on
// 127.0.0.1 that never answers), the caller's signal reaches the fetch, and a call that succeeds
// leaves no timer and no listener behind.
import { getEventListeners, once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuthFetch, createClient, TimeoutError, type ClientOptions } from '../src/index'
import { rejectionOf } from './msw/observe'

const API_KEY = 'da2-deadlinedeadlinedeadline00'
const QUERY = 'query GetPost($id: ID!) { getPost(id: $id) { id } }'
const ANSWER = JSON.stringify({ data: { getPost: { id: '1' } } })
const ENDPOINT = 'https://deadline.appsync-api.us-east-1.amazonaws.com/graphql'

/** A `fetch` that records the signal of each call and answers (or, with `hang`, waits for an abort). */
function recordingFetch({ hang = false } = {}): typeof globalThis.fetch & { signals: (AbortSignal | undefined)[] } {
  const signals: (AbortSignal | undefined)[] = []
  const fetch = (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? undefined
    signals.push(signal)
    if (!hang) return Promise.resolve(new Response(ANSWER, { headers: { 'content-type': 'application/json' } }))
    return new Promise((_resolve, reject) => {
      signal?.addEventListener('abort', () => {
        reject(signal.reason as Error)
      })
    })
  }
  return Object.assign(fetch, { signals })
}

function client(options: Omit<ClientOptions, 'endpoint'>): ReturnType<typeof createClient> {
  return createClient({ endpoint: ENDPOINT, apiKey: API_KEY, logger: null, retry: false, ...options })
}

/**
 * Timers of 1 to 30 s (the deadline's, not the short ones of streams or the test runner) created
 * from now on: `armed` holds their delays, `live` those that have neither fired nor been cleared.
 */
function trackTimers(): { armed: number[]; live: Set<unknown> } {
  const armed: number[] = []
  const live = new Set<unknown>()
  const realSet = globalThis.setTimeout
  const realClear = globalThis.clearTimeout
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: (...args: unknown[]) => void, ms?: number) => {
    const tracked = ms !== undefined && ms >= 1000 && ms <= 30_000
    const timer = realSet(() => {
      live.delete(timer)
      callback()
    }, ms)
    if (tracked) {
      armed.push(ms)
      live.add(timer)
    }
    return timer
  }) as typeof setTimeout)
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation((timer) => {
    live.delete(timer)
    realClear(timer)
  })
  return { armed, live }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('a timeout', () => {
  it('rejects with TimeoutError and aborts the fetch’s signal with that same error', async () => {
    const fetch = recordingFetch({ hang: true })
    const error = await rejectionOf(client({ fetch }).request(QUERY, { id: '1' }, { timeoutMs: 30 }))
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as Error).message).toBe(`POST ${ENDPOINT}: no answer within 30 ms`)
    expect(fetch.signals).toHaveLength(1)
    expect(fetch.signals[0]?.aborted).toBe(true)
    expect(fetch.signals[0]?.reason).toBe(error)
  })

  it('closes the request on the wire: a real server on 127.0.0.1 that never answers sees it go', async () => {
    let server: Server | undefined
    try {
      // Each request that is never answered, settled when its connection closes.
      const hung: Promise<void>[] = []
      server = createServer((req, res) => {
        if (req.url === '/warmup') {
          res.end()
          return
        }
        hung.push(
          new Promise((resolve) => {
            req.socket.on('close', () => {
              resolve()
            })
          }),
        )
      })
      server.listen(0, '127.0.0.1')
      await once(server, 'listening')
      const { port } = server.address() as AddressInfo
      // Node's fetch sets itself up on its first request: done here, so the timed request goes out at once.
      await (await fetch(`http://127.0.0.1:${String(port)}/warmup`)).text()
      const error = await rejectionOf(
        createClient({
          endpoint: `http://127.0.0.1:${String(port)}/graphql`,
          apiKey: API_KEY,
          logger: null,
          retry: false,
          timeoutMs: 500,
        }).request(QUERY, { id: '1' }),
      )
      expect(error).toBeInstanceOf(TimeoutError)
      expect(hung).toHaveLength(1)
      // The client closed the request's connection: it is not left open until the server gives up.
      await expect(
        Promise.race([hung[0]?.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 2000, 'open'))]),
      ).resolves.toBe('closed')
    } finally {
      server?.closeAllConnections()
      server?.close()
    }
  })

  it('applies to createAuthFetch when it has `timeoutMs`, and aborts its fetch too', async () => {
    const fetch = recordingFetch({ hang: true })
    const error = await rejectionOf(
      createAuthFetch({ endpoint: ENDPOINT, apiKey: API_KEY, logger: null, fetch, timeoutMs: 30 })(ENDPOINT, {
        method: 'POST',
        body: '{}',
      }),
    )
    expect(error).toBeInstanceOf(TimeoutError)
    expect(fetch.signals[0]?.reason).toBe(error)
  })
})

describe('the caller’s signal', () => {
  it('aborts the fetch with the caller’s reason, under the timeout too', async () => {
    const fetch = recordingFetch({ hang: true })
    const controller = new AbortController()
    const reason = new Error('the user navigated away')
    const pending = client({ fetch }).request(QUERY, { id: '1' }, { signal: controller.signal })
    await vi.waitFor(() => {
      expect(fetch.signals).toHaveLength(1)
    })
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    expect(fetch.signals[0]?.reason).toBe(reason)
  })

  it('is passed to the fetch as it is when there is no timeout', async () => {
    const fetch = recordingFetch()
    const controller = new AbortController()
    await client({ fetch, timeoutMs: 0 }).request(QUERY, { id: '1' }, { signal: controller.signal })
    expect(fetch.signals).toEqual([controller.signal])
  })
})

describe('a call that succeeds', () => {
  it('leaves no timer behind (the default 30 s timeout included) and no listener on the caller’s signal', async () => {
    const fetch = recordingFetch()
    const controller = new AbortController()
    const timers = trackTimers()
    await expect(client({ fetch }).request(QUERY, { id: '1' }, { signal: controller.signal })).resolves.toEqual({
      getPost: { id: '1' },
    })
    expect(timers.armed).toEqual([30_000]) // the default deadline was armed…
    expect(timers.live.size).toBe(0) // …and is gone
    expect(getEventListeners(controller.signal, 'abort')).toEqual([])
    expect(fetch.signals[0]).not.toBe(controller.signal) // the deadline's own signal went to fetch
  })

  it('leaves no timer behind after a failure either', async () => {
    const fetch: typeof globalThis.fetch = () => Promise.resolve(new Response('nope', { status: 500 }))
    const timers = trackTimers()
    await expect(client({ fetch }).request(QUERY, { id: '1' })).rejects.toMatchObject({ code: 'ERR_HTTP' })
    expect(timers.armed).toEqual([30_000])
    expect(timers.live.size).toBe(0)
  })
})
