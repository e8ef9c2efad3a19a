import type { EventHub } from '../client/events'
import { ConfigurationError } from '../errors/ConfigurationError'
import { isSessionEnded } from '../errors/TokenRefreshError'
import type { Clock } from '../internal/clock'
import { jwtExpiration } from '../identity/jwt'
import { memoizeIdentity } from '../identity/memoize'
import { wrapProviderError } from '../identity/providerError'
import type { AuthModeDefinition } from './definition'
import {
  eraseIdentity,
  type AuthStrategy,
  type HttpRequest,
  type SessionTokenProvider,
  type TokenIdentity,
  type TokenProvider,
} from './types'

const REFRESH_WINDOW_MS = 5 * 60 * 1000

type TokenMode = 'userPool' | 'oidc' | 'lambda'

function tokenMode(mode: TokenMode): AuthModeDefinition {
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
      if (keepsSession(source)) return sessionStrategy(mode, source, clock, events)
      const provider: TokenProvider =
        typeof source === 'string'
          ? () => Promise.resolve({ token: source })
          : reportingSessionEnd(mode, events, wrapProviderError(mode, source))
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
        authorize: authorizeWithToken,
      })
    },
  }
}

// The raw token: AppSync rejects a `Bearer ` prefix.
function authorizeWithToken(request: HttpRequest, identity: TokenIdentity): Promise<HttpRequest> {
  return Promise.resolve({ ...request, headers: { ...request.headers, authorization: identity.token } })
}

function keepsSession(source: unknown): source is SessionTokenProvider {
  return typeof source === 'function' && (source as { keepsSession?: unknown }).keepsSession === true
}

/**
 * A provider that keeps its own session (cache, single-flight refresh, sign-out) is asked on every
 * request: caching its tokens here would keep sending a token after the user signed out.
 */
function sessionStrategy(mode: TokenMode, session: SessionTokenProvider, clock: Clock, events: EventHub): AuthStrategy {
  const call = reportingSessionEnd(mode, events, wrapProviderError(mode, session))
  let lastToken: string | undefined
  const resolve = async (options: Parameters<SessionTokenProvider>[0]): Promise<TokenIdentity> => {
    const identity = await call(options)
    if (identity.token !== lastToken) {
      lastToken = identity.token
      events.emit('tokenRefreshed', { mode, expiration: identity.expiration ?? jwtExpiration(identity.token) })
    }
    return identity
  }
  return eraseIdentity<TokenIdentity>({
    mode,
    resolveIdentity: (options) => resolve({ ...options, clock }),
    refreshAfterRejection: (rejected, signal) =>
      resolve({ forceRefresh: true, signal, clock, rejectedToken: rejected.token }),
    authorize: authorizeWithToken,
  })
}

/**
 * Emits `sessionExpired` when the provider says its session ended. Callers that shared one refresh
 * all get the same error object, so the event fires once per ended session, not once per request.
 */
function reportingSessionEnd<TOptions>(
  mode: TokenMode,
  events: EventHub,
  provider: (options?: TOptions) => Promise<TokenIdentity>,
): (options?: TOptions) => Promise<TokenIdentity> {
  const reported = new WeakSet()
  return async (options) => {
    try {
      return await provider(options)
    } catch (error) {
      if (isSessionEnded(error) && !reported.has(error as object)) {
        reported.add(error as object)
        const reason = (error as { errorType?: unknown }).errorType
        events.emit('sessionExpired', { mode, reason: typeof reason === 'string' ? reason : 'session ended' })
      }
      throw error
    }
  }
}

/** The `userPool` mode: a Cognito user pool JWT (the ID token by default) in `authorization`. */
export const userPoolMode: AuthModeDefinition = tokenMode('userPool')
/** The `oidc` mode: an OpenID Connect token in `authorization`. */
export const oidcMode: AuthModeDefinition = tokenMode('oidc')
/** The `lambda` mode: a Lambda authorizer token in `authorization`. */
export const lambdaMode: AuthModeDefinition = tokenMode('lambda')
