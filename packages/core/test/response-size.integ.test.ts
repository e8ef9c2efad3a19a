// Issue 13, finding 6: a cap on a response's size (`maxResponseBytes`). A real HTTP server on
// 127.0.0.1 streams a body larger than the cap (valid JSON, so only the cap can stop it) and counts
// what it managed to write before the client hung up.
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ConfigurationError, createAuthFetch, createClient, ResponseParseError } from '../src/index'
import { rejectionOf } from './msw/observe'

const API_KEY = 'da2-SIZECAPAPIKEY000000000000000'
const QUERY = 'query GetPost($id: ID!) { getPost(id: $id) { id title } }'
const MIB = 1_048_576
const CHUNK = 'a'.repeat(64 * 1024)

interface Plan {
  status: number
  /** Bytes of padding inside the JSON answer. */
  padding: number
  /** Send a Content-Length header (else chunked). */
  declareLength: boolean
}

let plan: Plan = { status: 200, padding: 0, declareLength: false }
let requests = 0
let written = 0
let finished = false
let base = ''

// `{"data":{"getPost":{"id":"1","title":"<padding>"}}}`, written in 64 KiB chunks as the socket drains.
function answer(response: ServerResponse, { status, padding, declareLength }: Plan): void {
  const head = '{"data":{"getPost":{"id":"1","title":"'
  const tail = '"}}}'
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(declareLength ? { 'content-length': String(head.length + padding + tail.length) } : {}),
  })
  response.write(head)
  let left = padding
  const pump = (): void => {
    while (left > 0) {
      const piece = left >= CHUNK.length ? CHUNK : CHUNK.slice(0, left)
      left -= piece.length
      written += piece.length
      if (!response.write(piece)) {
        response.once('drain', pump)
        return
      }
    }
    finished = true
    response.end(tail)
  }
  pump()
}

const server = createServer((request, response) => {
  requests += 1
  request.resume()
  request.on('end', () => {
    answer(response, plan)
  })
})

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve()
    })
  })
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/graphql`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})
beforeEach(() => {
  requests = written = 0
  finished = false
})

const client = (maxResponseBytes?: number): ReturnType<typeof createClient> =>
  createClient({
    endpoint: base,
    apiKey: API_KEY,
    logger: null,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
  })

describe('maxResponseBytes (real server on 127.0.0.1)', () => {
  it('a streamed (chunked) body over the cap is a ResponseParseError that names the option; the read stops early', async () => {
    plan = { status: 200, padding: 64 * MIB, declareLength: false }
    const error = await rejectionOf(client(MIB).request(QUERY, { id: '1' }))
    expect(error).toBeInstanceOf(ResponseParseError)
    expect((error as Error).message).toContain('`maxResponseBytes` (1048576)')
    expect(requests).toBe(1)
    // The client hung up long before the 64 MiB were written.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(finished).toBe(false)
    expect(written).toBeLessThan(16 * MIB)
  })

  it('a Content-Length over the cap fails up front, before the body is read', async () => {
    plan = { status: 200, padding: 64 * MIB, declareLength: true }
    const error = await rejectionOf(client(MIB).request(QUERY, { id: '1' }))
    expect(error).toBeInstanceOf(ResponseParseError)
    expect(finished).toBe(false)
    expect(written).toBeLessThan(16 * MIB)
  })

  it('is not retried, even after a 5xx (which would be)', async () => {
    plan = { status: 503, padding: 8 * MIB, declareLength: false }
    expect(await rejectionOf(client(MIB).request(QUERY, { id: '1' }))).toBeInstanceOf(ResponseParseError)
    expect(requests).toBe(1)
  })

  it('the default is 10 MiB: an answer of 9 MiB is read, one of 11 MiB is refused', async () => {
    plan = { status: 200, padding: 9 * MIB, declareLength: false }
    const data = await client().request<{ getPost: { title: string } }>(QUERY, { id: '1' })
    expect(data.getPost.title).toHaveLength(9 * MIB)
    plan = { status: 200, padding: 11 * MIB, declareLength: false }
    requests = 0
    const error = await rejectionOf(client().request(QUERY, { id: '1' }))
    expect(error).toBeInstanceOf(ResponseParseError)
    expect((error as Error).message).toContain('`maxResponseBytes` (10485760)')
    expect(requests).toBe(1)
  })

  it('0 means no limit', async () => {
    plan = { status: 200, padding: 12 * MIB, declareLength: true }
    const data = await client(0).request<{ getPost: { title: string } }>(QUERY, { id: '1' })
    expect(data.getPost.title).toHaveLength(12 * MIB)
  })

  it('createAuthFetch hands a large answer back unread: the caller reads it', async () => {
    plan = { status: 200, padding: 2 * MIB, declareLength: false }
    const fetchLike = createAuthFetch({ endpoint: base, apiKey: API_KEY, logger: null, maxResponseBytes: MIB })
    const response = await fetchLike(base, { method: 'POST', body: JSON.stringify({ query: QUERY }) })
    expect((await response.text()).length).toBeGreaterThan(2 * MIB)
  })

  it('a bad value is a ConfigurationError naming the option', () => {
    for (const value of [-1, Number.NaN, Infinity, '10' as unknown as number]) {
      expect(() => createClient({ endpoint: base, apiKey: API_KEY, maxResponseBytes: value })).toThrow(
        ConfigurationError,
      )
      expect(() => createClient({ endpoint: base, apiKey: API_KEY, maxResponseBytes: value })).toThrow(
        /`maxResponseBytes`/,
      )
    }
  })
})
