import { jwtClaims, jwtTime } from '../identity/jwt'
import type { AuthModeDefinition } from './definition'
import { headerMode, type HeaderIdentity } from './header'

// The provider's expiration, else the JWT's `exp`. Judged on arrival (`now`, the client's clock,
// skew-corrected once it learned the server's time), a token that looks already expired or not
// yet issued says this clock is off: its lifetime then counts from its `iat` as now, so a clock
// hours ahead cannot make every request fetch the token again.
const expiration = ({ token, expiration: given }: HeaderIdentity<'token'>, now = NaN): Date | undefined => {
  const claims = jwtClaims(token)
  const exp = given?.getTime() ?? jwtTime(claims, 'exp')
  const iat = jwtTime(claims, 'iat') ?? NaN
  return exp === undefined ? exp : new Date(iat < exp && (now >= exp || now < iat) ? exp + now - iat : exp)
}

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
