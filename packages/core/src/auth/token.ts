import { ConfigurationError } from '../errors/ConfigurationError'
import { jwtExpiration } from '../identity/jwt'
import { memoizeIdentity } from '../identity/memoize'
import { wrapProviderError } from '../identity/providerError'
import type { AuthModeDefinition } from './definition'
import { eraseIdentity, type TokenIdentity, type TokenProvider } from './types'

const REFRESH_WINDOW_MS = 5 * 60 * 1000

function tokenMode(mode: 'userPool' | 'oidc' | 'lambda'): AuthModeDefinition {
  return {
    mode,
    option: mode,
    create({ options, clock, events }) {
      const source = options[mode]
      if (source === undefined) return undefined
      if (typeof source === 'string' && source.trim() === '') {
        throw new ConfigurationError(`\`${mode}\` is an empty string: pass a token or a TokenProvider.`)
      }
      if (typeof source !== 'string' && typeof source !== 'function') {
        throw new ConfigurationError(`\`${mode}\` must be a token string or a TokenProvider function.`)
      }
      const provider: TokenProvider =
        typeof source === 'string' ? () => Promise.resolve({ token: source }) : wrapProviderError(mode, source)
      const resolve = memoizeIdentity<TokenIdentity>(provider, {
        clock,
        refreshWindowMs: REFRESH_WINDOW_MS,
        expiration: (identity) => identity.expiration ?? jwtExpiration(identity.token),
        onFetched: (identity) => {
          events.emit('tokenRefreshed', { mode, expiration: identity.expiration ?? jwtExpiration(identity.token) })
        },
      })
      return eraseIdentity<TokenIdentity>({
        mode,
        resolveIdentity: resolve,
        refreshAfterRejection: (rejected, signal) => resolve.refreshAfterRejection(rejected, signal),
        // The raw token: AppSync rejects a `Bearer ` prefix.
        authorize: (request, identity) =>
          Promise.resolve({ ...request, headers: { ...request.headers, authorization: identity.token } }),
      })
    },
  }
}

/** The `userPool` mode: a Cognito user pool JWT (the ID token by default) in `authorization`. */
export const userPoolMode: AuthModeDefinition = tokenMode('userPool')
/** The `oidc` mode: an OpenID Connect token in `authorization`. */
export const oidcMode: AuthModeDefinition = tokenMode('oidc')
/** The `lambda` mode: a Lambda authorizer token in `authorization`. */
export const lambdaMode: AuthModeDefinition = tokenMode('lambda')
