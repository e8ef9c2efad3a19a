// For the identity-pool tests: a GraphQL-shaped endpoint on 127.0.0.1 that accepts a request only
// when @authmode/local's SigV4 verifier (the AWS SDK's signer, not the client's own) computes the same
// signature from the credentials the store issued, over exactly the headers the request signed,
// within 5 minutes, and the credentials have not expired. It answers who the caller is.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Clock } from '@authmode/core'
import { verifySigV4, type SignedRequest } from '../../auth/sigv4'
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

// Only to report which key a request used; verification is verifySigV4's.
const CREDENTIAL = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\//

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
      void answer()
    })
    const answer = async (): Promise<void> => {
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value
      }
      const verdict = await verify({
        headers,
        method: req.method ?? '',
        path: req.url ?? '',
        body: Buffer.concat(chunks),
      })
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
    }
  })

  // The local endpoint's own verifier (the AWS SDK's signer, independent of the client's own), so
  // the tests and @authmode/local accept and refuse exactly the same requests.
  const verify = async (request: SignedRequest): Promise<Verdict> => {
    const accessKeyId = CREDENTIAL.exec(request.headers['authorization'] ?? '')?.[1]
    const verified = await verifySigV4(request, { region: options.region, credentials: options.store, clock })
    return verified.ok
      ? { accepted: true, accessKeyId, principal: verified.value.principal, reason: undefined }
      : { accepted: false, accessKeyId, principal: undefined, reason: verified.rejection.message }
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
