// Our SigV4 signer against the AWS SDK's (@smithy/signature-v4) on 5,000 random requests per
// service (issue 14, decision 2): the whole authorization header, and the x-amz-content-sha256 S3
// requires, must agree on every one. Then the checker itself: a one-byte change planted in our
// canonical request must be reported.
import { describe, expect, it } from 'vitest'
import { createHash, createHmac } from 'node:crypto'
import { createSigV4Signer } from '../src/sigv4/createSigV4Signer'
import type { Sha256Constructor, Signer } from '../src/sigv4/signer'
import { disagreements } from './differential/compare'
import { SERVICES, generateRequests, type GeneratedRequest } from './differential/requests'

const PER_SERVICE = 5_000
const SEED = 0x14d1ff

const generated = new Map(SERVICES.map((service, i) => [service, generateRequests(service, PER_SERVICE, SEED + i)]))

describe('SigV4 differential test: our signer and @smithy/signature-v4 agree', () => {
  it.each(SERVICES)(`on ${PER_SERVICE} random requests for %s (authorization and x-amz-* headers)`, async (service) => {
    const requests = generated.get(service) ?? []
    expect(requests).toHaveLength(PER_SERVICE)
    expect(await disagreements(requests)).toEqual([])
  })

  it('covers the cases where signers part ways, in every service', () => {
    for (const [service, requests] of generated) {
      const count = (test: (request: GeneratedRequest) => boolean): number => requests.filter(test).length
      const written = (pattern: RegExp) => (request: GeneratedRequest) =>
        pattern.test(request.written.split('?')[0] ?? '')
      const search = (pattern: RegExp) => (request: GeneratedRequest) => pattern.test(request.request.url.search)
      const cases = {
        'a space in the path': written(/ |%20/),
        'unicode in the path': written(/[^ -~]|%C3|%c3/),
        '%2F in the path': written(/%2F/i),
        'a double slash': written(/\/\//),
        'a dot segment': written(/\/\.\.?(\/|$)|%2e/i),
        'a stray %': written(/%(?![0-9A-F]{2})|%E2%82(?!%)/i),
        'a repeated query key': (request: GeneratedRequest) => {
          const names = request.request.url.search
            .slice(1)
            .split('&')
            .map((pair) => pair.split('=')[0])
          return new Set(names).size < names.length
        },
        'an empty query value': search(/=(&|$)/),
        'a query name without =': search(/(^\?|&)[^=&]+(&|$)/),
        'a + in the query': search(/\+/),
        'a reserved character in the query': search(/[!'()*:@/?]|%3D|%26/),
        'unicode in the query': search(/%E2|%C3|%c3|%E1|%F0/),
        'a query no signer can decode': search(/%E2%82(?!%)|%(?![0-9A-Fa-f]{2})|%ZZ|%ED%A0/),
        'a padded or folded header value': (request: GeneratedRequest) =>
          Object.values(request.request.headers).some((value) => /^\s|\s$|\s\s|\r\n/.test(value)),
        'a repeated header value': (request: GeneratedRequest) =>
          Object.values(request.request.headers).some((value) => value.includes(',')),
        'a mixed-case header name': (request: GeneratedRequest) =>
          Object.keys(request.request.headers).some((name) => /[A-Z]/.test(name)),
        'an unsignable header': (request: GeneratedRequest) =>
          Object.keys(request.request.headers).some((name) => /^(user-agent|sec-|proxy-|cache-control)/i.test(name)),
        'no body': (request: GeneratedRequest) => request.request.body === undefined,
        'an empty body': (request: GeneratedRequest) => request.request.body === '',
        'a text body': (request: GeneratedRequest) =>
          typeof request.request.body === 'string' && request.request.body !== '',
        'a binary body': (request: GeneratedRequest) => request.request.body instanceof Uint8Array,
        'a session token': (request: GeneratedRequest) => request.credentials.sessionToken !== undefined,
        'no session token': (request: GeneratedRequest) => request.credentials.sessionToken === undefined,
        'a method other than POST': (request: GeneratedRequest) => request.request.method !== 'POST',
      }
      for (const [name, test] of Object.entries(cases)) {
        // Every case at least 20 times (the rarest, an undecodable query, is about 1% of requests).
        expect(count(test), `${service}: ${name}`).toBeGreaterThanOrEqual(20)
      }
    }
  })
})

/**
 * A hash (node:crypto) that changes one byte of the canonical request (the one unkeyed hash of a
 * text that starts `METHOD\n/`) with `plant` before hashing it: our signer with a one-byte bug.
 */
function plantedHash(plant: (canonical: string) => string): Sha256Constructor {
  return class {
    private readonly hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>
    private readonly keyed: boolean
    constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
      this.keyed = secret !== undefined
      this.hash =
        secret === undefined
          ? createHash('sha256')
          : createHmac(
              'sha256',
              typeof secret === 'string'
                ? secret
                : new Uint8Array(
                    ArrayBuffer.isView(secret)
                      ? secret.buffer.slice(secret.byteOffset, secret.byteOffset + secret.byteLength)
                      : secret,
                  ),
            )
    }
    update(data: string | Uint8Array): void {
      this.hash.update(!this.keyed && typeof data === 'string' && /^[A-Z]+\n\//.test(data) ? plant(data) : data)
    }
    digest(): Uint8Array {
      return this.hash.digest()
    }
  }
}

describe('the differential checker', () => {
  const sample = SERVICES.flatMap((service) => (generated.get(service) ?? []).slice(0, 100))
  // The requests both signers sign (a query that cannot be decoded is refused by both).
  const signable = (): GeneratedRequest[] =>
    sample.filter((request) => !/%E2%82(?!%)|%(?![0-9A-Fa-f]{2})|%ZZ|%ED%A0/.test(request.request.url.search))

  it('reports nothing when the planted change is no change (the wrapper alone breaks nothing)', async () => {
    expect(await disagreements(sample, createSigV4Signer({ sha256: plantedHash((canonical) => canonical) }))).toEqual(
      [],
    )
  })

  it.each([
    ['the last byte of the payload hash', (c: string) => `${c.slice(0, -1)}${c.endsWith('0') ? '1' : '0'}`],
    ['the first byte of the path', (c: string) => c.replace('\n/', '\n_')],
    ['one byte of the host header line', (c: string) => c.replace('\nhost:', '\nhost;')],
    ['a byte appended to the signed header names', (c: string) => c.replace(/\n([^\n]*)\n([^\n]*)$/, '\n$1;\n$2')],
  ])('reports every request when one byte of our canonical request changes: %s', async (_name, plant) => {
    const requests = signable()
    const found = await disagreements(requests, createSigV4Signer({ sha256: plantedHash(plant) }))
    expect(found).toHaveLength(requests.length)
    for (const disagreement of found) expect(disagreement.differs).toEqual(['authorization'])
  })

  it('reports a request one signer refuses and the other signs', async () => {
    const refusing: Signer = () => Promise.reject(new URIError('planted refusal'))
    const requests = signable().slice(0, 10)
    const found = await disagreements(requests, refusing)
    expect(found.map((disagreement) => disagreement.differs)).toEqual(requests.map(() => ['refused']))
  })
})
