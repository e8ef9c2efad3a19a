// Random requests for the SigV4 differential test, from a seeded generator (mulberry32): the same
// requests on every run. Each one mixes the cases where signers part ways: paths with spaces,
// unicode, `%2F`, double slashes, dot segments and stray `%`; queries with repeated keys, empty
// values, `+`, reserved and unicode characters; mixed-case header names with repeated, padded and
// folded values; empty, text and binary bodies; credentials with and without a session token.
import type { AwsCredentialIdentity, HttpRequest } from '../../src/auth/types'

export const SERVICES = ['appsync', 'execute-api', 'lambda', 's3'] as const
export type Service = (typeof SERVICES)[number]

export interface GeneratedRequest {
  readonly service: Service
  readonly region: string
  readonly credentials: AwsCredentialIdentity
  readonly request: HttpRequest
  /** The path and query as written, before `new URL` normalized them. */
  readonly written: string
}

export const SIGNING_DATE = new Date('2024-05-06T07:08:09Z')

const KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const SESSION = { ...KEYS, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/SESSION+TOKEN==' }

const HOSTS: Readonly<Record<Service, readonly string[]>> = {
  appsync: ['abc123.appsync-api.us-east-1.amazonaws.com', '127.0.0.1:20002'],
  'execute-api': ['a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com', 'localhost:8080'],
  lambda: ['xyz.lambda-url.us-west-2.on.aws', '[::1]:9000'],
  s3: ['bucket.s3.us-east-1.amazonaws.com', 's3.amazonaws.com'],
}
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']
const SEGMENTS = [
  'graphql',
  'a',
  'Z9',
  '',
  '.',
  '..',
  '%2e',
  '%2E%2E',
  'a b',
  'a%20b',
  'a+b',
  'a%2Fb',
  '%2F',
  '%2f',
  'a%252Fb',
  'é',
  '%C3%A9',
  '%c3%a9',
  '€uro',
  '😀',
  'ሴ',
  "!'()*",
  ';,=:@$&',
  '~user_1-x.y',
  '%7E',
  '%41',
  '%',
  '%ZZ',
  '%E2%82',
  'a%00b',
  '"<>`{}|^',
  '[x]',
]
const NAMES = ['a', 'A', 'b', 'a-b', 'a_b', 'a.b', 'key', 'Param1', 'é', '😀', 'a b', 'a+b', '%2B', '%26', '%3D', '']
const VALUES = [
  '',
  '1',
  'v',
  'Value',
  'a b',
  'a+b',
  '%20',
  '%2B',
  '€',
  '%E2%82%AC',
  '=',
  '==x',
  '/',
  '?',
  ':@',
  "!'()*",
  '%7E',
  '~',
  '%3D%26',
  '%c3%a9',
  'ሴ',
  '[]',
]
// Rare: a `%` that encodes no UTF-8 in a query, which neither signer can decode.
const BAD_VALUES = ['%E2%82', '%', '%ZZ', '%ED%A0%80']
const HEADER_NAMES = [
  'Content-Type',
  'content-type',
  'Accept',
  'X-Custom',
  'x-amz-meta-Key',
  'X-Amz-User-Agent',
  'X-Api-Client',
  'x-tab',
  'User-Agent',
  'Cache-Control',
  'Sec-Fetch-Mode',
  'Proxy-Thing',
  'X-Amzn-Trace-Id',
  'Referer',
  'Expect',
  'Date',
  'X-Amz-Date',
  'Authorization',
  'Host',
  'X-Amz-Security-Token',
  'X-Amz-Content-Sha256',
]
const HEADER_VALUES = [
  'v',
  'application/json; charset=UTF-8',
  '  padded  ',
  'a   b',
  '\ttab\tsep\t',
  'a, a',
  'a,b,a,b',
  'line\r\n folded',
  'UPPER lower',
  '',
  ' ',
  'é€',
  'x'.repeat(300),
]
const BODY_TEXT = ['{"query":"{ a }"}', 'plain text', 'line\r\nbreaks\n', 'é€😀ሴ', '{"variables":{"s":"\\u0000"}}']

function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

/** `count` requests for `service`, the same for the same seed. */
export function generateRequests(service: Service, count: number, seed: number): GeneratedRequest[] {
  const next = random(seed)
  const int = (below: number): number => Math.floor(next() * below)
  const pick = <T>(values: readonly T[]): T => values[int(values.length)] as T
  const chance = (p: number): boolean => next() < p

  const path = (): string => {
    const segments = Array.from({ length: int(6) }, () => pick(SEGMENTS))
    return `${chance(0.15) ? '/' : ''}/${segments.join('/')}${chance(0.3) ? '/' : ''}`
  }
  const query = (): string => {
    if (chance(0.35)) return chance(0.1) ? '?' : ''
    const pairs: string[] = []
    for (let i = int(6); i >= 0; i--) {
      const name = pick(NAMES)
      if (chance(0.1)) pairs.push(name)
      else pairs.push(`${name}=${chance(0.01) ? pick(BAD_VALUES) : pick(VALUES)}`)
      if (chance(0.2)) pairs.push(`${name}=${pick(VALUES)}`) // a repeated key
      if (chance(0.05)) pairs.push('')
      if (chance(0.03)) pairs.push('X-Amz-Signature=ignored')
    }
    return `?${pairs.join('&')}`
  }
  const headers = (): Record<string, string> => {
    // One spelling per name, as a Headers object holds it: keyed by the lower-case name.
    const result = new Map<string, [name: string, value: string]>()
    for (let i = int(7); i > 0; i--) {
      const name = pick(HEADER_NAMES)
      const value =
        name === 'X-Amz-Content-Sha256'
          ? pick(['UNSIGNED-PAYLOAD', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'])
          : chance(0.2)
            ? `${pick(HEADER_VALUES)},${pick(HEADER_VALUES)}`
            : pick(HEADER_VALUES)
      result.set(name.toLowerCase(), [name, value])
    }
    return Object.fromEntries(result.values())
  }
  const body = (): string | Uint8Array | undefined => {
    const kind = int(5)
    if (kind === 0) return undefined
    if (kind === 1) return ''
    if (kind === 2) return Array.from({ length: int(4) + 1 }, () => pick(BODY_TEXT)).join('')
    const bytes = Uint8Array.from({ length: int(300) }, () => int(256))
    // A view into a larger buffer: only its own bytes count.
    return kind === 3 ? bytes : new Uint8Array(Uint8Array.from([7, ...bytes, 7]).buffer, 1, bytes.length)
  }

  return Array.from({ length: count }, () => {
    const written = `${path()}${query()}`
    return {
      service,
      region: pick(['us-east-1', 'eu-west-2']),
      credentials: chance(0.5) ? SESSION : KEYS,
      request: {
        method: pick(METHODS),
        url: new URL(`https://${pick(HOSTS[service])}${written}`),
        headers: headers(),
        body: body(),
      },
      written,
    }
  })
}
