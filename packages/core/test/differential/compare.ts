// The differential check: each generated request is signed by our signer and by the AWS SDK's
// (@smithy/signature-v4, configured as the SDK configures it per service) at the same date, and
// the headers SigV4 produces are compared. A disagreement names the request, never a signature.
import { createHash, createHmac } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import type { HttpRequest } from '../../src/auth/types'
import { createSigV4Signer } from '../../src/sigv4/createSigV4Signer'
import type { Signer } from '../../src/sigv4/signer'
import { SIGNING_DATE, type GeneratedRequest } from './requests'

/** The headers compared: what SigV4 adds to a request. */
export const COMPARED = ['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'] as const

export interface Disagreement {
  readonly index: number
  readonly service: string
  readonly method: string
  readonly url: string
  /** The headers that differ, or `refused` when one signer refused the request and the other signed it. */
  readonly differs: readonly string[]
}

type Data = string | ArrayBuffer | ArrayBufferView

const bytes = (data: Data): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data)

/**
 * node:crypto in the AWS SDK's checksum shape: the reference hashes with neither of the hashes our
 * signer uses (`@aws-crypto/sha256-js`, `NodeSha256`).
 */
class NodeHash {
  private readonly hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret))
  }
  update(data: Data): void {
    this.hash.update(bytes(data))
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()))
  }
}

/**
 * The query of a URL as the AWS SDK holds it before sending (`{ name: value | values }`, decoded):
 * pairs split on `&` (empty ones skipped), name and value split at the first `=` (no `=`: an empty
 * value), each decoded with `decodeURIComponent` as @smithy/core's `parseQueryString` does, so a
 * `+` stays a plus. Throws a URIError for a `%` that encodes no UTF-8.
 */
export function sdkQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const pair of search.slice(1).split('&')) {
    if (pair === '') continue
    const at = pair.indexOf('=')
    const name = decodeURIComponent(at < 0 ? pair : pair.slice(0, at))
    const value = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1))
    const existing = query[name]
    query[name] = existing === undefined ? value : [existing, value].flat()
  }
  return query
}

/**
 * Signs as the AWS SDK would for the request `fetch` sends: the path as sent (percent-encoded by
 * `URL`), the host from the URL; S3 with `uriEscapePath: false` and `applyChecksum: true` (as the
 * S3 client), every other service with the path escaped again and no checksum header added.
 */
// One reference signer per service, region and credentials, so that each keeps its signing key.
const referenceSigners = new Map<string, SignatureV4>()

export async function referenceHeaders({
  service,
  region,
  credentials,
  request,
}: GeneratedRequest): Promise<Record<string, string>> {
  const id = JSON.stringify([service, region, credentials])
  let signer = referenceSigners.get(id)
  if (signer === undefined) {
    const s3 = service === 's3'
    const { accessKeyId, secretAccessKey, sessionToken } = credentials
    signer = new SignatureV4({
      service,
      region,
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) },
      sha256: NodeHash,
      uriEscapePath: !s3,
      applyChecksum: s3,
    })
    referenceSigners.set(id, signer)
  }
  const { url } = request
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: sdkQuery(url.search),
      headers: { ...request.headers, host: url.host },
      body: request.body,
    },
    { signingDate: SIGNING_DATE },
  )
  return signed.headers
}

/** A header of a returned header set: the lower-case spelling first (the one a signer wrote), else any. */
function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  if (name in headers) return headers[name]
  const key = Object.keys(headers).find((key) => key.toLowerCase() === name)
  return key === undefined ? undefined : headers[key]
}

type Outcome = { readonly headers: Readonly<Record<string, string>> } | { readonly refused: unknown }

async function outcome(sign: () => Promise<Readonly<Record<string, string>>>): Promise<Outcome> {
  try {
    return { headers: await sign() }
  } catch (error) {
    return { refused: error }
  }
}

/**
 * Signs every request with `signer` (ours by default) and with the reference, and lists where they
 * differ. Both refusing a request because its query has no decoded form (each with
 * decodeURIComponent's URIError; the iam mode reports ours as a ConfigurationError) is agreement;
 * an unexpected error from either side is rethrown.
 */
export async function disagreements(
  requests: readonly GeneratedRequest[],
  signer: Signer = createSigV4Signer(),
): Promise<Disagreement[]> {
  const found: Disagreement[] = []
  for (const [index, generated] of requests.entries()) {
    const { service, region, credentials, request } = generated
    const ours = await outcome(
      async () => (await signer(request, credentials, { region, service, signingDate: SIGNING_DATE })).headers,
    )
    const reference = await outcome(() => referenceHeaders(generated))
    if ('refused' in ours && !(ours.refused instanceof URIError)) throw ours.refused
    if ('refused' in reference && !(reference.refused instanceof URIError)) throw reference.refused
    let differs: string[]
    if ('headers' in ours && 'headers' in reference) {
      differs = COMPARED.filter((name) => header(ours.headers, name) !== header(reference.headers, name))
    } else {
      differs = 'refused' in ours && 'refused' in reference ? [] : ['refused']
    }
    if (differs.length > 0) found.push({ index, service, method: request.method, url: describe(request), differs })
  }
  return found
}

// The URL without its host: enough to find the request again, nothing secret.
const describe = (request: HttpRequest): string => `${request.url.pathname}${request.url.search}`
