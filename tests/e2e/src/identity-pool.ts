// The identity-pool endpoint of @authmode/local (GetId, GetCredentialsForIdentity) on 127.0.0.1,
// accepting guests and cognito-local's ID tokens, which it verifies against cognito-local's own
// JWKS (signature, issuer, audience, expiry, token_use) with jose.
import { randomUUID } from 'node:crypto'
import { startIdentityPoolServer, type IdentityPoolServer } from '@authmode/local'
import { createLocalJWKSet, jwtVerify } from 'jose'
import type { CognitoLocal } from './cognito-local'

export interface IdentityPool extends IdentityPoolServer {
  readonly identityPoolId: string
  /** The `Logins` key of cognito-local's pool: `cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  readonly providerName: string
}

export async function startIdentityPool(cognito: CognitoLocal): Promise<IdentityPool> {
  const jwksResponse = await fetch(new URL(`${cognito.userPoolId}/.well-known/jwks.json`, cognito.endpoint))
  if (!jwksResponse.ok) throw new Error(`cognito-local JWKS: HTTP ${String(jwksResponse.status)}`)
  const jwks = createLocalJWKSet((await jwksResponse.json()) as Parameters<typeof createLocalJWKSet>[0])
  const providerName = cognito.issuer.replace(/^https:\/\//, '')
  const identityPoolId = `${cognito.region}:${randomUUID()}`
  const server = await startIdentityPoolServer({
    identityPools: [{ identityPoolId, allowUnauthenticated: true, loginProviders: [providerName] }],
    verifyLogin: async (name, token) => {
      if (name !== providerName) throw new Error(`${name} is not this pool's user pool.`)
      const { payload } = await jwtVerify(token, jwks, {
        issuer: cognito.issuer,
        audience: cognito.clientId,
        algorithms: ['RS256'],
      })
      if (payload['token_use'] !== 'id') throw new Error('an ID token is required.')
      return payload
    },
  })
  return Object.assign(server, { identityPoolId, providerName })
}
