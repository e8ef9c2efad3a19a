// The pool's RS256 key and the ID and access tokens it signs, with Cognito's claims; the JWKS
// publishes the public half, so any verifier (the local API's, AppSync-style) checks them.
import { randomUUID } from 'node:crypto'
import { errors as joseErrors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose'
import type { ResolvedClient, ResolvedUser } from './config'

export interface SigningKey {
  readonly kid: string
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
  /** `{ keys: [<public JWK>] }`, as Cognito serves it at `<issuer>/.well-known/jwks.json`. */
  readonly jwks: { readonly keys: readonly JWK[] }
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const kid = randomUUID()
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  return { kid, privateKey, publicKey, jwks: { keys: [jwk] } }
}

/** What the tokens of one sign-in share: the user, the app client and the session (`origin_jti`). */
export interface TokenSubject {
  readonly user: ResolvedUser
  readonly client: ResolvedClient
  readonly originJti: string
  /** Epoch seconds of the sign-in, kept through refreshes. */
  readonly authTime: number
}

export interface IssuedTokens {
  readonly IdToken: string
  readonly AccessToken: string
  readonly ExpiresIn: number
  readonly TokenType: 'Bearer'
}

/** Signs an ID token and an access token for `subject` at `nowMs`. */
export async function signTokens(
  key: SigningKey,
  issuer: string,
  subject: TokenSubject,
  nowMs: number,
): Promise<IssuedTokens> {
  const { user, client, originJti, authTime } = subject
  const iat = Math.floor(nowMs / 1000)
  const eventId = randomUUID()
  // Cognito leaves `cognito:groups` out for a user in no group.
  const groups = user.groups.length > 0 ? { 'cognito:groups': [...user.groups] } : {}
  const sign = (claims: Record<string, unknown>, lifetime: number): Promise<string> =>
    new SignJWT({ sub: user.sub, ...groups, iss: issuer, origin_jti: originJti, event_id: eventId, ...claims })
      .setProtectedHeader({ kid: key.kid, alg: 'RS256' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetime)
      .setJti(randomUUID())
      .sign(key.privateKey)
  const [IdToken, AccessToken] = await Promise.all([
    sign(
      {
        ...user.attributes,
        'cognito:username': user.username,
        aud: client.clientId,
        token_use: 'id',
        auth_time: authTime,
      },
      client.idTokenSeconds,
    ),
    sign(
      {
        client_id: client.clientId,
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        auth_time: authTime,
        username: user.username,
      },
      client.accessTokenSeconds,
    ),
  ])
  return { IdToken, AccessToken, ExpiresIn: client.accessTokenSeconds, TokenType: 'Bearer' }
}

/** The claims of an access token of this pool, or why it is not one: Cognito's wording. */
export async function verifyAccessToken(
  key: SigningKey,
  issuer: string,
  token: string,
  nowMs: number,
): Promise<{ ok: true; claims: Record<string, unknown> } | { ok: false; message: string }> {
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      issuer,
      algorithms: ['RS256'],
      currentDate: new Date(nowMs),
      requiredClaims: ['exp', 'origin_jti'],
    })
    if (payload['token_use'] !== 'access') return { ok: false, message: 'Invalid Access Token' }
    return { ok: true, claims: payload }
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return { ok: false, message: 'Access Token has expired' }
    return { ok: false, message: 'Invalid Access Token' }
  }
}
