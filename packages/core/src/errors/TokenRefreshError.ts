import { AuthmodeError } from './AuthmodeError'

/** A token provider could not produce a usable token (for Cognito: the refresh token was rejected). Sign in again. */
export class TokenRefreshError extends AuthmodeError {
  static readonly code = 'ERR_TOKEN_REFRESH'
  readonly code = 'ERR_TOKEN_REFRESH'
}
