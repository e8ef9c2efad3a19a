// Routes shaped like an API Gateway REST API with IAM authorization and a Lambda function URL with
// `AWS_IAM` auth: each verifies SigV4 for its own service with the AWS SDK's signer (../auth/sigv4.ts),
// against the same credentials as the GraphQL route (identity-pool guests and users, backends), and
// answers what it verified. They are what `createAuthFetch(…, { service })` is tested against.
import { createHash } from 'node:crypto'
import type { Clock } from '@authmode/core'
import { describeCaller } from '../auth/caller'
import { EXPIRED_CREDENTIALS, parseQuery, verifySigV4 } from '../auth/sigv4'
import type { CredentialStore, IamPrincipal } from '../identity-pool/types'
import { json } from './http'
import type { LocalLogger } from './startLocalAppSync'
import type { IncomingRequest } from './nodeAdapter'

/** The path prefix of each route, and the service its signatures must be scoped to. */
export const SERVICE_ROUTES: Readonly<Record<string, string>> = {
  '/_aws/execute-api/': 'execute-api',
  '/_aws/lambda-url/': 'lambda',
}

/** What a service route answers to a verified request (JSON). */
export interface ServiceEcho {
  readonly service: string
  readonly method: string
  /** The path as sent, from `/_aws/…` on. */
  readonly path: string
  /** The query, decoded (a `+` is a plus, as SigV4 reads it); a repeated name has every value, in order. */
  readonly query: Readonly<Record<string, string | readonly string[]>>
  readonly contentType: string | null
  readonly bodyBytes: number
  /** Hex SHA-256 of the body received. */
  readonly bodySha256: string
  /** Who signed: the identity-pool identity (guest or signed in) or the backend's name. */
  readonly caller: { readonly kind: IamPrincipal['kind']; readonly identityId?: string; readonly name?: string }
}

export interface ServiceRouteOptions {
  readonly credentials: CredentialStore
  readonly region: string
  readonly clock: Clock
  readonly logger: LocalLogger
}

/**
 * Answers a request under one of `SERVICE_ROUTES`, or undefined for any other path. Refusals are
 * shaped as API Gateway's: 403 with `{"message": …}` and `x-amzn-ErrorType` (a missing signature
 * `MissingAuthenticationTokenException`, a bad one `InvalidSignatureException`, expired credentials
 * `ExpiredTokenException`, unknown ones `UnrecognizedClientException`), never a credential in them.
 */
export async function serviceRoute(
  request: IncomingRequest,
  options: ServiceRouteOptions,
): Promise<Response | undefined> {
  const at = request.path.indexOf('?')
  const path = at < 0 ? request.path : request.path.slice(0, at)
  const prefix = Object.keys(SERVICE_ROUTES).find((start) => path.startsWith(start))
  if (prefix === undefined) return undefined
  const service = SERVICE_ROUTES[prefix] ?? ''
  const refuse = (errorType: string, message: string): Response => {
    options.logger.info?.(`${request.method} ${path} 403 rejected: ${message}`)
    return json({ message }, 403, options.clock.now(), { 'x-amzn-errortype': errorType })
  }
  if (!request.headers['authorization']?.startsWith('AWS4-HMAC-SHA256 ')) {
    return refuse('MissingAuthenticationTokenException', 'Missing Authentication Token')
  }
  const verified = await verifySigV4(request, { ...options, service })
  if (!verified.ok) {
    const { status, message } = verified.rejection
    const refused = message === EXPIRED_CREDENTIALS ? 'ExpiredTokenException' : 'UnrecognizedClientException'
    return refuse(status === 403 ? 'InvalidSignatureException' : refused, message)
  }
  const { principal, accessKeyId } = verified.value
  options.logger.info?.(`${request.method} ${path} 200 ${describeCaller({ mode: 'iam', accessKeyId, principal })}`)
  const echo: ServiceEcho = {
    service,
    method: request.method,
    path,
    // As it was signed: decoded as the AWS SDK decodes it (a `+` is a plus), so it cannot throw here.
    query: parseQuery(at < 0 ? '' : request.path.slice(at + 1)),
    contentType: request.headers['content-type'] ?? null,
    bodyBytes: request.body.byteLength,
    bodySha256: createHash('sha256').update(request.body).digest('hex'),
    caller:
      principal.kind === 'backend'
        ? { kind: principal.kind, name: principal.name }
        : { kind: principal.kind, identityId: principal.identityId },
  }
  return json(echo, 200, options.clock.now())
}
