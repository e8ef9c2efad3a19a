// The Cognito user pool calls a session makes, over plain fetch: the refresh
// (GetTokensFromRefreshToken, else InitiateAuth REFRESH_TOKEN_AUTH) and RevokeToken.
import { ConfigurationError } from '../errors/ConfigurationError'
import { TokenRefreshError } from '../errors/TokenRefreshError'
import { callAwsJson, type AwsJsonFailure, type AwsJsonResult } from './awsJson'
import { cognitoUrl, type Need } from './cognitoConfig'
import { endsCognitoSession } from './cognitoErrors'
import type { CognitoTokens } from './cognitoUserPool'
import { jwtClaims } from './jwt'

// The region in a user pool token's issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>`.
const ISSUER_REGION = /^https:\/\/cognito-idp[^.]*\.([\w-]+)\.amazonaws\.com/
// An endpoint without GetTokensFromRefreshToken: AWS's unknown target, cognito-local's (a 500).
const UNKNOWN_OPERATION = /^Un(?:knownOperationException|supported)$/

export interface UserPoolApiOptions {
  readonly clientId: string
  readonly clientSecret: string | undefined
  readonly region: string | undefined
  readonly endpoint: URL | undefined
  readonly fetch: typeof globalThis.fetch
  readonly timeoutMs: number
  readonly need: Need
}

export interface UserPoolApi {
  /**
   * New tokens for `tokens` with their `refreshToken` (kept when Cognito sends none). Throws a
   * `TokenRefreshError` (`sessionEnded` for a definitive rejection, `retryable` for a transient
   * failure), or a `ConfigurationError` when Cognito rejects the client secret.
   */
  refresh(tokens: CognitoTokens, refreshToken: string): Promise<CognitoTokens>
  /** RevokeToken for `token`; `idToken` names the region when no `endpoint` or `region` does. */
  readonly revoke: (token: string, idToken: string | undefined) => Promise<AwsJsonResult>
}

/** The calls of one app client: to `endpoint`, else the public one of the region given or read from the ID token's issuer. */
export function userPoolApi(options: UserPoolApiOptions): UserPoolApi {
  const { clientId, clientSecret, region, endpoint, fetch, timeoutMs } = options
  const need: Need = options.need
  const call = (idToken: string | undefined, operation: string, body: object, secrets: (string | undefined)[]) => {
    const found = region ?? ISSUER_REGION.exec(String(jwtClaims(idToken)?.['iss']))?.[1]
    need(endpoint ?? found, 'pass `region` or `endpoint`: the token names no Cognito region.')
    return callAwsJson(
      endpoint ?? cognitoUrl('cognito-idp', found ?? ''),
      `AWSCognitoIdentityProviderService.${operation}`,
      body,
      { fetch, timeoutMs, secrets: [...secrets, clientSecret] },
    )
  }
  // Set once an endpoint turns out not to know GetTokensFromRefreshToken (older emulators): this
  // session then refreshes with REFRESH_TOKEN_AUTH, which works wherever rotation is off. It sends
  // no SECRET_HASH (cognito-local checks none; AWS has the operation): the HMAC code would cost
  // every browser bundle about 250 B min+gzip for emulators only.
  let legacy = false
  return {
    async refresh(tokens, refreshToken) {
      const { idToken, accessToken } = tokens
      const sent = [idToken, accessToken, refreshToken]
      // Rotation needs this operation (Cognito refuses REFRESH_TOKEN_AUTH on rotating clients); the
      // rotated refresh token in its answer is stored before the new tokens are used.
      let result =
        legacy ||
        (await call(
          idToken,
          'GetTokensFromRefreshToken',
          { RefreshToken: refreshToken, ClientId: clientId, ClientSecret: clientSecret },
          sent,
        ))
      if (result === true || (!result.ok && UNKNOWN_OPERATION.test(result.type))) {
        legacy = true
        result = await call(
          idToken,
          'InitiateAuth',
          { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: refreshToken } },
          sent,
        )
      }
      const answer = result.ok ? readAuthAnswer(result.body) : result
      if (!('ok' in answer)) {
        // Without rotation Cognito returns no refresh token: the one we have stays valid.
        return { ...answer, refreshToken: answer.refreshToken ?? refreshToken }
      }
      const { type, detail, transient } = answer
      // A NotAuthorizedException about the client secret is a configuration mistake, not a sign-out.
      if (type === 'NotAuthorizedException' && /secret/i.test(detail)) {
        throw new ConfigurationError(
          `fromCognitoUserPool: Cognito rejected the client secret (${detail}). Check \`clientSecret\`.`,
        )
      }
      if (endsCognitoSession(type)) throw sessionEnded(`Cognito ended the session (${detail})`, type)
      // No answer, throttling, 5xx, garbage (transient), or an app client without the refresh flow.
      throw new TokenRefreshError(
        `userPool: refresh failed (${detail}); the session is kept.${transient ? '' : ' Allow ALLOW_REFRESH_TOKEN_AUTH on the app client.'}`,
        { cause: answer.cause, retryable: transient, errorType: type },
      )
    },
    revoke: (token, idToken) =>
      call(idToken, 'RevokeToken', { Token: token, ClientId: clientId, ClientSecret: clientSecret }, [token]),
  }
}

/** The `TokenRefreshError` of a user pool session that is over. */
export function sessionEnded(what: string, errorType: string): TokenRefreshError {
  return new TokenRefreshError(`userPool: ${what}. Sign in again.`, {
    sessionEnded: true,
    errorType,
    recoverySuggestion: 'Sign in again.',
  })
}

/**
 * The tokens of an `InitiateAuth` answer (`AuthenticationResult`, checked), or why there are none,
 * as a failure: a challenge Cognito asks for, or an answer that is not Cognito's.
 */
export function readAuthAnswer(body: unknown): CognitoTokens | AwsJsonFailure {
  const { ChallengeName: type, AuthenticationResult: result } = (body ?? {}) as Record<string, unknown>
  if (typeof type === 'string' && type)
    return { ok: false, type, detail: `${type}: a challenge, not tokens`, transient: false }
  const {
    IdToken: idToken,
    AccessToken: accessToken,
    RefreshToken: refreshToken,
  } = (result ?? {}) as Record<string, unknown>
  return jwtClaims(idToken) &&
    jwtClaims(accessToken) &&
    (refreshToken == null || (typeof refreshToken === 'string' && refreshToken))
    ? { idToken: idToken as string, accessToken: accessToken as string, refreshToken: refreshToken ?? undefined }
    : {
        ok: false,
        type: 'InvalidResponse',
        detail: 'InvalidResponse: no IdToken and AccessToken JWTs',
        transient: true,
      }
}
