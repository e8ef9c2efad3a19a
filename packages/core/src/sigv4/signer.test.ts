import { describe, it, expect } from 'vitest'
import type { HttpRequest } from '../auth/types'
import { createSigV4Signer } from './signer'

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

  it('adds no x-amz-content-sha256 header', async () => {
    const signed = await sign(request(), credentials, options)
    expect(signed.headers).not.toHaveProperty('x-amz-content-sha256')
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
