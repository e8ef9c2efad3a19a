// The HTTP surface: AppSync's request and error shapes, health and CORS, clock-skew answers a
// client can correct from, graceful shutdown, persistence, configuration errors, and logs free of
// secrets. Uses API keys and backend IAM credentials (no user pool needed here).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '@authmode/node'
import { startLocalAppSync, type LocalAppSync } from '@authmode/local'
import { REGION, backendKeys, client, outcome } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: public }]) {
    id: ID!
    text: String!
  }
  type Query {
    slow: String @aws_api_key
  }
`
const backend = backendKeys()
const logLines: string[] = []
let server: LocalAppSync

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    backendCredentials: [backend],
    resolvers: {
      Query: {
        slow: () =>
          new Promise((resolve) =>
            setTimeout(() => {
              resolve('done')
            }, 300),
          ),
      },
    },
    logger: { info: (line) => logLines.push(line), warn: (line) => logLines.push(line) },
  })
})
afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
})

const post = (headers: Record<string, string>, body: string): Promise<Response> =>
  fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

describe('routes and shapes', () => {
  it('listens on 127.0.0.1 and answers GET /health', async () => {
    expect(server.host).toBe('127.0.0.1')
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${server.url}/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('answers CORS preflights like AppSync, exposing Date', async () => {
    const response = await fetch(server.graphqlUrl, { method: 'OPTIONS' })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-expose-headers')).toMatch(/\bDate\b/)
    expect(response.headers.get('access-control-allow-headers')).toMatch(/x-amz-security-token/)
    // Amplify v6's Cognito calls from a page (tests/browser/test/ssr-cookies.browser.test.ts).
    expect(response.headers.get('access-control-allow-headers')).toMatch(/\bcache-control\b/)
  })

  it('refuses a request without credentials: 401, x-amzn-ErrorType and the AppSync body', async () => {
    const response = await post({}, JSON.stringify({ query: '{ listNotes { items { id } } }' }))
    expect(response.status).toBe(401)
    expect(response.headers.get('x-amzn-errortype')).toBe('UnauthorizedException')
    expect(await response.json()).toEqual({
      errors: [{ errorType: 'UnauthorizedException', message: expect.stringMatching(/^Missing authorization/) }],
    })
  })

  it('refuses two modes in one request', async () => {
    const response = await post({ 'x-api-key': server.apiKey!, authorization: 'eyJ.x.y' }, '{"query":"{ slow }"}')
    expect(response.status).toBe(401)
  })

  it('answers malformed requests with MalformedHttpRequestException, validation errors with HTTP 200', async () => {
    const key = { 'x-api-key': server.apiKey! }
    const notJson = await post(key, '{"query":')
    expect(notJson.status).toBe(400)
    expect(await notJson.json()).toEqual({
      errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse JSON document' }],
    })
    const badQuery = await post(key, JSON.stringify({ query: '{ listNotes {' }))
    expect(badQuery.status).toBe(400)
    const invalid = await post(key, JSON.stringify({ query: '{ listNotes { nope } }' }))
    expect(invalid.status).toBe(200)
    expect(await invalid.json()).toMatchObject({
      data: null,
      errors: [{ message: expect.stringMatching(/^Validation error: /) }],
    })
  })

  it('serves the generated operations with id, createdAt and updatedAt', async () => {
    const c = client(server, 'apiKey', { apiKey: server.apiKey! })
    const created = await c.request<{ createNote: { id: string; createdAt: string; updatedAt: string } }>(
      'mutation { createNote(input: { text: "hi" }) { id text createdAt updatedAt } }',
    )
    expect(created.createNote).toMatchObject({ text: 'hi', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })
    const updated = await c.request<{ updateNote: { createdAt: string } }>(
      'mutation ($id: ID!) { updateNote(input: { id: $id, text: "edited" }) { text createdAt } }',
      { id: created.createNote.id },
    )
    expect(updated.updateNote).toEqual({ text: 'edited', createdAt: created.createNote.createdAt })
    const filtered = await c.request<{ listNotes: { items: { text: string }[] } }>(
      '{ listNotes(filter: { text: { eq: "edited" } }) { items { text } } }',
    )
    expect(filtered.listNotes.items).toEqual([{ text: 'edited' }])
    expect(
      await outcome(c.request('mutation { updateNote(input: { id: "missing", text: "x" }) { id } }')),
    ).toMatchObject({
      ok: false,
      errorTypes: ['DynamoDB:ConditionalCheckFailedException'],
    })
  })

  it('pages lists with limit and nextToken', async () => {
    const c = client(server, 'apiKey', { apiKey: server.apiKey! })
    for (const text of ['a', 'b', 'c'])
      await c.request('mutation ($t: String!) { createNote(input: { text: $t }) { id } }', { t: text })
    const seen: string[] = []
    let nextToken: string | null = null
    do {
      const page: { listNotes: { items: { id: string }[]; nextToken: string | null } } = await c.request(
        'query ($n: String) { listNotes(limit: 2, nextToken: $n) { items { id } nextToken } }',
        { n: nextToken },
      )
      expect(page.listNotes.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.listNotes.items.map((i) => i.id))
      nextToken = page.listNotes.nextToken
    } while (nextToken)
    expect(new Set(seen).size).toBe(Object.keys(server.store.snapshot()['Note'] ?? {}).length)
  })
})

describe('API keys', () => {
  it('creates a da2- key valid 30 days by default, and lists keys without their values', () => {
    expect(server.apiKey).toMatch(/^da2-[a-z0-9]{26}$/)
    const [info] = server.apiKeys!.list()
    expect(info!.expires.getTime() - info!.createdAt.getTime()).toBe(30 * 24 * 60 * 60 * 1000)
    expect(JSON.stringify(server.apiKeys!.list())).not.toContain(server.apiKey!)
  })
})

describe('SigV4 with the client’s own signer (createSigV4Signer)', () => {
  it('accepts it, and answers a skewed clock so that the client corrects itself and retries once', async () => {
    const skewed = createClient({
      endpoint: server.graphqlUrl,
      region: REGION,
      authMode: 'iam',
      credentials: backend,
      clock: { now: () => Date.now() - 10 * 60_000 },
      retry: false,
      logger: null,
    })
    const corrections: number[] = []
    skewed.on('clockSkewCorrected', ({ offsetMs }) => corrections.push(offsetMs))
    await expect(skewed.request('{ listNotes { items { id } } }')).resolves.toHaveProperty('listNotes')
    expect(corrections).toHaveLength(1)
    expect(Math.abs(corrections[0]! - 10 * 60_000)).toBeLessThan(5000)
  })
})

describe('graceful shutdown', () => {
  it('finishes requests in flight, then refuses connections', async () => {
    const own = await startLocalAppSync({
      schema: SCHEMA,
      resolvers: {
        Query: {
          slow: () =>
            new Promise((r) =>
              setTimeout(() => {
                r('done')
              }, 300),
            ),
        },
      },
    })
    const c = client(own, 'apiKey', { apiKey: own.apiKey! })
    const inFlight = c.request('{ slow }')
    await new Promise((r) => setTimeout(r, 50))
    await own.stop()
    await expect(inFlight).resolves.toEqual({ slow: 'done' })
    await expect(fetch(`${own.url}/health`)).rejects.toThrow()
    await expect(own.stop()).resolves.toBeUndefined()
  })
})

describe('persistence', () => {
  it('writes the data to persistTo and loads it on the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authmode-local-test-'))
    try {
      const file = join(dir, 'data.json')
      const first = await startLocalAppSync({ schema: SCHEMA, persistTo: file })
      const { createNote } = await client(first, 'apiKey', { apiKey: first.apiKey! }).request<{
        createNote: { id: string }
      }>('mutation { createNote(input: { text: "kept" }) { id } }')
      await first.stop()
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ Note: { [createNote.id]: { text: 'kept' } } })
      const second = await startLocalAppSync({ schema: SCHEMA, persistTo: file })
      try {
        await expect(
          client(second, 'apiKey', { apiKey: second.apiKey! }).request(
            'query ($id: ID!) { getNote(id: $id) { text } }',
            { id: createNote.id },
          ),
        ).resolves.toEqual({ getNote: { text: 'kept' } })
      } finally {
        await second.stop()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('configuration errors', () => {
  it.each([
    ['a schema that does not parse', { schema: 'type {' }, /does not parse/],
    [
      'public rules with user pools',
      { schema: 'type A @model @auth(rules: [{ allow: public, provider: userPools }]) { x: String }' },
      /does not support provider userPools/,
    ],
    [
      '@auth on a non-model type',
      { schema: 'type Query { a: A } type A @auth(rules: [{ allow: public }]) { x: String }' },
      /@auth is supported on @model types/,
    ],
    [
      'an unknown operation',
      { schema: 'type A @model @auth(rules: [{ allow: public, operations: [write] }]) { x: String }' },
      /unknown operation write/,
    ],
    [
      'a default mode that is not configured',
      { schema: SCHEMA, defaultAuthMode: 'userPool' as const },
      /defaultAuthMode userPool is not enabled/,
    ],
    ['an API key shorter than 8 characters', { schema: SCHEMA, apiKeys: ['short'] }, /at least 8 characters/],
  ])('%s is a ConfigurationError', async (_name, options, message) => {
    const error = await startLocalAppSync(options).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'ERR_CONFIGURATION', message: expect.stringMatching(message) })
  })
})

describe('logs', () => {
  it('say what happened without any key, token, secret or signature', () => {
    expect(logLines.some((line) => line.startsWith('POST /graphql 200 apiKey'))).toBe(true)
    expect(logLines.some((line) => line.startsWith('POST /graphql 200 iam backend'))).toBe(true)
    expect(logLines.some((line) => line.startsWith('POST /graphql 403 rejected: Signature expired'))).toBe(true)
    const all = logLines.join('\n')
    for (const secret of [server.apiKey!, backend.secretAccessKey]) expect(all).not.toContain(secret)
    expect(all).not.toMatch(/Signature=[0-9a-f]{64}/)
  })
})
