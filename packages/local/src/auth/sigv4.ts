// SigV4 verification, independent of the client's own signer: the request is
// re-signed with `aws4` over exactly the headers it says it signed and the exact body bytes, and
// the two signatures are compared in constant time.
import { timingSafeEqual } from 'node:crypto'
import aws4 from 'aws4'
import type { Clock } from '@authmode/core'
import type { CredentialStore, IssuedCredentials } from '../identity-pool/types'
import { invalidSignature, unauthorized, type Verified } from './rejection'

const WINDOW_MS = 5 * 60 * 1000
const SERVICE = 'appsync'
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
}

/** Verifies AppSync SigV4 requests (service `appsync`, the API's region, 5-minute window). */
export function verifySigV4(request: SignedRequest, options: SigV4VerifierOptions): Verified<IssuedCredentials> {
  const match = AUTHORIZATION.exec(request.headers['authorization'] ?? '')
  if (!match) return invalidSignature('Authorization header is not a well-formed AWS4-HMAC-SHA256 signature.')
  const [, credential = '', signedHeaderList = '', signature = ''] = match
  const [accessKeyId = '', date = '', region, service, terminator, ...rest] = credential.split('/')
  if (rest.length > 0 || terminator !== 'aws4_request') {
    return invalidSignature('Credential should be scoped with a valid terminator: aws4_request.')
  }
  if (service !== SERVICE) return invalidSignature(`Credential should be scoped to correct service: '${SERVICE}'.`)
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
    return unauthorized('The security token included in the request is expired.')
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

  const headers: Record<string, string> = {}
  const include: Record<string, boolean> = {}
  for (const name of signedNames) {
    const value = request.headers[name]
    if (value === undefined) return invalidSignature(`Signed header ${name} is missing from the request.`)
    headers[name] = value
    include[name] = true
  }
  const expected = resign(request, headers, include, { region: options.region, amzDate, known })
  if (!constantTimeEqual(expected, signature)) {
    // Unlike AppSync, the canonical request is not quoted: it holds the session token.
    return invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    )
  }
  return { ok: true, value: known }
}

interface ResignContext {
  readonly region: string
  readonly amzDate: string
  readonly known: IssuedCredentials
}

function resign(
  request: SignedRequest,
  headers: Record<string, string>,
  include: Record<string, boolean>,
  { region, amzDate, known }: ResignContext,
): string {
  const signer = new aws4.RequestSigner(
    {
      method: request.method,
      host: headers['host'],
      path: request.path,
      headers,
      body: Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength),
      service: SERVICE,
      region,
      // Sign what was signed, nothing added (aws4 would add content-type/length and a date otherwise).
      doNotModifyHeaders: true,
      extraHeadersToInclude: include,
    } as aws4.Request,
    {
      accessKeyId: known.accessKeyId,
      secretAccessKey: known.secretAccessKey,
      ...(known.sessionToken === undefined ? {} : { sessionToken: known.sessionToken }),
    },
  )
  // With doNotModifyHeaders aws4 does not read the date from the headers; give it the signed one.
  signer.datetime = amzDate
  return signer.signature()
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
