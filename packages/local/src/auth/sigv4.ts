// SigV4 verification with the AWS SDK's own signer (@smithy/signature-v4), independent of the
// client's signer: the request is re-signed over exactly the headers it says it signed and the
// hash of the body bytes received, and the two signatures are compared in constant time. So every
// end-to-end test checks the client's signer against the AWS SDK's.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import type { Clock } from '@authmode/core'
import type { CredentialStore, IssuedCredentials } from '../identity-pool/types'
import { invalidSignature, unauthorized, type Verified } from './rejection'

const WINDOW_MS = 5 * 60 * 1000
const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

/** What the verifier needs of a request: what was sent, as sent. */
export interface SignedRequest {
  readonly method: string
  /** Path and query as sent (`/graphql`). */
  readonly path: string
  /** Header names lower-cased; repeated headers joined with `,`. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

export interface SigV4VerifierOptions {
  readonly region: string
  readonly credentials: CredentialStore
  readonly clock: Clock
  /** The service in the credential scope: `appsync` unless given (`s3` signs its path as sent). */
  readonly service?: string | undefined
}

/** The refusal of issued credentials past their expiration (the service routes answer it as `ExpiredTokenException`). */
export const EXPIRED_CREDENTIALS = 'The security token included in the request is expired.'

/**
 * Verifies SigV4 requests (service `appsync` unless told otherwise, the API's region, 5-minute
 * window). The payload hash is always that of the body received: an `x-amz-content-sha256` must
 * equal it, and `UNSIGNED-PAYLOAD` is refused (AppSync signs bodies).
 */
