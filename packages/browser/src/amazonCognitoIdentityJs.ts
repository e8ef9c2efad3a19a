// The `@authmode/browser/amazon-cognito-identity-js` entry: a TokenProvider over a session that an
// app signed in with amazon-cognito-identity-js. The library is not imported here, only described
// by the few methods used (so any 6.x copy the app has fits, and bundles never get a second one);
// its own getSession/refreshSession do every refresh, with the tokens it keeps in its storage.
import {
  ConfigurationError,
  NoIdentityError,
  TokenRefreshError,
  type RefreshLock,
  type SessionResolveOptions,
  type SessionTokenProvider,
  type TokenIdentity,
} from '@authmode/core'
import { endsCognitoSession, memoizeIdentity } from '@authmode/core/internal'
import { browserRefreshLock } from './locks/browserRefreshLock'

/** The parts of amazon-cognito-identity-js's `CognitoIdToken` / `CognitoAccessToken` used here. */
export interface CognitoJwtLike {
  getJwtToken(): string
  /** The `exp` claim, in seconds. */
  getExpiration(): number
}

/** The parts of amazon-cognito-identity-js's `CognitoUserSession` used here. */
export interface CognitoUserSessionLike {
  getIdToken(): CognitoJwtLike
  getAccessToken(): CognitoJwtLike
  getRefreshToken(): unknown
  isValid(): boolean
}

/** The parts of amazon-cognito-identity-js's `CognitoUser` used here. */
export interface CognitoUserLike {
  getUsername(): string
  /** The session held in memory (null after `signOut()`); read without any network call. */
  getSignInUserSession?(): CognitoUserSessionLike | null
  getSession(callback: (error: Error | null, session: CognitoUserSessionLike | null) => void): void
  refreshSession(
    refreshToken: unknown,
    callback: (error: unknown, session?: CognitoUserSessionLike | null) => void,
  ): void
}

/** The parts of amazon-cognito-identity-js's `CognitoUserPool` used here. */
export interface CognitoUserPoolLike {
  getCurrentUser(): CognitoUserLike | null
}

export interface AmazonCognitoIdentityJsOptions {
  /** Which token goes in `authorization`: the ID token (default, as AppSync expects) or the access token. */
  readonly use?: 'idToken' | 'accessToken' | undefined
  /**
   * Refreshes run under this lock, so tabs sharing the library's `localStorage` tokens refresh
   * once: inside it the library re-reads what another tab stored. Default: `browserRefreshLock()`.
   */
  readonly lock?: RefreshLock | undefined
}

/**
 * A `TokenProvider` for apps that already sign in with `amazon-cognito-identity-js`: pass the
 * `CognitoUserPool` (the user signed in last, as the library remembers it, is read on every call:
 * nobody signed in gives `NoIdentityError`, so a mode list moves on) or one `CognitoUser`.
 *
 * Tokens come from the library's `getSession()`, which refreshes with its stored refresh token
 * once the session is no longer valid; after AppSync rejects a token, `refreshSession()` is called.
 * Both run under a cross-tab lock (`browserRefreshLock()` by default), inside which the library
 * re-reads its storage, so tabs refresh once between them. The identity cache of `@authmode/core`
 * shares each call among the requests waiting and holds the token until it expires, so while it
 * is valid a request takes no lock and makes no call. The client asks this provider on every
 * request (it keeps no copy), so signing out with the library takes effect at once.
 * A rejected refresh token (`NotAuthorizedException`, …: the list of `@authmode/core`) gives a
 * `TokenRefreshError` with `sessionEnded` (sign in again); a network failure, throttling or a 5xx
 * one with `retryable`, and the library keeps its session.
 *
 * @example
 * ```ts
 * import { CognitoUserPool } from 'amazon-cognito-identity-js'
 * import { createClient } from '@authmode/browser'
 * import { fromAmazonCognitoIdentityJs } from '@authmode/browser/amazon-cognito-identity-js'
 *
 * const pool = new CognitoUserPool({ UserPoolId: 'us-east-1_abc', ClientId: 'client-id' })
 * const client = createClient({ endpoint, authMode: 'userPool', userPool: fromAmazonCognitoIdentityJs(pool) })
 * ```
 */
