import type { SessionResolveOptions, SessionTokenProvider, TokenIdentity } from '../auth/types'
import { ConfigurationError } from '../errors/ConfigurationError'
import { isAuthmodeError } from '../errors/AuthmodeError'
import { NoIdentityError } from '../errors/NoIdentityError'
import { isRetryableRefresh, TokenRefreshError } from '../errors/TokenRefreshError'
import { abandonOnAbort } from '../internal/abort'
import { systemClock, type Clock } from '../internal/clock'
import type { KeyValueStorage } from '../storage/types'
import {
  callCognito,
  cognitoEndpoint,
  defaultFetch,
  parseLocation,
  readAuthAnswer,
  safeServiceMessage,
  type CognitoLocation,
} from './cognitoAuth'
import { jwtClaims, jwtDateClaim } from './jwt'
import { inProcessLock, type RefreshLock } from './refreshLock'
import { cognitoSecretHash } from './secretHash'

/** Tokens as Cognito returns them (`AuthenticationResult`), in camelCase. */
export interface CognitoTokens {
  readonly idToken: string
  readonly accessToken: string
  readonly refreshToken?: string | undefined
}

export interface CognitoUserPoolOptions {
  /** The app client id. */
  readonly clientId: string
  /** The pool's region; else read from `endpoint` or from the token's `iss`. */
  readonly region?: string | undefined
  /** Default `https://cognito-idp.<region>.amazonaws.com/`; a local emulator's URL in tests. */
  readonly endpoint?: string | URL | undefined
  /** For app clients with a secret: refreshes send `SECRET_HASH` (HMAC-SHA256 via WebCrypto), never the secret. */
  readonly clientSecret?: string | undefined
  /** The tokens as Cognito returned them (e.g. from `signInWithPassword`); else loaded from `storage`. */
  readonly tokens?: CognitoTokens | undefined
  /** Which token goes in `authorization` (default `'idToken'`). */
  readonly use?: 'idToken' | 'accessToken' | undefined
  /** Where the session is kept (`localStorage` fits); with none, it lives as long as this object. */
  readonly storage?: KeyValueStorage | undefined
  /** Default `authmode.cognitoUserPool.<clientId>.tokens`. */
  readonly storageKey?: string | undefined
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

export interface SignOutOptions {
  /** Revoke the refresh token with Cognito's `RevokeToken` (default true), then clear storage. */
  readonly revoke?: boolean | undefined
}

/**
 * A signed-in Cognito user pool session: a `TokenProvider` to pass as `userPool` (it refreshes
 * itself, so the client asks it on every request), plus sign-out.
 */
export interface CognitoUserPoolSession extends SessionTokenProvider {
  (options?: SessionResolveOptions): Promise<TokenIdentity>
  /** Revokes the refresh token (unless `revoke: false`), forgets the tokens and clears storage. */
  signOut(options?: SignOutOptions): Promise<void>
  /** The tokens held now (loaded from storage if needed), without refreshing; undefined when signed out. */
  currentTokens(): Promise<CognitoTokens | undefined>
}

// Cognito's definitive rejections of a refresh token: the session is over.
const SESSION_ENDED = new Set([
  'NotAuthorizedException',
  'TokenRevokedException',
  'UserNotFoundException',
  'RefreshTokenReuseException',
])
// A NotAuthorizedException about the client secret is a configuration mistake, not a sign-out.
const SECRET_PROBLEM = /secret hash|SECRET_HASH|configured for secret|client secret/i
const DEFAULT_REFRESH_AHEAD_MS = 5 * 60 * 1000
const DEFAULT_TIMEOUT_MS = 10_000
// After an early refresh failed for now, the still-valid token is served this long before trying again.
const EARLY_RETRY_PAUSE_MS = 10_000
const STORAGE_VERSION = 1

/** Tokens plus what was learned about their timing. */
interface Held {
  readonly tokens: CognitoTokens
  /** This clock minus the issuer's clock, learned from `iat` when the tokens arrived (0 if unknown). */
  readonly driftMs: number
  /** When the token in use expires / should be refreshed, on this clock (undefined: no `exp`). */
  readonly expiresAt: number | undefined
  readonly refreshAt: number | undefined
}

type StorageRead = { readonly readable: false } | { readonly readable: true; readonly held: Held | undefined }

/**
 * A Cognito user pool session as a `TokenProvider`: sends the ID token (or the access token with
 * `use: 'accessToken'`), refreshes it with `InitiateAuth` `REFRESH_TOKEN_AUTH` ahead of its `exp`
 * (one refresh however many requests wait), keeps a rotated refresh token, and persists through
 * `storage`. A transient failure (network, 5xx, throttling) keeps the session and throws a
 * retryable `TokenRefreshError`; a definitive rejection (`NotAuthorizedException`,
 * `TokenRevokedException`, `UserNotFoundException`, `RefreshTokenReuseException`) ends it: a
 * `TokenRefreshError` with `sessionEnded`, storage cleared, and the client emits `sessionExpired`.
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
 * await session.signOut()
 * ```
 */
export function fromCognitoUserPool(options: CognitoUserPoolOptions): CognitoUserPoolSession {
  const config = validate(options)
  const { clientId, clientSecret, storage, storageKey, use } = config
  const lockName = `authmode:cognito-user-pool:${storageKey}`

  let held: Held | undefined
  let loading: Promise<void> | undefined
  let inflight: Promise<Held> | undefined
  // Bumped by a sign-out or an ended session: work begun before it must not bring tokens back.
  let generation = 0
  // Our last write is in storage: if it disappears, the session was signed out elsewhere.
  let persisted = false
  let quietUntil = 0
  // The last ID token seen, for the region in its issuer (sign-out after the tokens are gone).
  let lastIdToken: string | undefined

  const makeHeld = (tokens: CognitoTokens, driftMs: number): Held => {
    const claims = jwtClaims(tokens[use])
    const exp = jwtDateClaim(claims, 'exp')?.getTime()
    const iat = jwtDateClaim(claims, 'iat')?.getTime()
    lastIdToken = tokens.idToken
    if (exp === undefined) return { tokens, driftMs, expiresAt: undefined, refreshAt: undefined }
    const lifetime = iat !== undefined && iat < exp ? exp - iat : undefined
    const ahead = Math.min(config.refreshAheadMs, lifetime === undefined ? config.refreshAheadMs : lifetime / 2)
    return { tokens, driftMs, expiresAt: exp + driftMs, refreshAt: exp + driftMs - ahead }
  }
  // Tokens that just arrived from Cognito: their `iat` says how far this clock is from Cognito's,
  // so a clock that is hours off cannot make every new token look expired (a refresh loop).
  const received = (tokens: CognitoTokens, clock: Clock): Held => {
    const iat = jwtDateClaim(jwtClaims(tokens[use]), 'iat')?.getTime()
    return makeHeld(tokens, iat === undefined ? 0 : clock.now() - iat)
  }
  const isExpired = (h: Held, clock: Clock): boolean => h.expiresAt !== undefined && clock.now() >= h.expiresAt
  const needsRefresh = (h: Held, clock: Clock): boolean => h.refreshAt !== undefined && clock.now() >= h.refreshAt
  const identityOf = (h: Held): TokenIdentity => ({
    token: h.tokens[use],
    expiration: h.expiresAt === undefined ? undefined : new Date(h.expiresAt),
  })
  const notify = (tokens: CognitoTokens): void => {
    try {
      options.onTokens?.(tokens)
    } catch {
      // A listener's failure must not fail the refresh every waiting request shares.
    }
  }

  const readStorage = async (): Promise<StorageRead> => {
    if (!storage) return { readable: false }
    let text: unknown
    try {
      text = await storage.getItem(storageKey)
    } catch {
      return { readable: false }
    }
    if (text === null || text === undefined) return { readable: true, held: undefined }
    const parsed = typeof text === 'string' ? parseStored(text) : undefined
    // Something we cannot read (another app's value, a partial write): not a sign-out, just not ours.
    if (parsed === undefined || parsed.tokens[use] === '') return { readable: false }
    return { readable: true, held: makeHeld(parsed.tokens, parsed.driftMs) }
  }
  const writeStorage = async (h: Held): Promise<void> => {
    if (!storage) return
    try {
      await storage.setItem(storageKey, serialize(h))
      persisted = true
    } catch {
      // Full or forbidden (private mode): the session still works in memory.
      persisted = false
    }
  }
  const clearStorage = async (): Promise<void> => {
    persisted = false
    if (!storage) return
    try {
      await storage.removeItem(storageKey)
    } catch {
      // Nothing more to do: the tokens are gone from memory either way.
    }
  }
  const endLocally = (): void => {
    generation++
    held = undefined
    quietUntil = 0
  }

  const load = (): Promise<void> =>
    (loading ??= (async () => {
      if (config.tokens !== undefined) {
        held = makeHeld(config.tokens, 0)
        await writeStorage(held)
        return
      }
      const read = await readStorage()
      if (read.readable && read.held !== undefined) {
        held = read.held
        persisted = true
      }
    })())

  const refreshExclusively = async (clock: Clock, force: boolean, startGeneration: number): Promise<Held> => {
    if (generation !== startGeneration) throw signedOut()
    let from = held
    // Inside the lock: another tab or process may have refreshed (or signed out) meanwhile.
    const read = await readStorage()
    if (generation !== startGeneration) throw signedOut()
    if (read.readable) {
      if (read.held === undefined) {
        if (persisted) {
          endLocally()
          throw new NoIdentityError(
            'userPool: the session was signed out elsewhere (its tokens are gone from storage). Sign in again.',
          )
        }
      } else if (from === undefined || !sameTokens(read.held.tokens, from.tokens)) {
        held = from = read.held
        persisted = true
        notify(from.tokens)
        // Newer tokens than the ones this caller has (rejected) or found stale: use them.
        if (!needsRefresh(from, clock)) return from
      }
    }
    if (from === undefined) throw signedOut()

    const refreshToken = from.tokens.refreshToken
    if (refreshToken === undefined) {
      if (!force && !isExpired(from, clock)) return from
      await clearStorage()
      endLocally()
      throw new TokenRefreshError(
        'userPool: the token expired (or was rejected) and there is no refresh token to renew it. Sign in again.',
        { sessionEnded: true, errorType: 'NoRefreshToken', recoverySuggestion: 'Sign in again.' },
      )
    }

    const endpoint = cognitoEndpoint(config.location, from.tokens.idToken, 'fromCognitoUserPool')
    const parameters: Record<string, string> = { REFRESH_TOKEN: refreshToken }
    if (clientSecret !== undefined) {
      const username = usernameOf(from.tokens)
      if (username === undefined) {
        throw new TokenRefreshError(
          'userPool: cannot compute SECRET_HASH: the tokens name no user (no cognito:username, username or sub claim).',
          { errorType: 'NoUsername' },
        )
      }
      parameters['SECRET_HASH'] = await cognitoSecretHash({ clientSecret, username, clientId })
    }
    const secrets = [
      refreshToken,
      from.tokens.idToken,
      from.tokens.accessToken,
      clientSecret,
      parameters['SECRET_HASH'],
    ]
    let result
    try {
      result = await callCognito<unknown>(
        { endpoint, fetch: config.fetch, signal: AbortSignal.timeout(config.timeoutMs) },
        'InitiateAuth',
        { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: parameters },
      )
    } catch (error) {
      // Network failure or our timeout: Cognito said nothing about the session, so it is kept.
      const what = isAuthmodeError(error)
        ? 'Cognito could not be reached'
        : `Cognito did not answer within ${String(config.timeoutMs)} ms`
      throw new TokenRefreshError(
        `userPool: refreshing the tokens failed for now (${what}); the session is kept and the next request tries again.`,
        { cause: error, retryable: true, errorType: isAuthmodeError(error) ? 'NetworkError' : 'TimeoutError' },
      )
    }

    if (!result.ok) {
      const detail = result.message ? `: ${safeServiceMessage(result.message, secrets)}` : ''
      if (result.type === 'NotAuthorizedException' && SECRET_PROBLEM.test(result.message)) {
        throw new ConfigurationError(
          `fromCognitoUserPool: Cognito rejected the client secret (${result.type}${detail}). Check \`clientSecret\` (and that the app client has one).`,
        )
      }
      if (SESSION_ENDED.has(result.type)) {
        await clearStorage()
        endLocally()
        throw new TokenRefreshError(`userPool: Cognito ended the session (${result.type}${detail}). Sign in again.`, {
          sessionEnded: true,
          errorType: result.type,
          recoverySuggestion: 'Sign in again.',
        })
      }
      throw new TokenRefreshError(
        result.transient
          ? `userPool: refreshing the tokens failed for now (${result.type}${detail}); the session is kept and the next request tries again.`
          : `userPool: Cognito did not refresh the tokens (${result.type}${detail}); the session is kept.`,
        {
          retryable: result.transient,
          errorType: result.type,
          recoverySuggestion: result.transient
            ? 'Try again shortly; queries are retried automatically.'
            : 'Check the app client: it must allow ALLOW_REFRESH_TOKEN_AUTH.',
        },
      )
    }

    const answer = readAuthAnswer(result.body)
    if (answer.kind === 'challenge') {
      throw new TokenRefreshError(
        `userPool: Cognito asks for the ${answer.challengeName} challenge instead of refreshing; the session is kept.`,
        { errorType: answer.challengeName },
      )
    }
    if (answer.kind === 'invalid') {
      throw new TokenRefreshError(
        `userPool: Cognito's answer to the refresh is not usable (${answer.problem}); the session is kept and the next request tries again.`,
        {
          retryable: true,
          errorType: 'InvalidResponse',
          recoverySuggestion: 'Check that `endpoint` is the Cognito user pool API and not a proxy or an error page.',
        },
      )
    }
    // Without rotation Cognito returns no refresh token: the one we have stays valid.
    const next = received({ ...answer.tokens, refreshToken: answer.tokens.refreshToken ?? refreshToken }, clock)
    // Written even after a sign-out began: the sign-out, queued behind us on the lock, revokes what storage holds.
    await writeStorage(next)
    if (generation !== startGeneration) throw signedOut()
    held = next
    quietUntil = 0
    notify(next.tokens)
    return next
  }

  const refresh = (clock: Clock, force: boolean): Promise<Held> => {
    if (inflight) return inflight
    const startGeneration = generation
    const run = config.lock(lockName, () => refreshExclusively(clock, force, startGeneration))
    // Cleared once settled (not in a `finally` inside): a task that fails synchronously would
    // otherwise leave its failure here for every later caller.
    const clear = (): void => {
      if (inflight === run) inflight = undefined
    }
    inflight = run
    run.then(clear, clear)
    return run
  }

  const session = (async (call: SessionResolveOptions = {}) => {
    const clock = call.clock ?? config.clock
    await abandonOnAbort(load(), call.signal)
    const current = held
    if (current === undefined) throw signedOut()
    if (call.forceRefresh === true) {
      // The server rejected a token we have already replaced: the replacement, not another refresh.
      if (
        call.rejectedToken !== undefined &&
        current.tokens[use] !== call.rejectedToken &&
        !isExpired(current, clock)
      ) {
        return identityOf(current)
      }
      return identityOf(await abandonOnAbort(refresh(clock, true), call.signal))
    }
    if (!needsRefresh(current, clock)) return identityOf(current)
    const expired = isExpired(current, clock)
    if (!expired && clock.now() < quietUntil) return identityOf(current)
    try {
      return identityOf(await abandonOnAbort(refresh(clock, false), call.signal))
    } catch (error) {
      // An early refresh that failed for now: the token is still valid, so keep serving it.
      if (!expired && isRetryableRefresh(error) && held === current && !isExpired(current, clock)) {
        quietUntil = clock.now() + EARLY_RETRY_PAUSE_MS
        return identityOf(current)
      }
      throw error
    }
  }) as CognitoUserPoolSession

  const signOut = async (signOutOptions: SignOutOptions = {}): Promise<void> => {
    await load()
    const inMemory = held?.tokens.refreshToken
    // At once, before the lock: no request may use these tokens any more.
    endLocally()
    await config.lock(lockName, async () => {
      const read = await readStorage()
      const stored = read.readable ? read.held?.tokens : undefined
      await clearStorage()
      if (signOutOptions.revoke === false) return
      const tokens = [...new Set([stored?.refreshToken, inMemory].filter((t): t is string => t !== undefined))]
      const idToken = stored?.idToken ?? lastIdToken
      const failures: TokenRefreshError[] = []
      for (const token of tokens) {
        const failure = await revoke(token, idToken)
        if (failure) failures.push(failure)
      }
      if (failures[0]) throw failures[0]
    })
  }

  const revoke = async (token: string, idToken: string | undefined): Promise<TokenRefreshError | undefined> => {
    const endpoint = cognitoEndpoint(config.location, idToken, 'signOut')
    let result
    try {
      result = await callCognito<unknown>(
        { endpoint, fetch: config.fetch, signal: AbortSignal.timeout(config.timeoutMs) },
        'RevokeToken',
        { Token: token, ClientId: clientId, ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }) },
      )
    } catch (error) {
      return new TokenRefreshError(
        'userPool: signed out here, but Cognito could not be reached to revoke the refresh token.',
        { cause: error, sessionEnded: true, errorType: isAuthmodeError(error) ? 'NetworkError' : 'TimeoutError' },
      )
    }
    // Already invalid (revoked, expired, unknown): there is nothing left to revoke.
    if (result.ok || result.type === 'NotAuthorizedException') return undefined
    const detail = result.message ? `: ${safeServiceMessage(result.message, [token, clientSecret])}` : ''
    return new TokenRefreshError(
      `userPool: signed out here, but Cognito did not revoke the refresh token (${result.type}${detail}).`,
      {
        sessionEnded: true,
        errorType: result.type,
        recoverySuggestion: 'Enable token revocation on the app client, or sign out with { revoke: false }.',
      },
    )
  }

  return Object.assign(session, {
    keepsSession: true as const,
    signOut,
    currentTokens: async (): Promise<CognitoTokens | undefined> => {
      await load()
      return held?.tokens
    },
  })
}

