import { createHash } from 'node:crypto'
import { Sha256 } from '@aws-crypto/sha256-js'
import { afterEach, describe, it, expect, vi } from 'vitest'
import type { AwsCredentialIdentity, HttpRequest } from '../auth/types'
import { verifySigV4, type SigV4Check } from '../../test/msw/sigv4'
import { createSigV4Signer } from './createSigV4Signer'
import type { Sha256Constructor } from './signer'

const signingDate = new Date('2024-01-02T03:04:05Z')
const options = { region: 'us-east-1', service: 'appsync', signingDate }
const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }
const sessionCredentials = { ...credentials, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN' }

function request(overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'POST',
    url: new URL('https://abc123.appsync-api.us-east-1.amazonaws.com/graphql'),
    headers: { accept: 'application/json', 'content-type': 'application/json; charset=UTF-8' },
    body: '{"query":"query Q { a }"}',
    ...overrides,
  }
}

describe('createSigV4Signer', () => {
  const sign = createSigV4Signer()

  it('adds authorization and x-amz-date, and keeps the request otherwise', async () => {
    const original = request()
    const signed = await sign(original, credentials, options)
    expect(signed.headers['x-amz-date']).toBe('20240102T030405Z')
    expect(signed.headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/20240102\/us-east-1\/appsync\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
    )
    expect(signed.headers['content-type']).toBe('application/json; charset=UTF-8')
    expect(signed.headers['accept']).toBe('application/json')
    expect(signed.method).toBe('POST')
    expect(signed.url).toBe(original.url)
    expect(signed.body).toBe(original.body)
  })

  it('signs host, x-amz-date and the headers sent', async () => {
    const signed = await sign(request(), credentials, options)
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(signed.headers['authorization'] ?? '')?.[1]?.split(';')
    expect(signedHeaders).toEqual(expect.arrayContaining(['accept', 'content-type', 'host', 'x-amz-date']))
  })

  it('puts service appsync (not appsync-api) and the region in the credential scope', async () => {
    const signed = await sign(request(), credentials, { ...options, region: 'eu-west-2' })
    expect(signed.headers['authorization']).toContain('/20240102/eu-west-2/appsync/aws4_request')
    expect(signed.headers['authorization']).not.toContain('appsync-api')
  })

  it('adds x-amz-security-token only when there is a session token', async () => {
    const without = await sign(request(), credentials, options)
    expect(without.headers).not.toHaveProperty('x-amz-security-token')

    const withToken = await sign(request(), sessionCredentials, options)
    expect(withToken.headers['x-amz-security-token']).toBe(sessionCredentials.sessionToken)
    expect(withToken.headers['authorization']).toMatch(/SignedHeaders=[^,]*x-amz-security-token/)
  })

  it('does not return a host header (fetch sets it) and returns lower-case names only', async () => {
    const signed = await sign(request(), sessionCredentials, options)
    expect(Object.keys(signed.headers)).not.toContain('host')
    for (const name of Object.keys(signed.headers)) expect(name).toBe(name.toLowerCase())
  })

  it('adds no x-amz-content-sha256 header for appsync, execute-api or lambda', async () => {
    for (const service of ['appsync', 'execute-api', 'lambda']) {
      const signed = await sign(request(), credentials, { ...options, service })
      expect(signed.headers).not.toHaveProperty('x-amz-content-sha256')
    }
  })

  it('adds a signed x-amz-content-sha256 of the body for s3 (S3 requires it), or keeps the one given', async () => {
    const body = request().body ?? ''
    const signed = await sign(request(), credentials, { ...options, service: 's3' })
    expect(signed.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'))
    expect(signed.headers['authorization']).toMatch(/SignedHeaders=[^,]*;x-amz-content-sha256;/)
    const given = request({ headers: { ...request().headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } })
    const unsigned = await sign(given, credentials, { ...options, service: 's3' })
    expect(unsigned.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD')
  })

  it('does not change the request it was given', async () => {
    const original = request()
    const headers = { ...original.headers }
    await sign(original, sessionCredentials, options)
    expect(original.headers).toEqual(headers)
  })

  it('gives the same signature for the same request, credentials and date', async () => {
    const first = await sign(request(), sessionCredentials, options)
    const second = await sign(request(), sessionCredentials, options)
    expect(second).toEqual(first)
    // A second signer instance agrees too.
    expect(await createSigV4Signer()(request(), sessionCredentials, options)).toEqual(first)
  })

  it('changes the signature when the body, the date or the secret changes', async () => {
    const signature = (signed: HttpRequest): string | undefined =>
      /Signature=([0-9a-f]+)/.exec(signed.headers['authorization'] ?? '')?.[1]
    const base = signature(await sign(request(), credentials, options))
    expect(signature(await sign(request({ body: '{"query":"query Q { b }"}' }), credentials, options))).not.toBe(base)
    expect(
      signature(await sign(request(), credentials, { ...options, signingDate: new Date('2024-01-02T03:04:06Z') })),
    ).not.toBe(base)
    expect(signature(await sign(request(), { ...credentials, secretAccessKey: 'other' }, options))).not.toBe(base)
  })

  it('replaces credential headers left on the request', async () => {
    const stale = request({
      headers: { ...request().headers, authorization: 'stale', 'x-amz-date': '20000101T000000Z' },
    })
    const signed = await sign(stale, credentials, options)
    expect(signed.headers['x-amz-date']).toBe('20240102T030405Z')
    expect(signed.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 /)
  })

  it('signs a URL with a port and a query string', async () => {
    const url = new URL('http://localhost:20002/graphql?b=2&a=1&a=0')
    const signed = await sign(request({ url }), credentials, options)
    expect(signed.url).toBe(url)
    expect(signed.headers['authorization']).toMatch(/Signature=[0-9a-f]{64}$/)
    expect(signed.headers).not.toHaveProperty('host')
  })
})

const signatureOf = (signed: HttpRequest): string | undefined =>
  /Signature=([0-9a-f]{64})$/.exec(signed.headers['authorization'] ?? '')?.[1]

/** What `aws4` (an independent implementation) says of a signed request, as the server receives it. */
function checkWithAws4(signed: HttpRequest, signedWith: AwsCredentialIdentity): SigV4Check {
  const body = signed.body ?? ''
  return verifySigV4(
    {
      method: signed.method,
      url: signed.url.href,
      headers: { ...signed.headers, host: signed.url.host },
      bodyText: typeof body === 'string' ? body : new TextDecoder().decode(body),
      bodyBytes: typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body),
      body: undefined,
      mode: 'iam',
      signature: signatureOf(signed),
    },
    signedWith,
  )
}

describe('createSigV4Signer against aws4', () => {
  // A seeded generator (mulberry32): the same requests on every run.
  let seed = 0x5164
  const next = (): number => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!

  it('signs 200 varied AppSync requests exactly as aws4 does (headers, whitespace, queries, bodies, tokens)', async () => {
    const sign = createSigV4Signer()
    for (let i = 0; i < 200; i++) {
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' }
      for (let k = 0; k < 3; k++) {
        headers[pick(['accept', 'x-api-client', 'x-amz-user-agent', 'x-custom'])] = pick([
          'v',
          '  spaced   out  ',
          'tab\tseparated',
          'é€😀',
          'a, b',
        ])
      }
      const body = pick(['', '{"query":"{ a }"}', `{"query":"mutation M { m }","variables":{"s":"${'€'.repeat(i)}"}}`])
      const url = new URL(
        pick(['https://abc.appsync-api.us-east-1.amazonaws.com/graphql', 'http://127.0.0.1:20002/graphql?b=2&a=1&a=0']),
      )
      const creds = pick([credentials, sessionCredentials])
      const signingDate = new Date(Date.UTC(2024, 0, 1 + (i % 3), 12, i % 60))
      const signed = await sign({ method: 'POST', url, headers, body }, creds, { ...options, signingDate })
      const check = checkWithAws4(signed, creds)
      expect(check.actual, `request ${i}`).toBe(check.expected)
    }
  })

  it('hashes a Uint8Array body as its exact bytes (0x00, 0xFF, invalid UTF-8), as aws4 does', async () => {
    const sign = createSigV4Signer()
    const bytes = new Uint8Array([0x00, 0xff, 0xc3, 0x28, 0x7b, 0xfe, 0x80])
    // A view into a larger buffer: only its own bytes count.
    const view = new Uint8Array(new Uint8Array([0x41, ...bytes, 0x42]).buffer, 1, bytes.length)
    for (const body of [bytes, view]) {
      const signed = await sign(request({ body }), sessionCredentials, options)
      expect(signed.body).toBe(body)
      const check = checkWithAws4(signed, sessionCredentials)
      expect(check.canonicalRequest.split('\n').at(-1)).toBe(createHash('sha256').update(bytes).digest('hex'))
      expect(check.actual).toBe(check.expected)
    }
    // Decoding the bytes as text (U+FFFD for each invalid sequence) would sign other bytes.
    const decoded = await sign(request({ body: new TextDecoder().decode(bytes) }), sessionCredentials, options)
    expect(signatureOf(decoded)).not.toBe(
      signatureOf(await sign(request({ body: bytes }), sessionCredentials, options)),
    )
    // A string is hashed as its UTF-8: the same signature as its encoded bytes.
    const text = '{"query":"{ a(s: \\"é€😀\\") }"}'
    expect(await sign(request({ body: new TextEncoder().encode(text) }), sessionCredentials, options)).toEqual({
      ...(await sign(request({ body: text }), sessionCredentials, options)),
      body: new TextEncoder().encode(text),
    })
  })

  it('uses an x-amz-content-sha256 header as the payload hash, as aws4 does', async () => {
    const signed = await createSigV4Signer()(
      request({ headers: { ...request().headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }),
      credentials,
      options,
    )
    expect(signed.headers['authorization']).toMatch(/SignedHeaders=[^,]*x-amz-content-sha256/)
    const check = checkWithAws4(signed, credentials)
    expect(check.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD')).toBe(true)
    expect(check.actual).toBe(check.expected)
  })
})

describe('createSigV4Signer details', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('drops a date header (x-amz-date replaces it) and returns unsignable headers without signing them', async () => {
    const signed = await createSigV4Signer()(
      request({
        headers: {
          ...request().headers,
          date: 'Tue, 02 Jan 2024 03:04:05 GMT',
          'user-agent': 'ua/1',
          'x-amzn-trace-id': 't',
        },
      }),
      credentials,
      options,
    )
    expect(signed.headers).not.toHaveProperty('date')
    expect(signed.headers['user-agent']).toBe('ua/1')
    expect(signed.headers['x-amzn-trace-id']).toBe('t')
    expect(signed.headers['authorization']).toContain('SignedHeaders=accept;content-type;host;x-amz-date,')
  })

  it('lower-cases header names given in another case', async () => {
    const sign = createSigV4Signer()
    const mixed = await sign(
      request({ headers: { Accept: 'application/json', 'Content-Type': 'application/json; charset=UTF-8' } }),
      credentials,
      options,
    )
    expect(mixed).toEqual(await sign(request(), credentials, options))
  })

  it('does not need crypto.subtle (pages served over http have none)', async () => {
    const expected = await createSigV4Signer()(request(), sessionCredentials, options)
    vi.stubGlobal('crypto', undefined)
    expect(globalThis.crypto).toBeUndefined()
    expect(await createSigV4Signer()(request(), sessionCredentials, options)).toEqual(expected)
  })

  it('takes a hash whose digest answers synchronously (as NodeSha256 does) and signs the same', async () => {
    // The default hash, @aws-crypto/sha256-js, answers with a promise; this one with the bytes.
    class SyncSha256 {
      private readonly hash: Sha256
      constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
        this.hash = new Sha256(secret)
      }
      update(data: Uint8Array | string): void {
        this.hash.update(data)
      }
      digest(): Uint8Array {
        return this.hash.digestSync()
      }
    }
    const expected = await createSigV4Signer()(request(), sessionCredentials, options)
    const sign = createSigV4Signer({ sha256: SyncSha256 })
    expect(await sign(request(), sessionCredentials, options)).toEqual(expected)
    expect(await sign(request(), sessionCredentials, options)).toEqual(expected)
  })

  it('derives the signing key once per secret, day, region and service: then two hashes and one HMAC a request', async () => {
    const made: ('hash' | 'hmac')[] = []
    const Counting: Sha256Constructor = class extends Sha256 {
      constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
        super(secret)
        made.push(secret === undefined ? 'hash' : 'hmac')
      }
    }
    const sign = createSigV4Signer({ sha256: Counting })
    await sign(request(), sessionCredentials, options)
    expect(made.filter((kind) => kind === 'hmac')).toHaveLength(5)
    made.length = 0
    await sign(request({ body: '{"query":"query Q { b }"}' }), sessionCredentials, options)
    await sign(request(), sessionCredentials, { ...options, signingDate: new Date('2024-01-02T23:59:59Z') })
    expect(made).toEqual(['hash', 'hash', 'hmac', 'hash', 'hash', 'hmac'])
  })

  it('signs correctly after the secret, the day, the region or the service changes (no stale key)', async () => {
    const sign = createSigV4Signer()
    const variants = [
      { creds: sessionCredentials, opts: options },
      { creds: { ...sessionCredentials, secretAccessKey: 'another-secret' }, opts: options },
      { creds: sessionCredentials, opts: { ...options, signingDate: new Date('2024-01-03T00:00:00Z') } },
      { creds: sessionCredentials, opts: { ...options, region: 'eu-west-1' } },
      { creds: sessionCredentials, opts: { ...options, service: 'execute-api' } },
      { creds: sessionCredentials, opts: options },
    ]
    const signatures = new Set<string | undefined>()
    for (const { creds, opts } of variants) {
      const signed = await sign(request(), creds, opts)
      // A fresh signer has no cached key: the same answer means the cache was not stale.
      expect(signed).toEqual(await createSigV4Signer()(request(), creds, opts))
      signatures.add(signatureOf(signed))
    }
    expect(signatures.size).toBe(5)
  })
})
