// Cognito's error types that end a user pool session when they answer a refresh with the refresh
// token (InitiateAuth REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken, or amazon-cognito-identity-js's
// refreshSession, which calls InitiateAuth): the refresh token was rejected (NotAuthorized: expired,
// revoked or invalid, or the user disabled), revoked (TokenRevoked), reused after rotation
// (RefreshTokenReuse), or the user is gone (UserNotFound). PasswordResetRequired and
// UserNotConfirmed are in InitiateAuth's documented errors too: no refresh succeeds until the user
// resets the password or confirms the account, so retrying only repeats the failure, and the user
// must go through sign-in again. Anything else (throttling, 5xx, no answer, a misconfigured app
// client) keeps the session.
const SESSION_ENDED =
  /^(?:NotAuthorized|TokenRevoked|UserNotFound|RefreshTokenReuse|PasswordResetRequired|UserNotConfirmed)Exception$/

/**
 * True for a Cognito error type (`NotAuthorizedException`, …) that ends a user pool session when
 * it answers a refresh: the user must sign in again.
 *
 * @example
 * ```ts
 * if (endsCognitoSession(error.code)) showSignIn()
 * ```
 */
export function endsCognitoSession(errorType: string): boolean {
  return SESSION_ENDED.test(errorType)
}
