import type { ModeChoice } from './authorizer'
import { ConfigurationError } from '../errors/ConfigurationError'
import { jwtExpiration } from '../identity/jwt'
import { checkCredentialHeaders } from '../internal/headers'
import type { AuthModeDefinition } from './definition'
import { headerMode, withHeader, type HeaderIdentity } from './header'
import type { HttpRequest } from './types'

// The raw token in `authorization`: AppSync rejects a `Bearer ` prefix.
const HEADER = 'authorization'
const TOKEN_MODES: readonly unknown[] = ['userPool', 'oidc', 'lambda']

// Judged on arrival with the client's clock (skew-corrected once it learned the server's time),
// else by the token's own `iat`.
const expiration = ({ token, expiration: given }: HeaderIdentity<'token'>, now?: number): Date | undefined =>
  jwtExpiration(token, given, now)

function tokenMode(mode: 'userPool' | 'oidc' | 'lambda'): AuthModeDefinition {
  return headerMode({
    mode,
    header: HEADER,
    field: 'token',
    what: 'token',
    refreshWindowMs: 300_000, // 5 minutes
    expiration,
    watch: (events) => {
      let last: string | undefined
      return (identity) => {
        if (identity.token !== last) events.emit('tokenRefreshed', { mode, expiration: expiration(identity) })
        last = identity.token
        return identity
      }
    },
  })
}

/** The `userPool` mode: a Cognito user pool JWT (ID token by default), refreshed ahead of expiry. */
export const userPoolMode: AuthModeDefinition = tokenMode('userPool')
/** The `oidc` mode: an OpenID Connect token. */
export const oidcMode: AuthModeDefinition = tokenMode('oidc')
/** The `lambda` mode: a Lambda-authorizer token. */
export const lambdaMode: AuthModeDefinition = tokenMode('lambda')

/**
 * A call's own token (`authToken`), checked; undefined when not given. It stands in for the
 * provider of the call's one mode, which must be a token mode: the same token under two modes
 * would be the same request twice (`auto` is refused as any list is).
 */
export function callToken(modes: ModeChoice, authToken: unknown): string | undefined {
  if (authToken === undefined) return undefined
  if (typeof authToken !== 'string' || !authToken.trim() || modes.length > 1 || !TOKEN_MODES.includes(modes[0]))
    throw new ConfigurationError(
      "`authToken` must be a non-empty token, for a call in one mode: userPool, oidc or lambda (e.g. `authMode: 'lambda'`).",
    )
  checkCredentialHeaders({ [HEADER]: authToken }, 'authToken')
  return authToken
}

/** `request` with a call's own token, as its token mode sends one. */
export const withToken = (request: HttpRequest, token: string): HttpRequest => withHeader(request, HEADER, token)
