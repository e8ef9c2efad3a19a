import { isDuration } from '../internal/checks'
import type { ResolveIdentityOptions, TokenIdentity } from '../auth/types'
import { systemClock, type Clock } from '../internal/clock'
import { memoryStorage, type KeyValueStorage } from '../storage/types'
import { defaultFetch } from './awsJson'
import { endpointOption, isObject, isRegion, needFor, type Need } from './cognitoConfig'
import { userPoolApi } from './cognitoUserPoolApi'
import { inProcessLock, type RefreshLock } from './refreshLock'
import { tokenStore, type TokenFields } from './tokenStore'
import { userPoolSession, type FORGET, type Revoke } from './userPoolSession'

/** Tokens as Cognito returns them (`AuthenticationResult`), in camelCase. */
export interface CognitoTokens {
  readonly idToken: string
  readonly accessToken: string
  readonly refreshToken?: string | undefined
}

export interface CognitoUserPoolOptions {
  /** The app client id. */
  readonly clientId: string
  /** The pool's region; else read from the token's `iss`. Not needed with `endpoint`. */
  readonly region?: string | undefined
  /** Default `https://cognito-idp.<region>.amazonaws.com/`; a local emulator's URL in tests. */
  readonly endpoint?: string | URL | undefined
  /** For app clients with a secret: refreshes send `SECRET_HASH` (HMAC-SHA256, no WebCrypto needed), never the secret. */
  readonly clientSecret?: string | undefined
  /** The tokens as Cognito returned them (e.g. from `signInWithPassword`); else loaded from `storage`. */
  readonly tokens?: CognitoTokens | undefined
  /** Which token goes in `authorization` (default `'idToken'`). */
  readonly use?: 'idToken' | 'accessToken' | undefined
  /** Where the session is kept (`localStorage` fits), in Amplify's layout; with none, it lives as long as this object. */
  readonly storage?: KeyValueStorage | undefined
  /** Makes refreshes exclusive across tabs or processes (default: within this process). */
  readonly lock?: RefreshLock | undefined
  /** Called with each new set of tokens (a refresh here, or one adopted from storage). */
  readonly onTokens?: ((tokens: CognitoTokens) => void) | undefined
  /** Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined
  /** Time source when called on its own; a client hands over its own skew-corrected clock, which wins. */
  readonly clock?: Clock | undefined
  /** Refresh this long before the token expires (default 5 minutes, at most half its lifetime). */
  readonly refreshAheadMs?: number | undefined
  /** Give up on one refresh call after this long, as a transient failure (default 10 000 ms). */
  readonly timeoutMs?: number | undefined
}

/** A signed-in user pool session: pass it as `userPool` (it refreshes itself) and to `signOut`. */
export interface CognitoUserPoolSession {
  (options?: ResolveIdentityOptions): Promise<TokenIdentity>
  /** @internal It keeps its own session (a `SessionTokenProvider`): the client asks it on every request. */
  readonly keepsSession: true
  /** @internal For `signOut`: forgets the tokens and clears storage, then (under the refresh lock) hands the refresh tokens to `revoke`. */
  readonly [FORGET]: (revoke: Revoke | undefined) => Promise<void>
  /** The tokens held now (loaded from storage if needed), without refreshing; undefined when signed out. */
  currentTokens(): Promise<CognitoTokens | undefined>
}

/**
 * A Cognito user pool session as a `TokenProvider`: sends the ID (or access) token, refreshes it ahead
 * of its `exp`, keeps a rotated refresh token, persists through `storage` in Amplify's layout (shared
 * with Amplify and amazon-cognito-identity-js). A rejected refresh token ends it (`TokenRefreshError`
 * with `sessionEnded`; the client emits `sessionExpired`); nobody signed in is a `NoIdentityError`.
 * See the README's "Cognito user pool sessions".
 *
 * @example createClient({ endpoint, authMode: 'userPool', userPool: fromCognitoUserPool({ clientId, tokens }) })
 */
export function fromCognitoUserPool(options: CognitoUserPoolOptions): CognitoUserPoolSession {
  const need: Need = needFor('fromCognitoUserPool')
  need(isObject(options), 'pass options with `clientId`.')
  const {
    clientId,
    clientSecret,
    region,
    tokens: given,
    use = 'idToken',
    storage,
    lock = inProcessLock,
    onTokens,
    fetch = defaultFetch,
    clock: ownClock = systemClock,
    refreshAheadMs = 300_000, // 5 minutes
    timeoutMs = 10_000,
  } = options
  need(typeof clientId === 'string' && clientId.trim(), '`clientId` must be the app client id.')
  need(
    clientSecret === undefined || (typeof clientSecret === 'string' && clientSecret),
    '`clientSecret` must be a non-empty string.',
  )
  need((use as string) === 'idToken' || use === 'accessToken', "`use` must be 'idToken' or 'accessToken'.")
  // Cognito's tokens, as given or as stored: strings where present, with the one `use` sends.
  const isTokens = (t: TokenFields): t is CognitoTokens =>
    isObject(t) &&
    [t.idToken, t.accessToken, t.refreshToken].every((x) => x === undefined || typeof x === 'string') &&
    !!t[use]
  need(given === undefined || isTokens(given), "`tokens` must be Cognito's tokens (strings), with the one `use` sends.")
  need(
    storage === undefined ||
      ['getItem', 'setItem', 'removeItem'].every((m) =>
        isFunction((storage as unknown as Record<string, unknown> | null)?.[m]),
      ),
    '`storage` needs getItem, setItem and removeItem (localStorage fits).',
  )
  need(
    // `onTokens` is optional: `lock` stands in for it when absent.
    [lock, fetch, onTokens ?? lock, (ownClock as Partial<Clock> | null)?.now].every(isFunction),
    '`lock`, `onTokens` and `fetch` must be functions; `clock` needs now().',
  )
  need(
    isDuration(refreshAheadMs, 0) && isDuration(timeoutMs, 0) && timeoutMs > 0,
    '`refreshAheadMs` (>= 0) and `timeoutMs` (> 0) must be milliseconds.',
  )
  need(region === undefined || isRegion(region), '`region` must be an AWS region, e.g. "us-east-1".')
  const endpoint = endpointOption(options.endpoint, need)
  return userPoolSession({
    use,
    tokens: given,
    store: tokenStore(storage ?? memoryStorage(), clientId, isTokens),
    api: userPoolApi({ clientId, clientSecret, region, endpoint, fetch, timeoutMs, need }),
    lock,
    lockName: `authmode:cognito-user-pool:${clientId}`,
    onTokens,
    clock: ownClock,
    refreshAheadMs,
  })
}

function isFunction(value: unknown): boolean {
  return typeof value === 'function'
}
