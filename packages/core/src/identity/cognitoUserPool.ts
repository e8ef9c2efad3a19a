import { isDuration } from '../internal/checks'
import type { SessionResolveOptions, SessionTokenProvider, TokenIdentity } from '../auth/types'
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
  /** For app clients with a secret: refreshes send `SECRET_HASH` (HMAC-SHA256 via WebCrypto), never the secret. */
  readonly clientSecret?: string | undefined
  /** The tokens as Cognito returned them (e.g. from `signInWithPassword`); else loaded from `storage`. */
  readonly tokens?: CognitoTokens | undefined
  /** Which token goes in `authorization` (default `'idToken'`). */
  readonly use?: 'idToken' | 'accessToken' | undefined
  /**
   * Where the session is kept (`localStorage` fits), in Amplify's layout
   * (`CognitoIdentityServiceProvider.<clientId>.…`), so sessions are shared with Amplify and
   * amazon-cognito-identity-js; with none, it lives as long as this object.
   */
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

/**
 * A signed-in Cognito user pool session: a `TokenProvider` to pass as `userPool` (it refreshes
 * itself, so the client asks it on every request), plus sign-out.
 */
export interface CognitoUserPoolSession extends SessionTokenProvider {
  (options?: SessionResolveOptions): Promise<TokenIdentity>
  /** @internal For `signOut`: forgets the tokens and clears storage, then (under the refresh lock) hands the refresh tokens to `revoke`. */
  readonly [FORGET]: (revoke: Revoke | undefined) => Promise<void>
  /** The tokens held now (loaded from storage if needed), without refreshing; undefined when signed out. */
  currentTokens(): Promise<CognitoTokens | undefined>
}

/**
 * A Cognito user pool session as a `TokenProvider`: sends the ID token (or the access token with
 * `use: 'accessToken'`), refreshes it with `GetTokensFromRefreshToken` ahead of its `exp` (one
 * refresh however many requests wait), keeps a rotated refresh token, and persists through
 * `storage` in Amplify's layout (a session Amplify or amazon-cognito-identity-js signed in is
 * picked up; sign-out removes that user's keys). A definitive rejection of the refresh token
 * (`NotAuthorizedException`, `TokenRevokedException`, `UserNotFoundException`,
 * `RefreshTokenReuseException`, `PasswordResetRequiredException`, `UserNotConfirmedException`)
 * ends the session: a `TokenRefreshError` with `sessionEnded`, the user's keys removed, and the
 * client emits `sessionExpired`.
 * Any other failure while the token is still valid keeps serving it (tried again after a pause);
 * once it has expired, a transient one (network, 5xx, throttling) keeps the session and throws a
 * retryable `TokenRefreshError`.
 * With nobody signed in it throws `NoIdentityError`, so a mode list moves on.
 *
 * @example
 * ```ts
 * import { createClient, fromCognitoUserPool, signInWithPassword } from '@authmode/node'
 *
 * const tokens = await signInWithPassword({ clientId, username, password, region: 'us-east-1' })
 * const session = fromCognitoUserPool({ clientId, tokens })
 * const client = createClient({ endpoint, authMode: 'userPool', userPool: session })
 * client.on('sessionExpired', () => showSignIn())
 * // later
 * await signOut(session)
 * ```
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
