// A GraphQL endpoint on 127.0.0.1 that verifies what it is sent, independently of the client:
// SigV4 is re-computed with the `aws4` package (not the client's own signer) from the
// credentials it knows, over exactly the headers the request says it signed; API keys are compared.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import aws4 from 'aws4'

export interface KnownCredentials {
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
}

export interface VerifiedRequest {
  readonly mode: 'iam' | 'apiKey' | 'rejected'
  readonly accessKeyId: string | undefined
  /** Why it was rejected (never a secret). */
  readonly reason: string | undefined
}

export interface SigV4Endpoint {
  /** `http://127.0.0.1:<port>/graphql` */
  readonly url: string
  readonly requests: VerifiedRequest[]
  stop(): Promise<void>
}

export interface SigV4EndpointOptions {
  readonly region: string
  readonly lookup: (accessKeyId: string) => KnownCredentials | undefined
  readonly apiKey?: string | undefined
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/

export async function startSigV4Endpoint(options: SigV4EndpointOptions): Promise<SigV4Endpoint> {
  const requests: VerifiedRequest[] = []
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req)
      const verdict = verify(req, body, options)
      requests.push(verdict)
      if (verdict.mode === 'rejected') {
        res.writeHead(401, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnauthorizedException' })
        res.end(JSON.stringify({ errors: [{ errorType: 'UnauthorizedException', message: verdict.reason }] }))
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ data: { whoami: { mode: verdict.mode, accessKeyId: verdict.accessKeyId ?? null } } }))
    })()
  })
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${String(port)}/graphql`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve()
        })
        server.closeAllConnections()
      }),
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk)
  return Buffer.concat(chunks).toString('utf8')
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

function verify(req: IncomingMessage, body: string, options: SigV4EndpointOptions): VerifiedRequest {
  const reject = (reason: string, accessKeyId?: string): VerifiedRequest => ({ mode: 'rejected', accessKeyId, reason })
  const apiKey = header(req, 'x-api-key')
  const authorization = header(req, 'authorization')
  if (apiKey !== undefined && authorization !== undefined) return reject('two modes on one request')
  if (apiKey !== undefined) {
    return apiKey === options.apiKey
      ? { mode: 'apiKey', accessKeyId: undefined, reason: undefined }
      : reject('bad API key')
  }
  const m = AUTHORIZATION.exec(authorization ?? '')
  if (!m) return reject('no SigV4 authorization')
  const [, accessKeyId = '', date, region, service, signedHeaderList = ''] = m
  const known = options.lookup(accessKeyId)
  if (!known) return reject('unknown access key', accessKeyId)
  if (region !== options.region || service !== 'appsync')
    return reject(`wrong scope ${String(region)}/${String(service)}`, accessKeyId)
  if (header(req, 'x-amz-security-token') !== known.sessionToken) return reject('wrong session token', accessKeyId)
  const amzDate = header(req, 'x-amz-date') ?? ''
  const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'))
  if (!amzDate.startsWith(date ?? '-') || !(Math.abs(Date.now() - signedAt) < 5 * 60_000)) {
    return reject('x-amz-date missing or outside 5 minutes', accessKeyId)
  }
  const signedHeaders = signedHeaderList.split(';')
  const headers: Record<string, string> = {}
  for (const name of signedHeaders) {
    const value = header(req, name)
    if (value === undefined) return reject(`signed header ${name} was not sent`, accessKeyId)
    headers[name] = value
  }
  const extraHeadersToIgnore: Record<string, boolean> = {}
  for (const name of ['content-type', 'content-length'])
    if (!signedHeaders.includes(name)) extraHeadersToIgnore[name] = true
  const signer = new aws4.RequestSigner(
    {
      host: headers['host'] ?? '',
      path: req.url ?? '/',
      method: req.method ?? 'POST',
      headers,
      body,
      service: 'appsync',
      region: options.region,
      extraHeadersToIgnore,
    } as aws4.Request,
    {
      accessKeyId,
      secretAccessKey: known.secretAccessKey,
      ...(known.sessionToken === undefined ? {} : { sessionToken: known.sessionToken }),
    },
  )
  signer.sign()
  const expected = String(signer.request.headers?.['Authorization'] ?? '')
  if (expected !== authorization) return reject('signature does not match', accessKeyId)
  return { mode: 'iam', accessKeyId, reason: undefined }
}
