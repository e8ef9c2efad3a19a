// The SigV4 verifier (the AWS SDK's signer re-signing what was sent) against requests signed by the
// client's own signer: paths and queries as fetch sends them, for AppSync and the other services
// the signer supports; the payload hash always from the body received (issue 13 #9).
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSigV4Signer } from '@authmode/core/sigv4'
import { createCredentialStore } from '../identity-pool/credentialStore'
import { verifySigV4, type SignedRequest } from './sigv4'

const NOW = Date.parse('2026-11-26T04:00:00Z')
const clock = { now: () => NOW }
const REGION = 'eu-west-2'
const store = createCredentialStore({ clock })
const issued = store.issue({ kind: 'backend', name: 'test' }, 900)
const sign = createSigV4Signer()

/** Signs `url` with the client's signer for `service`, and returns the request as the server receives it. */
async function signed(
  url: string,
  service: string,
  body = '{"query":"{ a }"}',
  headers: Record<string, string> = {},
): Promise<SignedRequest> {
  const target = new URL(url)
  const request = await sign(
    { method: 'POST', url: target, headers: { 'content-type': 'application/json', ...headers }, body },
    issued,
    { region: REGION, service, signingDate: new Date(NOW) },
  )
  return {
    method: 'POST',
    path: `${target.pathname}${target.search}`,
    headers: { ...request.headers, host: target.host },
    body: new TextEncoder().encode(body),
  }
}

const verify = (request: SignedRequest, service?: string) =>
  verifySigV4(request, { region: REGION, credentials: store, clock, service })

describe('verifySigV4', () => {
  it.each([
    ['appsync', 'http://127.0.0.1:20002/graphql'],
    ['appsync', 'http://127.0.0.1:20002/a%20b/%2F/c%2Fd//e/?b=2&a=1&a=0&c&d=&e+f=g+h&%C3%A9=%E2%82%AC'],
    ['execute-api', 'https://a1b2.execute-api.eu-west-2.amazonaws.com/prod/items/a%2Fb?q=x%20y&q=!'],
    ['lambda', 'https://xyz.lambda-url.eu-west-2.on.aws/ሴ/😀/'],
    ['s3', 'https://bucket.s3.eu-west-2.amazonaws.com//key%20with%2Fslash//?x-id=PutObject'],
  ])('accepts what the client signs for %s: %s', async (service, url) => {
    expect(await verify(await signed(url, service), service)).toMatchObject({ ok: true })
  })

  it('refuses a path that changed after signing, even one that decodes to the same text', async () => {
    const request = await signed('http://127.0.0.1:20002/a%20b', 'appsync')
    expect(await verify({ ...request, path: '/a b' })).toMatchObject({ ok: false })
    expect(await verify({ ...request, path: '/a%2520b' })).toMatchObject({ ok: false })
  })

  it('refuses a query with a % that encodes no UTF-8, with a message that says so', async () => {
    const request = await signed('http://127.0.0.1:20002/graphql', 'appsync')
    const verified = await verify({ ...request, path: '/graphql?a=%E2%82' })
    expect(verified).toMatchObject({ ok: false, rejection: { status: 403, errorType: 'InvalidSignatureException' } })
    expect(!verified.ok && verified.rejection.message).toMatch(/encodes no UTF-8/)
  })

  it('issue 13 #9: hashes the body received: a signed x-amz-content-sha256 of another body is refused', async () => {
    const other = '{"query":"mutation { b }"}'
    const request = await signed('http://127.0.0.1:20002/graphql', 'appsync', other, {
      'x-amz-content-sha256': createHash('sha256').update(other).digest('hex'),
    })
    // Control: over the body it names, the header is accepted.
    expect(await verify(request)).toMatchObject({ ok: true })
    const verified = await verify({ ...request, body: new TextEncoder().encode('{"query":"{ a }"}') })
    expect(verified).toMatchObject({ ok: false, rejection: { status: 403, errorType: 'InvalidSignatureException' } })
  })

  it('issue 13 #9: refuses UNSIGNED-PAYLOAD', async () => {
    const request = await signed('http://127.0.0.1:20002/graphql', 'appsync', undefined, {
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    })
    const verified = await verify(request)
    expect(verified).toMatchObject({ ok: false, rejection: { status: 403 } })
    expect(!verified.ok && verified.rejection.message).toMatch(/UNSIGNED-PAYLOAD/)
  })

  it('refuses a service other than the one it verifies', async () => {
    const request = await signed('http://127.0.0.1:20002/graphql', 'execute-api')
    expect(await verify(request)).toMatchObject({ ok: false, rejection: { status: 403 } })
  })
})
