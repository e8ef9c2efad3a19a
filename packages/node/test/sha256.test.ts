import { createHash, createHmac } from 'node:crypto'
import { Sha256 } from '@aws-crypto/sha256-js'
import { describe, expect, it } from 'vitest'
import { createSigV4Signer } from '@authmode/core/sigv4'
import { NodeSha256 } from '../src/sha256'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('NodeSha256', () => {
  it('hashes strings as UTF-8 and bytes as they are, like the JS implementation', async () => {
    for (const input of ['', 'abc', 'ሴ € 😀', new Uint8Array([0, 1, 2, 255])]) {
      const js = new Sha256()
      js.update(input)
      expect(hex(withUpdates(new NodeSha256(), input).digest())).toBe(hex(await js.digest()))
      expect(hex(withUpdates(new NodeSha256(), input).digest())).toBe(createHash('sha256').update(input).digest('hex'))
    }
  })

  it('answers synchronously, with the same digest for one update, several updates or none', () => {
    const expected = createHash('sha256').update('ab€c').digest('hex')
    const digest = withUpdates(new NodeSha256(), 'ab€c').digest()
    expect(digest).toBeInstanceOf(Uint8Array)
    expect(hex(digest)).toBe(expected)
    expect(hex(withUpdates(new NodeSha256(), 'ab', '€c').digest())).toBe(expected)
    expect(hex(withUpdates(new NodeSha256(), 'ab', new TextEncoder().encode('€'), 'c').digest())).toBe(expected)
    expect(hex(withUpdates(new NodeSha256(), new TextEncoder().encode('ab€'), 'c').digest())).toBe(expected)
    expect(hex(new NodeSha256().digest())).toBe(createHash('sha256').digest('hex'))
  })

  it('gives the same digest as hex (what the signer reads), for one update, several, none, and an HMAC', () => {
    const expected = createHash('sha256').update('ab€c').digest('hex')
    expect(withUpdates(new NodeSha256(), 'ab€c').hexDigest()).toBe(expected)
    expect(withUpdates(new NodeSha256(), 'ab', new TextEncoder().encode('€c')).hexDigest()).toBe(expected)
    expect(new NodeSha256().hexDigest()).toBe(createHash('sha256').digest('hex'))
    expect(withUpdates(new NodeSha256('key'), 'data').hexDigest()).toBe(
      createHmac('sha256', 'key').update('data').digest('hex'),
    )
  })

  it('is an HMAC with a secret given as a string, an ArrayBuffer or a view into a larger buffer', async () => {
    const key = new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2, 1])
    const view = new Uint8Array(new Uint8Array([42, ...key, 42]).buffer, 1, key.length)
    for (const secret of ['AWS4secret', key.buffer, view]) {
      const js = new Sha256(secret)
      js.update('data')
      expect(hex(withUpdates(new NodeSha256(secret), 'data').digest())).toBe(hex(await js.digest()))
    }
    expect(hex(withUpdates(new NodeSha256(view), 'da', 'ta').digest())).toBe(
      createHmac('sha256', Buffer.from(key)).update('data').digest('hex'),
    )
  })
})

describe('createSigV4Signer with NodeSha256', () => {
  it('signs exactly as with the default JS hash (300 B, 30 KB and binary bodies, with and without a session token)', async () => {
    const node = createSigV4Signer({ sha256: NodeSha256 })
    const js = createSigV4Signer()
    const options = { region: 'us-east-1', service: 'appsync', signingDate: new Date('2024-01-02T03:04:05Z') }
    const base = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
    for (const body of ['x'.repeat(300), '€'.repeat(10 * 1024), new Uint8Array([0x00, 0xff, 0xc3, 0x28])]) {
      for (const credentials of [base, { ...base, sessionToken: 'IQoJb3JpZ2luEXAMPLE' }]) {
        const request = {
          method: 'POST',
          url: new URL('https://abc.appsync-api.us-east-1.amazonaws.com/graphql?a=1'),
          headers: { 'content-type': 'application/json' },
          body,
        }
        const signed = await node(request, credentials, options)
        expect(signed.headers['authorization']).toMatch(/Signature=[0-9a-f]{64}$/)
        expect(signed).toEqual(await js(request, credentials, options))
      }
    }
  })
})

function withUpdates(hash: NodeSha256, ...parts: (Uint8Array | string)[]): NodeSha256 {
  for (const part of parts) hash.update(part)
  return hash
}
