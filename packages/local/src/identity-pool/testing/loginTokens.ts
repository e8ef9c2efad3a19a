// For the identity-pool tests: a user pool stand-in that signs RS256 ID tokens, and the
// `verifyLogin` that checks them as an identity pool would (signature, issuer = the Logins key,
// expiry, token_use, audience), with jose.
import { generateKeyPair, jwtVerify, SignJWT, type JWTPayload } from 'jose'

export interface LoginTokens {
  /** The `Logins` key: `cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  readonly providerName: string
  readonly clientId: string
  /** An ID token for `sub`, valid `lifetimeSeconds` from now (negative: already expired). */
  idToken(sub: string, options?: { lifetimeSeconds?: number; claims?: JWTPayload }): Promise<string>
  readonly verifyLogin: (providerName: string, token: string) => Promise<Readonly<Record<string, unknown>>>
}

export async function createLoginTokens(
  region = 'us-east-1',
  userPoolId = `${region}_LocalTest1`,
): Promise<LoginTokens> {
  const providerName = `cognito-idp.${region}.amazonaws.com/${userPoolId}`
  const issuer = `https://${providerName}`
  const clientId = 'local-test-client'
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  return {
    providerName,
    clientId,
    idToken: async (sub, options = {}) => {
      const now = Math.floor(Date.now() / 1000)
      return new SignJWT({ token_use: 'id', 'cognito:username': sub, ...options.claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'local-test' })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(clientId)
        .setIssuedAt(now - 1)
        .setExpirationTime(now + (options.lifetimeSeconds ?? 3600))
        .sign(privateKey)
    },
    verifyLogin: async (name, token) => {
      if (name !== providerName) throw new Error(`${name} is not a configured user pool.`)
      const { payload } = await jwtVerify(token, publicKey, { issuer, audience: clientId, algorithms: ['RS256'] })
      if (payload['token_use'] !== 'id') throw new Error('an ID token is required.')
      return payload
    },
  }
}