function signedOut(): NoIdentityError {
  return new NoIdentityError('userPool: nobody is signed in (no tokens were given and none are in storage).')
}

function sameTokens(a: CognitoTokens, b: CognitoTokens): boolean {
  return a.idToken === b.idToken && a.accessToken === b.accessToken && a.refreshToken === b.refreshToken
}

/** The user name Cognito hashes `SECRET_HASH` with on refresh: the token's user name, else its `sub`. */
function usernameOf(tokens: CognitoTokens): string | undefined {
  const id = jwtClaims(tokens.idToken)
  const access = jwtClaims(tokens.accessToken)
  for (const value of [id?.['cognito:username'], access?.['username'], id?.['sub'], access?.['sub']]) {
    if (typeof value === 'string' && value !== '') return value
  }
  return undefined
}

function serialize(h: Held): string {
  return JSON.stringify({
    v: STORAGE_VERSION,
    idToken: h.tokens.idToken,
    accessToken: h.tokens.accessToken,
    ...(h.tokens.refreshToken === undefined ? {} : { refreshToken: h.tokens.refreshToken }),
    clockDriftMs: h.driftMs,
  })
}

function parseStored(text: string): { tokens: CognitoTokens; driftMs: number } | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { v, idToken, accessToken, refreshToken, clockDriftMs } = value as Record<string, unknown>
  if (v !== STORAGE_VERSION || typeof idToken !== 'string' || typeof accessToken !== 'string') return undefined
  if (refreshToken !== undefined && typeof refreshToken !== 'string') return undefined
  return {
    tokens: { idToken, accessToken, ...(refreshToken === undefined ? {} : { refreshToken }) },
    driftMs: typeof clockDriftMs === 'number' && Number.isFinite(clockDriftMs) ? clockDriftMs : 0,
  }
}