export function fromAmazonCognitoIdentityJs(
  source: CognitoUserPoolLike | CognitoUserLike,
  options: AmazonCognitoIdentityJsOptions = {},
): SessionTokenProvider {
  // Checked at run time too: plain-JS callers pass anything.
  const use: unknown = options.use ?? 'idToken'
  if (use !== 'idToken' && use !== 'accessToken') {
    throw new ConfigurationError("fromAmazonCognitoIdentityJs: `use` must be 'idToken' or 'accessToken'.")
  }
  if (!isPool(source) && !isUser(source)) {
    throw new ConfigurationError(
      'fromAmazonCognitoIdentityJs: pass a CognitoUserPool or a CognitoUser of amazon-cognito-identity-js.',
    )
  }
  const lock = options.lock ?? browserRefreshLock()
  const tokenOf = (session: CognitoUserSessionLike): TokenIdentity => {
    const jwt = use === 'idToken' ? session.getIdToken() : session.getAccessToken()
    return { token: jwt.getJwtToken(), expiration: new Date(jwt.getExpiration() * 1000) }
  }
  // The user a fetch is for, and the token it replaces (none: the library's current session will
  // do): set by the call that starts it.
  let user: CognitoUserLike
  let rejected: string | undefined
  // Whose identity the cache holds. The pool hands out a new CognitoUser on every call, without the
  // session in memory: the cache keeps the user's latest identity until it expires.
  let owner: string | undefined
  const cache = memoizeIdentity<TokenIdentity>(
    () => {
      const [current, replacing] = [user, rejected]
      return lock(`amazon-cognito-identity-js:${current.getUsername()}`, async () => {
        // Inside the lock getSession re-reads the library's storage, where another tab may have
        // stored new tokens, and refreshes only when the session there is no longer valid.
        const session = await getSession(current)
        return tokenOf(session).token === replacing ? tokenOf(await refreshSession(current, session)) : tokenOf(session)
      })
    },
    { clock: { now: () => Date.now() }, refreshWindowMs: 0, expiration: (identity) => identity.expiration },
  )

  // A forced refresh replacing `token` (the rejected one), unless the cache holds a newer valid one.
  const replace = (token: string, signal: AbortSignal | undefined): Promise<TokenIdentity> => {
    const held = cache.current()
    rejected = token
    const replaced = cache.refreshAfterRejection(held?.token === token ? held : undefined, signal)
    rejected = undefined
    return replaced
  }

  const provider = async ({
    forceRefresh,
    rejectedToken,
    signal,
  }: SessionResolveOptions = {}): Promise<TokenIdentity> => {
    const current = isPool(source) ? source.getCurrentUser() : source
    const name = current?.getUsername()
    // Signed out, or another user signed in: nothing of the previous user is kept.
    if (name !== owner) {
      cache.clear()
      owner = name
    }
    if (!current) throw new NoIdentityError('amazon-cognito-identity-js: nobody is signed in.')
    user = current
    if (forceRefresh === true) {
      const token = rejectedToken ?? cache.current()?.token ?? ''
      const identity = await replace(token, signal)
      // A getSession already under way (not replacing it) may have brought the same token back.
      return identity.token === token ? replace(token, signal) : identity
    }
    if (isPool(source)) return cache({ signal })
    // A user's session in the library's memory, while valid, without any lock or network call.
    const session = current.getSignInUserSession?.()
    if (!session?.isValid()) return cache({ forceRefresh: true, signal })
    const identity = tokenOf(session)
    if (identity.token !== cache.current()?.token) cache.set(identity)
    return identity
  }
  // Asked on every request, never cached by the client: signing out with the library takes effect at once.
  return Object.assign(provider, { keepsSession: true as const })
}

function isPool(source: unknown): source is CognitoUserPoolLike {
  return typeof (source as Partial<CognitoUserPoolLike> | null)?.getCurrentUser === 'function'
}

function isUser(source: unknown): source is CognitoUserLike {
  const user = source as Partial<CognitoUserLike> | null
  return typeof user?.getSession === 'function' && typeof user.refreshSession === 'function'
}

function getSession(user: CognitoUserLike): Promise<CognitoUserSessionLike> {
  return new Promise((resolve, reject) => {
    user.getSession((error, session) => {
      if (error || !session) reject(mapError(error))
      else resolve(session)
    })
  })
}

function refreshSession(user: CognitoUserLike, session: CognitoUserSessionLike): Promise<CognitoUserSessionLike> {
  return new Promise((resolve, reject) => {
    user.refreshSession(session.getRefreshToken(), (error, refreshed) => {
      if (error || !refreshed) reject(mapError(error))
      else resolve(refreshed)
    })
  })
}

/** The library's errors carry Cognito's error type in `code`; their messages are Cognito's, not ours. */
function mapError(error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') {
    // getSession fails without a code when it has no tokens ("Please authenticate").
    return new NoIdentityError('amazon-cognito-identity-js: no session; the user must sign in.', { cause: error })
  }
  if (endsCognitoSession(code)) {
    return new TokenRefreshError(`amazon-cognito-identity-js: Cognito rejected the session (${code}).`, {
      cause: error,
      sessionEnded: true,
      errorType: code,
      recoverySuggestion: 'The user must sign in again.',
    })
  }
  return new TokenRefreshError(`amazon-cognito-identity-js: the session could not be refreshed (${code}).`, {
    cause: error,
    retryable: true,
    errorType: code,
    recoverySuggestion: 'The session is kept; try again later.',
  })
}
