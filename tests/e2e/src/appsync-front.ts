// A verifying front for the AppSync simulator. The simulator verifies no JWT signature or expiry,
// so this proxy does, as AppSync would for a user pool: RS256 signature against cognito-local's
// JWKS, issuer, expiry, token use and app client. A token that fails is answered with AppSync's
// request-level rejection (HTTP 401, UnauthorizedException); one that passes is forwarded.
// Each token-carrying request is recorded by what it showed (never the token itself).
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import type { CognitoLocal } from './cognito-local'
import { startProxy, type RunningProxy } from './proxy'

export interface SeenToken {
  /** `id` or `access` (the `token_use` claim), when the token was a readable JWT. */
  readonly tokenUse: string | undefined
  /** The `exp` claim, seconds. */
  readonly exp: number | undefined
  readonly verified: boolean
  /** Why it was rejected, e.g. `expired`, `bad signature`. */
  readonly problem: string | undefined
}

export interface AppSyncFront extends RunningProxy {
  /** Every request that carried a JWT in `authorization`, in order. */
  readonly seen: SeenToken[]
}

interface Jwk {
  readonly kid: string
  readonly kty: string
  readonly n: string
  readonly e: string
}

export async function startAppSyncFront(options: {
  readonly simulatorUrl: string
  readonly cognito: CognitoLocal
  /** App clients whose tokens are accepted (`aud` of ID tokens, `client_id` of access tokens). */
  readonly clientIds: readonly string[]
}): Promise<AppSyncFront> {
  const { cognito } = options
  const response = await fetch(`${cognito.endpoint}${cognito.userPoolId}/.well-known/jwks.json`)
  const jwks = (await response.json()) as { keys: Jwk[] }
  const keys = new Map<string, KeyObject>(
    jwks.keys.map((jwk) => [jwk.kid, createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' })]),
  )
  const seen: SeenToken[] = []

  const check = (token: string): SeenToken => {
    const [header, payload, signature] = token.split('.')
    if (header === undefined || payload === undefined || signature === undefined) {
      return { tokenUse: undefined, exp: undefined, verified: false, problem: 'not a JWT' }
    }
    let head: { alg?: unknown; kid?: unknown }
    let claims: Record<string, unknown>
    try {
      head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as typeof head
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims
    } catch {
      return { tokenUse: undefined, exp: undefined, verified: false, problem: 'not a JWT' }
    }
    const tokenUse = typeof claims['token_use'] === 'string' ? claims['token_use'] : undefined
    const exp = typeof claims['exp'] === 'number' ? claims['exp'] : undefined
    const fail = (problem: string): SeenToken => ({ tokenUse, exp, verified: false, problem })
    const key = typeof head.kid === 'string' ? keys.get(head.kid) : undefined
    if (head.alg !== 'RS256' || !key) return fail('unknown key or algorithm')
    const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))
    if (!signed) return fail('bad signature')
    if (claims['iss'] !== cognito.issuer) return fail('wrong issuer')
    if (exp === undefined || exp * 1000 <= Date.now()) return fail('expired')
    const client = tokenUse === 'id' ? claims['aud'] : tokenUse === 'access' ? claims['client_id'] : undefined
    if (typeof client !== 'string' || !options.clientIds.includes(client)) return fail('wrong app client or token use')
    return { tokenUse, exp, verified: true, problem: undefined }
  }

  const proxy = await startProxy({
    target: options.simulatorUrl,
    inspect: (request) => {
      const authorization = request.headers.authorization
      if (typeof authorization !== 'string' || authorization.startsWith('AWS4-HMAC-SHA256 ')) return undefined
      const result = check(authorization)
      seen.push(result)
      if (result.verified) return undefined
      const message = result.problem === 'expired' ? 'Token has expired.' : 'Valid authorization header not provided.'
      return {
        status: 401,
        headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': 'UnauthorizedException' },
        body: JSON.stringify({ errors: [{ errorType: 'UnauthorizedException', message }] }),
      }
    },
  })
  return Object.assign(proxy, { seen })
}
