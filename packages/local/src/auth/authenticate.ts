import type { Clock } from '@authmode/core'
import type { CredentialStore } from '../identity-pool/types'
import type { ApiKeys } from './apiKeys'
import type { Caller, LocalAuthMode } from './caller'
import type { JwtVerifier } from './jwt'
import type { LambdaVerifier } from './lambda'
import { unauthorized, type Verified } from './rejection'
import { verifySigV4, type SignedRequest } from './sigv4'

export interface Authenticator {
  readonly apiKeys: ApiKeys | undefined
  readonly jwt: JwtVerifier
  /** The Lambda authorizer (AWS_LAMBDA), when configured. */
  readonly lambda: LambdaVerifier | undefined
  readonly credentials: CredentialStore
  readonly region: string
  readonly clock: Clock
}

/** The modes this endpoint answers: API key unless disabled, IAM always, tokens when configured. */
export function enabledModes(auth: Authenticator): ReadonlySet<LocalAuthMode> {
  const modes = new Set<LocalAuthMode>(['iam'])
  if (auth.apiKeys) modes.add('apiKey')
  if (auth.jwt.has('userPool')) modes.add('userPool')
  if (auth.jwt.has('oidc')) modes.add('oidc')
  if (auth.lambda) modes.add('lambda')
  return modes
}

/**
 * Verifies the one mode a request carries. A request with both `authorization` and `x-api-key`
 * is refused rather than guessed at: a client sends one mode's headers only. An `authorization`
 * is SigV4 when it starts `AWS4-HMAC-SHA256 `, a user pool or OIDC token when it is a JWT of a
 * configured issuer, and otherwise the Lambda authorizer's, when there is one (as AppSync reads it).
 */
export async function authenticate(request: SignedRequest, auth: Authenticator): Promise<Verified<Caller>> {
  const authorization = request.headers['authorization']
  const apiKey = request.headers['x-api-key']
  if (authorization !== undefined && apiKey !== undefined) {
    return unauthorized('Send one authorization mode per request: both authorization and x-api-key were sent.')
  }
  if (authorization !== undefined) {
    if (authorization.startsWith('AWS4-HMAC-SHA256 ')) {
      const verified = await verifySigV4(request, auth)
      if (!verified.ok) return verified
      return {
        ok: true,
        value: { mode: 'iam', accessKeyId: verified.value.accessKeyId, principal: verified.value.principal },
      }
    }
    if (authorization === '') return unauthorized('Empty authorization header.')
    if (auth.lambda && !auth.jwt.issued(authorization)) {
      return auth.lambda.verify(authorization, { headers: request.headers, body: request.body })
    }
    if (!auth.jwt.has('userPool') && !auth.jwt.has('oidc')) {
      return unauthorized('Invalid JWT token: this API has no user pool or OIDC provider configured.')
    }
    return auth.jwt.verify(authorization)
  }
  if (apiKey !== undefined) {
    if (!auth.apiKeys) return unauthorized('API key authorization is not enabled on this API.')
    const verified = auth.apiKeys.verify(apiKey)
    if (!verified.ok) return verified
    return { ok: true, value: { mode: 'apiKey', apiKeyId: verified.value } }
  }
  return unauthorized(
    'Missing authorization: send x-api-key, a user pool or OIDC token in authorization, or a SigV4 signature.',
  )
}