interface ValidConfig {
  readonly clientId: string
  readonly clientSecret: string | undefined
  readonly location: CognitoLocation
  readonly tokens: CognitoTokens | undefined
  readonly use: 'idToken' | 'accessToken'
  readonly storage: KeyValueStorage | undefined
  readonly storageKey: string
  readonly lock: RefreshLock
  readonly fetch: typeof globalThis.fetch
  readonly clock: Clock
  readonly refreshAheadMs: number
  readonly timeoutMs: number
}

function validate(options: CognitoUserPoolOptions): ValidConfig {
  const where = 'fromCognitoUserPool'
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new ConfigurationError(`${where} needs an options object with at least \`clientId\`.`)
  }
  if (typeof options.clientId !== 'string' || options.clientId.trim() === '') {
    throw new ConfigurationError(`${where}: \`clientId\` must be the app client id (a non-empty string).`)
  }
  if (options.clientSecret !== undefined && (typeof options.clientSecret !== 'string' || options.clientSecret === '')) {
    throw new ConfigurationError(`${where}: \`clientSecret\` must be a non-empty string when given.`)
  }
  const use: unknown = options.use ?? 'idToken'
  if (use !== 'idToken' && use !== 'accessToken') {
    throw new ConfigurationError(`${where}: \`use\` must be 'idToken' or 'accessToken', got ${JSON.stringify(use)}.`)
  }
  const tokens = options.tokens
  if (tokens !== undefined) {
    if (typeof tokens !== 'object' || (tokens as unknown) === null) {
      throw new ConfigurationError(
        `${where}: \`tokens\` must be { idToken, accessToken, refreshToken } as Cognito returned them.`,
      )
    }
    for (const name of ['idToken', 'accessToken', 'refreshToken'] as const) {
      const value = tokens[name]
      if (value !== undefined && typeof value !== 'string') {
        throw new ConfigurationError(`${where}: \`tokens.${name}\` must be a string.`)
      }
    }
    if (!tokens[use]) {
      throw new ConfigurationError(`${where}: \`tokens.${use}\` is missing, and it is the token \`use\` sends.`)
    }
  }
  const storage = options.storage
  if (
    storage !== undefined &&
    (typeof storage !== 'object' ||
      (storage as unknown) === null ||
      typeof storage.getItem !== 'function' ||
      typeof storage.setItem !== 'function' ||
      typeof storage.removeItem !== 'function')
  ) {
    throw new ConfigurationError(`${where}: \`storage\` must have getItem, setItem and removeItem (localStorage fits).`)
  }
  if (options.storageKey !== undefined && (typeof options.storageKey !== 'string' || options.storageKey === '')) {
    throw new ConfigurationError(`${where}: \`storageKey\` must be a non-empty string.`)
  }
  for (const name of ['lock', 'onTokens', 'fetch'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new ConfigurationError(`${where}: \`${name}\` must be a function.`)
    }
  }
  if (options.clock !== undefined && typeof (options.clock as { now?: unknown } | null)?.now !== 'function') {
    throw new ConfigurationError(`${where}: \`clock\` must have a now() method.`)
  }
  const refreshAheadMs = options.refreshAheadMs ?? DEFAULT_REFRESH_AHEAD_MS
  if (typeof refreshAheadMs !== 'number' || !Number.isFinite(refreshAheadMs) || refreshAheadMs < 0) {
    throw new ConfigurationError(`${where}: \`refreshAheadMs\` must be a number of milliseconds ≥ 0.`)
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigurationError(`${where}: \`timeoutMs\` must be a number of milliseconds > 0.`)
  }
  return {
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    location: parseLocation(options, where),
    tokens,
    use,
    storage,
    storageKey: options.storageKey ?? `authmode.cognitoUserPool.${options.clientId}.tokens`,
    lock: options.lock ?? inProcessLock,
    fetch: options.fetch ?? defaultFetch,
    clock: options.clock ?? systemClock,
    refreshAheadMs,
    timeoutMs,
  }
}
