import { jwtExpiration } from '../identity/jwt'
import type { AuthModeDefinition } from './definition'
import { headerMode, type HeaderIdentity } from './header'

// Judged on arrival with the client's clock (skew-corrected once it learned the server's time),
// else by the token's own `iat`.
const expiration = ({ token, expiration: given }: HeaderIdentity<'token'>, now?: number): Date | undefined =>
  jwtExpiration(token, given, now)

// The raw token in `authorization`: AppSync rejects a `Bearer ` prefix.
function tokenMode(mode: 'userPool' | 'oidc' | 'lambda'): AuthModeDefinition {
  return headerMode({
    mode,
    header: 'authorization',
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
