// For the identity-pool tests: a GraphQL-shaped endpoint on 127.0.0.1 that accepts a request only
// when an independent SigV4 verifier (`aws4`, not the client's @smithy signer) computes the same
// signature from the credentials the store issued, over exactly the headers the request signed,
// and the credentials have not expired. It answers who the caller is.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import aws4 from 'aws4'
import type { Clock } from '@authmode/core'
import type { CredentialStore, IamPrincipal } from '../types'

export interface Verdict {
  readonly accepted: boolean
  readonly accessKeyId: string | undefined
  readonly principal: IamPrincipal | undefined
  /** Why it was refused (never a secret). */
  readonly reason: string | undefined
}

export interface SigV4TestEndpoint {
  /** `http://127.0.0.1:<port>/graphql` */
  readonly url: string
  readonly verdicts: Verdict[]
  stop(): Promise<void>
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/

export async function startSigV4TestEndpoint(options: {
  readonly region: string
  readonly store: CredentialStore
  /** Decides credential expiry (the store's clock). */
  readonly clock?: Clock
}): Promise<SigV4TestEndpoint> {
  const clock = options.clock ?? { now: () => Date.now() }
  const verdicts: Verdict[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const header = (name: string): string | undefined => {
        const value = req.headers[name]
        return Array.isArray(value) ? value.join(',') : value
      }
      const verdict = verify({ header, method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks) })
      verdicts.push(verdict)
      if (!verdict.accepted) {
        res.writeHead(401, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnauthorizedException' })
        res.end(JSON.stringify({ errors: [{ errorType: 'UnauthorizedException', message: verdict.reason }] }))
        return
      }
      const principal = verdict.principal
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          data: {
            whoami: {
              kind: principal?.kind ?? null,
              identityId: principal && principal.kind !== 'backend' ? principal.identityId : null,
              sub: principal?.kind === 'authenticated' ? principal.claims['sub'] : null,
            },
          },
        }),
      )
    })
  })

  const verify = (request: {
    header: (name: string) => string | undefined
    method: string
    path: string
    body: Buffer
  }): Verdict => {
    const refuse = (reason: string, accessKeyId?: string): Verdict => ({
      accepted: false,
      accessKeyId,
      principal: undefined,
      reason,
    })
    const authorization = request.header('authorization') ?? ''
    const m = AUTHORIZATION.exec(authorization)
    if (!m) return refuse('no SigV4 Authorization header')
    const [, accessKeyId = '', date = '', region, service, signedHeaderList = ''] = m
    const issued = options.store.lookup(accessKeyId)
    if (!issued) return refuse('unknown access key id', accessKeyId)
    if (issued.expiration !== undefined && clock.now() >= issued.expiration.getTime()) {
      return refuse('the security token included in the request is expired', accessKeyId)
    }
    if (region !== options.region || service !== 'appsync') return refuse('wrong credential scope', accessKeyId)
    if (request.header('x-amz-security-token') !== issued.sessionToken)
      return refuse('wrong session token', accessKeyId)
    if (!(request.header('x-amz-date') ?? '').startsWith(date)) return refuse('x-amz-date does not match', accessKeyId)
    const signedHeaders = signedHeaderList.split(';')
    const headers: Record<string, string> = {}
    for (const name of signedHeaders) {
      const value = request.header(name)
      if (value === undefined) return refuse(`signed header ${name} not sent`, accessKeyId)
      headers[name] = value
    }
    const extraHeadersToIgnore: Record<string, boolean> = {}
    for (const name of ['content-type', 'content-length']) {
      if (!signedHeaders.includes(name)) extraHeadersToIgnore[name] = true
    }
    const signer = new aws4.RequestSigner(
      {
        host: headers['host'] ?? '',
        path: request.path,
        method: request.method,
        headers,
        body: request.body.toString('utf8'),
        service: 'appsync',
        region: options.region,
        extraHeadersToIgnore,
      } as aws4.Request,
      {
        accessKeyId,
        secretAccessKey: issued.secretAccessKey,
        ...(issued.sessionToken === undefined ? {} : { sessionToken: issued.sessionToken }),
      },
    )
    signer.sign()
    if (signer.request.headers?.['Authorization'] !== authorization)
      return refuse('signature does not match', accessKeyId)
    return { accepted: true, accessKeyId, principal: issued.principal, reason: undefined }
  }

  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${String(port)}/graphql`,
    verdicts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve()
        })
        server.closeAllConnections()
      }),
  }
}