export async function verifySigV4(
  request: SignedRequest,
  options: SigV4VerifierOptions,
): Promise<Verified<IssuedCredentials>> {
  const expectedService = options.service ?? 'appsync'
  const match = AUTHORIZATION.exec(request.headers['authorization'] ?? '')
  if (!match) return invalidSignature('Authorization header is not a well-formed AWS4-HMAC-SHA256 signature.')
  const [, credential = '', signedHeaderList = '', signature = ''] = match
  const [accessKeyId = '', date = '', region, service, terminator, ...rest] = credential.split('/')
  if (rest.length > 0 || terminator !== 'aws4_request') {
    return invalidSignature('Credential should be scoped with a valid terminator: aws4_request.')
  }
  if (service !== expectedService) {
    return invalidSignature(`Credential should be scoped to correct service: '${expectedService}'.`)
  }
  if (region !== options.region) {
    return invalidSignature(`Credential should be scoped to a valid region: '${options.region}'.`)
  }

  const amzDate = request.headers['x-amz-date'] ?? ''
  const signedAt = parseAmzDate(amzDate)
  if (signedAt === undefined) return invalidSignature('x-amz-date is missing or not in the YYYYMMDDTHHMMSSZ format.')
  if (!amzDate.startsWith(date)) return invalidSignature('Credential date does not match x-amz-date.')
  const now = options.clock.now()
  if (signedAt < now - WINDOW_MS) {
    return invalidSignature(
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - WINDOW_MS)} (${formatAmzDate(now)} - 5 min.)`,
    )
  }
  if (signedAt > now + WINDOW_MS) {
    return invalidSignature(
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + WINDOW_MS)} (${formatAmzDate(now)} + 5 min.)`,
    )
  }

  const known = options.credentials.lookup(accessKeyId)
  if (!known) return unauthorized('The security token included in the request is invalid (unknown access key).')
  if (known.expiration && known.expiration.getTime() <= now) {
    return unauthorized(EXPIRED_CREDENTIALS)
  }

  const signedNames = signedHeaderList.split(';')
  if (!signedNames.includes('host') || !signedNames.includes('x-amz-date')) {
    return invalidSignature('host and x-amz-date must be signed.')
  }
  const sentToken = request.headers['x-amz-security-token']
  if (known.sessionToken !== undefined) {
    if (sentToken === undefined || !signedNames.includes('x-amz-security-token')) {
      return unauthorized(
        'The security token included in the request is invalid (temporary credentials need x-amz-security-token, signed).',
      )
    }
    if (!constantTimeEqual(sentToken, known.sessionToken)) {
      return unauthorized('The security token included in the request is invalid.')
    }
  } else if (sentToken !== undefined) {
    return unauthorized(
      'The security token included in the request is invalid (these credentials have no session token).',
    )
  }

  // The payload hash comes from the bytes received, never from the request's word for it.
  const payloadHash = createHash('sha256').update(request.body).digest('hex')
  const claimed = request.headers['x-amz-content-sha256']
  if (claimed === 'UNSIGNED-PAYLOAD') return invalidSignature('UNSIGNED-PAYLOAD is not accepted: sign the body.')
  if (claimed !== undefined && claimed !== payloadHash) {
    return invalidSignature('x-amz-content-sha256 is not the SHA-256 of the body received.')
  }

  const headers: Record<string, string> = {}
  for (const name of signedNames) {
    const value = request.headers[name]
    if (value === undefined) return invalidSignature(`Signed header ${name} is missing from the request.`)
    headers[name] = value
  }
  const at = request.path.indexOf('?')
  let query: Record<string, string | string[]>
  try {
    query = parseQuery(at < 0 ? '' : request.path.slice(at + 1))
  } catch {
    return invalidSignature('The query string holds a % that encodes no UTF-8.')
  }
  const signer = new SignatureV4({
    service: expectedService,
    region: options.region,
    credentials: {
      accessKeyId: known.accessKeyId,
      secretAccessKey: known.secretAccessKey,
      ...(known.sessionToken === undefined ? {} : { sessionToken: known.sessionToken }),
    },
    sha256: NodeHash,
    // As the AWS SDK configures it: S3 signs the path as sent, every other service escapes it again.
    uriEscapePath: expectedService !== 's3',
    applyChecksum: false,
  })
  const resigned = await signer.sign(
    {
      method: request.method,
      protocol: 'https:',
      hostname: headers['host'] ?? '',
      path: at < 0 ? request.path : request.path.slice(0, at),
      query,
      headers,
      body: request.body,
    },
    // Every header the request signed, even those the AWS SDK would not sign itself.
    { signingDate: new Date(signedAt), signableHeaders: new Set(signedNames) },
  )
  const expected = /Signature=([0-9a-f]{64})$/.exec(resigned.headers['authorization'] ?? '')?.[1] ?? ''
  if (!constantTimeEqual(expected, signature)) {
    // Unlike AppSync, the canonical request is not quoted: it holds the session token.
    return invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    )
  }
  return { ok: true, value: known }
}

/**
 * The query as the AWS SDK holds it before signing: names and values decoded with
 * `decodeURIComponent` (a `+` stays a plus), a name without `=` given an empty value, repeated
 * names collected. Throws a URIError on a `%` that encodes no UTF-8.
 */
export function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>
  for (const pair of search.split('&')) {
    if (pair === '') continue
    const at = pair.indexOf('=')
    const name = decodeURIComponent(at < 0 ? pair : pair.slice(0, at))
    const value = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1))
    const existing = query[name]
    query[name] = existing === undefined ? value : [existing, value].flat()
  }
  return query
}

type HashInput = string | ArrayBuffer | ArrayBufferView

const toBytes = (data: HashInput): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data)

/** node:crypto in the AWS SDK's checksum shape (an HMAC when given a secret). */
class NodeHash {
  private readonly hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>
  constructor(secret?: HashInput) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret))
  }
  update(data: HashInput): void {
    this.hash.update(toBytes(data))
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()))
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8')
  const right = Buffer.from(b, 'utf8')
  return left.length === right.length && timingSafeEqual(left, right)
}

function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE.exec(value)
  if (!m) return undefined
  const time = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  return Number.isNaN(time) ? undefined : time
}

export function formatAmzDate(time: number): string {
  return new Date(time).toISOString().replace(/[:-]|\.\d{3}/g, '')
}
