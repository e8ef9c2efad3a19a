import { describe, it, expect } from 'vitest'
import type { HttpRequest } from '../auth/types'
import { redact, redactDeep, secretsOf } from './redact'

const SIGNATURE = 'd2e0c1f7a96b3f0e55b1c8f4a1e7d0b2c3a4f5e6d7c8b9a0f1e2d3c4b5a69788'
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampleSessionToken=='
const SIGV4_AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240102/us-east-1/appsync/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=${SIGNATURE}`

// A server message with the credentials `sent` carried as the secrets (what the client does).
const redactServerMessage = (message: string, sent: HttpRequest | undefined): string =>
  redact(message, secretsOf(sent?.headers))

function request(headers: Record<string, string>): HttpRequest {
  return {
    method: 'POST',
    url: new URL('https://example.appsync-api.us-east-1.amazonaws.com/graphql'),
    headers,
    body: '{}',
  }
}

describe('redactServerMessage', () => {
  it('cuts the canonical string and everything after it', () => {
    const message = [
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      '',
      'The Canonical String for this request should have been',
      "'POST",
      '/graphql',
      '',
      'host:example.appsync-api.us-east-1.amazonaws.com',
      `x-amz-security-token:${SESSION_TOKEN}`,
      "'",
      '',
      'The String-to-Sign should have been',
      "'AWS4-HMAC-SHA256'",
    ].join('\n')
    const redacted = redactServerMessage(message, undefined)
    expect(redacted).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    )
    expect(redacted).not.toContain(SESSION_TOKEN)
  })

  it('cuts the canonical string whatever its case', () => {
    expect(redactServerMessage('Mismatch. the canonical string for this request should have been x', undefined)).toBe(
      'Mismatch.',
    )
  })

  it('masks the API key that was sent', () => {
    const apiKey = 'da2-abcdefghijklmnopqrstuvwxyz'
    const redacted = redactServerMessage(`API key ${apiKey} is invalid (${apiKey})`, request({ 'x-api-key': apiKey }))
    expect(redacted).toBe('API key [redacted] is invalid ([redacted])')
  })

  it('masks the token that was sent as authorization', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'
    expect(redactServerMessage(`Token ${token} has expired`, request({ authorization: token }))).toBe(
      'Token [redacted] has expired',
    )
  })

  it('masks the session token that was sent', () => {
    const redacted = redactServerMessage(
      `The security token included in the request is invalid: ${SESSION_TOKEN}`,
      request({ 'x-amz-security-token': SESSION_TOKEN }),
    )
    expect(redacted).not.toContain(SESSION_TOKEN)
    expect(redacted).toContain('[redacted]')
  })

  it('masks a SigV4 authorization header whole, and its signature on its own', () => {
    const sent = request({ authorization: SIGV4_AUTHORIZATION, 'x-amz-date': '20240102T030405Z' })
    expect(redactServerMessage(`Bad header: ${SIGV4_AUTHORIZATION}`, sent)).toBe('Bad header: [redacted]')
    const redacted = redactServerMessage(`The signature ${SIGNATURE} does not match`, sent)
    expect(redacted).toBe('The signature [redacted] does not match')
  })

  it('keeps values that are not credentials', () => {
    const sent = request({ 'x-amz-date': '20240102T030405Z', 'content-type': 'application/json; charset=UTF-8' })
    expect(redactServerMessage('Signature expired: 20240102T030405Z is now earlier than 20240102T031000Z', sent)).toBe(
      'Signature expired: 20240102T030405Z is now earlier than 20240102T031000Z',
    )
  })

  it('does not mask very short values, which would garble the message', () => {
    expect(redactServerMessage('Unauthorized: abc', request({ authorization: 'abc' }))).toBe('Unauthorized: abc')
  })

  it('caps the length', () => {
    const redacted = redactServerMessage('words '.repeat(200), undefined)
    expect(redacted.length).toBeLessThanOrEqual(301)
    expect(redacted).toBe(`${'words '.repeat(50)}…`)
    expect(redactServerMessage('short message', undefined)).toBe('short message')
  })

  it('masks before it cuts to length, so no part of a credential is left at the cut', () => {
    const apiKey = 'da2-abcdefghijklmnopqrstuvwxyz'
    const redacted = redactServerMessage(`${'word '.repeat(58)}${apiKey}`, request({ 'x-api-key': apiKey }))
    expect(redacted).not.toContain('da2-')
    expect(redacted).toContain('[redacted]')
  })

  it('masks secrets it was not told of when they look like one: JWTs and long opaque runs', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'
    const encoded = 'eyJob3N0IjoiZXhhbXBsZS5jb20iLCJ4LWFwaS1rZXkiOiJkYTItc2VjcmV0In0'
    expect(redact(`Token ${jwt} was refused`, [])).toBe('Token [redacted] was refused')
    expect(redact(`Bad header ${encoded}`, [])).toBe('Bad header [redacted]')
    expect(redact('Validation error of type FieldUndefined: Field `nope` is undefined', [])).toBe(
      'Validation error of type FieldUndefined: Field `nope` is undefined',
    )
  })

  it('masks each secret given, from 4 characters on (a password in a Cognito message)', () => {
    expect(redact('Incorrect password hunter2 for alice', ['hunter2', 'abc'])).toBe(
      'Incorrect password [redacted] for alice',
    )
  })
})

describe('redactDeep', () => {
  const apiKey = 'da2-abcdefghijklmnopqrstuvwxyz'
  it('puts every string value of parsed JSON through the policy', () => {
    const long = 'words '.repeat(80)
    expect(redactDeep({ a: [`key ${apiKey}`, 1, null, { b: long }], c: true }, [apiKey])).toEqual({
      a: ['key [redacted]', 1, null, { b: `${'words '.repeat(50)}…` }],
      c: true,
    })
    expect(redactDeep(undefined as unknown, [apiKey])).toBeUndefined()
  })

  it('with onlySecrets, masks the secrets and nothing else (no cut, no pattern)', () => {
    const long = 'word '.repeat(100)
    const opaque = 'A'.repeat(60)
    expect(redactDeep({ long, opaque, key: apiKey }, [apiKey], true)).toEqual({ long, opaque, key: '[redacted]' })
  })
})
