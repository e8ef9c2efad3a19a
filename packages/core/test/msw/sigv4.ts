import aws4 from 'aws4'
import type { AwsCredentialIdentity } from '../../src/index'
import type { CapturedRequest } from './appsync'

/**
 * An independent SigV4 verifier: re-signs a captured request with the `aws4` package (not the
 * client's own `createSigV4Signer`) from the same credentials, the request's own
 * `x-amz-date` and exactly the headers its `Authorization` names, then compares the result.
 */
export interface SigV4Check {
  /** True when aws4 computes the very `Authorization` header that was sent. */
  readonly valid: boolean
  /** The `Authorization` header as aws4 computes it. */
  readonly expected: string
  /** The `Authorization` header that was sent. */
  readonly actual: string
  readonly accessKeyId: string
  /** `<date>/<region>/<service>/aws4_request` as sent. */
  readonly credentialScope: string
  readonly signedHeaders: readonly string[]
  readonly signature: string
  /** aws4's canonical request and string to sign: what AppSync quotes when a signature does not match. */
  readonly canonicalRequest: string
  readonly stringToSign: string
}

export interface SigV4Scope {
  readonly service: string
  readonly region: string
}

const APPSYNC_US_EAST_1: SigV4Scope = { service: 'appsync', region: 'us-east-1' }
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/([^,\s]+), SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/

export function parseSigV4Authorization(
  value: string | undefined,
): { accessKeyId: string; credentialScope: string; signedHeaders: string[]; signature: string } | undefined {
  const m = AUTHORIZATION.exec(value ?? '')
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return undefined
  return { accessKeyId: m[1], credentialScope: m[2], signedHeaders: m[3].split(';'), signature: m[4] }
}

export function verifySigV4(
  request: CapturedRequest,
  credentials: AwsCredentialIdentity,
  scope: SigV4Scope = APPSYNC_US_EAST_1,
): SigV4Check {
  const actual = request.headers['authorization'] ?? ''
  const parsed = parseSigV4Authorization(actual)
  if (!parsed) throw new Error(`not a SigV4 Authorization header: ${JSON.stringify(actual.slice(0, 40))}`)
  const url = new URL(request.url)
  const headers: Record<string, string> = {}
  for (const name of parsed.signedHeaders) {
    const value = name === 'host' ? (request.headers['host'] ?? url.host) : request.headers[name]
    if (value === undefined) throw new Error(`the signed header ${name} was not sent`)
    headers[name] = value
  }
  if (headers['x-amz-date'] === undefined) throw new Error('x-amz-date is not signed')
  // aws4 would add (and sign) a default Content-Type and a Content-Length: ignore them unless the client signed them.
  const extraHeadersToIgnore: Record<string, boolean> = {}
  for (const name of ['content-type', 'content-length'])
    if (!parsed.signedHeaders.includes(name)) extraHeadersToIgnore[name] = true
  const options: aws4.Request & { extraHeadersToIgnore: Record<string, boolean> } = {
    host: url.host,
    path: `${url.pathname}${url.search}`,
    method: request.method,
    headers,
    body: request.bodyBytes ? Buffer.from(request.bodyBytes) : request.bodyText,
    service: scope.service,
    region: scope.region,
    extraHeadersToIgnore,
  }
  const aws4Credentials: aws4.Credentials = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
  }
  const signer = new aws4.RequestSigner(options, aws4Credentials)
  signer.sign()
  const expected = String(signer.request.headers?.['Authorization'] ?? '')
  return {
    valid: expected === actual,
    expected,
    actual,
    accessKeyId: parsed.accessKeyId,
    credentialScope: parsed.credentialScope,
    signedHeaders: parsed.signedHeaders,
    signature: parsed.signature,
    canonicalRequest: signer.canonicalString(),
    stringToSign: signer.stringToSign(),
  }
}
