import type { SessionResolveOptions, SessionTokenProvider, TokenIdentity } from '../auth/types'
import { ConfigurationError } from '../errors/ConfigurationError'
import { NoIdentityError } from '../errors/NoIdentityError'
import { isRetryableRefresh, TokenRefreshError } from '../errors/TokenRefreshError'
import { abandonOnAbort } from '../internal/abort'
import { systemClock, type Clock } from '../internal/clock'
import type { KeyValueStorage } from '../storage/types'
import { callAwsJson, defaultFetch, type AwsJsonFailure } from './awsJson'
import { cognitoUrl, endpointOption, isDuration, isObject, isRegion, needFor, type Need } from './cognitoConfig'
import { jwtClaims, jwtTime } from './jwt'
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
const SESSION_ENDED = /^(?:NotAuthorized|TokenRevoked|UserNotFound|RefreshTokenReuse)Exception$/
// A NotAuthorizedException about the client secret is a configuration mistake, not a sign-out.
const SECRET_PROBLEM = /secret hash|SECRET_HASH|configured for secret|client secret/i
// The region in a user pool token's issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>`.
const ISSUER_REGION = /^https:\/\/cognito-idp(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com/
// After an early refresh failed for now, the still-valid token is served this long before trying again.
const EARLY_RETRY_PAUSE_MS = 10_000

/** Tokens plus what was learned about their timing. */
interface Held {
  readonly tokens: CognitoTokens
  /** This clock minus the issuer's clock, learned from `iat` when the tokens arrived (0 if unknown). */
  readonly driftMs: number
  /** When the token in use expires / should be refreshed, on this clock (Infinity: no `exp`). */
  readonly expiresAt: number
  readonly refreshAt: number
}

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
  const need: Need = needFor('fromCognitoUserPool')
  need(isObject(options), 'pass options with `clientId`.')
  const {
    clientId,
    clientSecret,
    region,
    tokens: given,
    use = 'idToken',
    storage,
    storageKey,
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
  const isTokens = (value: unknown): value is CognitoTokens => {
    const t = value as Partial<CognitoTokens>
    return (
      isObject(t) &&
      [t.idToken, t.accessToken, t.refreshToken].every((x) => x === undefined || typeof x === 'string') &&
      !!t[use]
    )
  }
  need(
    given === undefined || isTokens(given),
    "`tokens` must be Cognito's { idToken, accessToken, refreshToken } (strings), with the one `use` sends.",
  )
  need(
    storage === undefined ||
      ['getItem', 'setItem', 'removeItem'].every(
        (m) => typeof (storage as unknown as Record<string, unknown> | null)?.[m] === 'function',
      ),
    '`storage` needs getItem, setItem and removeItem (localStorage fits).',
  )
  need(
    storageKey === undefined || (typeof storageKey === 'string' && storageKey),
    '`storageKey` must be a non-empty string.',
  )
  const key = storageKey ?? `authmode.cognitoUserPool.${clientId}.tokens`
  need(
    typeof lock === 'function' &&
      typeof fetch === 'function' &&
      (onTokens === undefined || typeof onTokens === 'function') &&
      typeof (ownClock as Partial<Clock> | null)?.now === 'function',
    '`lock`, `onTokens` and `fetch` must be functions; `clock` needs now().',
  )
  need(
    isDuration(refreshAheadMs, 0) && isDuration(timeoutMs, 0) && timeoutMs > 0,
    '`refreshAheadMs` (≥ 0) and `timeoutMs` (> 0) must be milliseconds.',
  )
  need(region === undefined || isRegion(region), '`region` must be an AWS region, e.g. "us-east-1".')
  const endpoint = endpointOption(options.endpoint, need)
  const lockName = `authmode:cognito-user-pool:${key}`

  let held: Held | undefined
  let loading: Promise<void> | undefined
  let inflight: Promise<Held> | undefined
  // Bumped by a sign-out or an ended session: work begun before it must not bring tokens back.
  let generation = 0
  // Our last write is in storage: if it disappears, the session was signed out elsewhere.
  let persisted = false
  let quietUntil = 0
  // The ID token seen last, for the region in its issuer (sign-out after the tokens are gone).
  let lastIdToken: string | undefined

  // `drift`: known (from storage), or a clock to learn it from the tokens' `iat` when they have just
  // arrived, so that a clock hours off cannot make every new token look expired (a refresh loop).
  const hold = (tokens: CognitoTokens, drift: number | Clock): Held => {
    const claims = jwtClaims(tokens[use])
    const exp = jwtTime(claims, 'exp') ?? Infinity
    const iat = jwtTime(claims, 'iat')
    const driftMs = typeof drift === 'number' ? drift : iat === undefined ? 0 : drift.now() - iat
    lastIdToken = tokens.idToken
    // Ahead of expiry by `refreshAheadMs`, at most half the token's lifetime.
    const expiresAt = exp + driftMs
    return {
      tokens,
      driftMs,
      expiresAt,
      refreshAt: expiresAt - Math.min(refreshAheadMs, iat !== undefined && iat < exp ? (exp - iat) / 2 : Infinity),
    }
  }
  const identityOf = ({ tokens, expiresAt }: Held): TokenIdentity => ({
    token: tokens[use],
    expiration: expiresAt < Infinity ? new Date(expiresAt) : undefined,
  })
  const adopt = (next: Held): Held => {
    held = next
    quietUntil = 0
    try {
      onTokens?.(next.tokens)
    } catch {
      // A listener's failure must not fail the refresh every waiting request shares.
    }
    return next
  }
  const end = (): void => {
    generation++
    held = undefined
  }

  // What storage holds: undefined when nothing; false when it cannot be read (no storage, a failing
  // one, a value that is not ours or a partial write), which is not a sign-out.
  const read = async (): Promise<Held | undefined | false> => {
    if (!storage) return false
    try {
      const text = await storage.getItem(key)
      if (text === null || text === undefined) return undefined
      const stored = JSON.parse(text) as Record<string, unknown>
      if (stored['v'] === 1 && isTokens(stored)) {
        const { idToken, accessToken, refreshToken, clockDriftMs: drift } = stored
        return hold({ idToken, accessToken, refreshToken }, Number.isFinite(drift) ? (drift as number) : 0)
      }
    } catch {
      // Unreadable: as below.
    }
    return false
  }
  const write = async ({ tokens, driftMs }: Held): Promise<void> => {
    try {
      const { idToken, accessToken, refreshToken } = tokens
      await storage?.setItem(key, JSON.stringify({ v: 1, idToken, accessToken, refreshToken, clockDriftMs: driftMs }))
      persisted = !!storage
    } catch {
      // Full or forbidden (private mode): the session still works in memory.
      persisted = false
    }
  }
  const clear = async (): Promise<void> => {
    persisted = false
    try {
      await storage?.removeItem(key)
    } catch {
      // Nothing more to do: the tokens are gone from memory either way.
    }
  }

  const load = (): Promise<void> =>
    (loading ??= (async () => {
      if (given) return write((held = hold(given, 0)))
      const stored = await read()
      if (stored) {
        held = stored
        persisted = true
      }
    })())

  // `endpoint`, else the public one of the region given or read from the ID token's issuer.
  const call = (idToken: string | undefined, operation: string, body: object, secrets: (string | undefined)[]) => {
    const iss = jwtClaims(idToken ?? '')?.['iss']
    const found = region ?? ISSUER_REGION.exec(typeof iss === 'string' ? iss : '')?.[1]
    need(endpoint ?? found, 'pass `region` or `endpoint`: the token names no Cognito region.')
    return callAwsJson(
      endpoint ?? cognitoUrl('cognito-idp', found ?? ''),
      `AWSCognitoIdentityProviderService.${operation}`,
      body,
      {
        fetch,
        timeoutMs,
        secrets: [...secrets, clientSecret],
      },
    )
  }

  const refreshNow = async (clock: Clock, force: boolean, started: number): Promise<Held> => {
    const check = (): void => {
      if (generation !== started) throw signedOut()
    }
    check()
    let from = held
    // Inside the lock: another tab or process may have refreshed (or signed out) meanwhile.
    const stored = await read()
    check()
    if (stored === undefined && persisted) {
      end()
      throw new NoIdentityError('userPool: signed out elsewhere (the tokens left storage). Sign in again.')
    }
    if (stored && !(from && sameTokens(stored.tokens, from.tokens))) {
      persisted = true
      // Newer tokens than the ones this caller found stale (or had rejected): use them.
      if (clock.now() < adopt((from = stored)).refreshAt) return from
    }
    if (!from) throw signedOut()

    const { tokens } = from
    const { refreshToken } = tokens
    if (refreshToken === undefined) {
      if (!force && clock.now() < from.expiresAt) return from
      end()
      await clear()
      throw ended('the token expired or was rejected, and there is no refresh token', 'NoRefreshToken')
    }
    const parameters: Record<string, string> = { REFRESH_TOKEN: refreshToken }
    if (clientSecret !== undefined) {
      parameters['SECRET_HASH'] = await cognitoSecretHash({ clientSecret, username: usernameOf(tokens), clientId })
    }
    const result = await call(
      tokens.idToken,
      'InitiateAuth',
      { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: parameters },
      [refreshToken, tokens.idToken, tokens.accessToken, parameters['SECRET_HASH']],
    )
    const answer = result.ok ? readAuthAnswer(result.body) : result
    if ('ok' in answer) {
      const { type, detail, transient } = answer
      if (type === 'NotAuthorizedException' && SECRET_PROBLEM.test(detail)) {
        throw new ConfigurationError(
          `fromCognitoUserPool: Cognito rejected the client secret (${detail}). Check \`clientSecret\`.`,
        )
      }
      if (SESSION_ENDED.test(type)) {
        end()
        await clear()
        throw ended(`Cognito ended the session (${detail})`, type)
      }
      // No answer, throttling, 5xx, garbage (transient), or an app client without the refresh flow.
      throw new TokenRefreshError(
        `userPool: refresh failed (${detail}); the session is kept${transient ? '' : '. Allow ALLOW_REFRESH_TOKEN_AUTH on the app client'}.`,
        { cause: answer.cause, retryable: transient, errorType: type },
      )
    }
    // Without rotation Cognito returns no refresh token: the one we have stays valid.
    const next = hold({ ...answer, refreshToken: answer.refreshToken ?? refreshToken }, clock)
    // Written even after a sign-out began: the sign-out, queued behind us on the lock, revokes what storage holds.
    await write(next)
    check()
    return adopt(next)
  }

  // One refresh at a time: every caller waiting meanwhile shares it.
  const refresh = (clock: Clock, force: boolean): Promise<Held> => {
    if (inflight) return inflight
    const started = generation
    const run = lock(lockName, () => refreshNow(clock, force, started))
    const done = (): void => {
      inflight = undefined
    }
    run.then(done, done)
    return (inflight = run)
  }

  const session = (async ({ clock = ownClock, forceRefresh, rejectedToken, signal }: SessionResolveOptions = {}) => {
    await abandonOnAbort(load(), signal)
    const current = held
    if (!current) throw signedOut()
    const now = clock.now()
    const valid = now < current.expiresAt
    // The server rejected a token we have already replaced: the replacement, not another refresh.
    const replaced = rejectedToken !== undefined && current.tokens[use] !== rejectedToken
    if (forceRefresh ? replaced && valid : now < current.refreshAt || (valid && now < quietUntil)) {
      return identityOf(current)
    }
    try {
      return identityOf(await abandonOnAbort(refresh(clock, !!forceRefresh), signal))
    } catch (error) {
      // An early refresh that failed for now: the token is still valid, so keep serving it.
      if (!forceRefresh && valid && isRetryableRefresh(error) && held === current && clock.now() < current.expiresAt) {
        quietUntil = clock.now() + EARLY_RETRY_PAUSE_MS
        return identityOf(current)
      }
      throw error
    }
  }) as CognitoUserPoolSession

  const signOut = async ({ revoke }: SignOutOptions = {}): Promise<void> => {
    await load()
    const inMemory = held?.tokens.refreshToken
    // At once, before the lock: no request may use these tokens any more.
    end()
    await lock(lockName, async () => {
      const stored = await read()
      await clear()
      let failure: AwsJsonFailure | undefined
      for (const token of new Set([stored ? stored.tokens.refreshToken : undefined, inMemory])) {
        if (token === undefined || revoke === false) continue
        const result = await call(
          lastIdToken,
          'RevokeToken',
          { Token: token, ClientId: clientId, ClientSecret: clientSecret },
          [token],
        )
        // Already invalid (revoked, expired, unknown): there is nothing left to revoke.
        if (!result.ok && result.type !== 'NotAuthorizedException') failure ??= result
      }
      if (failure) {
        throw new TokenRefreshError(
          `userPool: signed out here, but Cognito did not revoke the refresh token, valid until it expires (${failure.detail}).`,
          { cause: failure.cause, sessionEnded: true, errorType: failure.type },
        )
      }
    })
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

/**
 * The tokens of an `InitiateAuth` answer (`AuthenticationResult`, checked), or why there are none,
 * as a failure: a challenge Cognito asks for, or an answer that is not Cognito's.
 */
export function readAuthAnswer(body: unknown): CognitoTokens | AwsJsonFailure {
  const { ChallengeName: type, AuthenticationResult: result } = (body ?? {}) as Record<string, unknown>
  if (typeof type === 'string' && type)
    return { ok: false, type, detail: `${type}: a challenge, not tokens`, transient: false }
  const {
    IdToken: idToken,
    AccessToken: accessToken,
    RefreshToken: refreshToken,
  } = (result ?? {}) as Record<string, unknown>
  if (
    typeof idToken === 'string' &&
    jwtClaims(idToken) &&
    typeof accessToken === 'string' &&
    jwtClaims(accessToken) &&
    (refreshToken == null || (typeof refreshToken === 'string' && refreshToken))
  ) {
    return { idToken, accessToken, ...(refreshToken ? { refreshToken } : {}) }
  }
  return {
    ok: false,
    type: 'InvalidResponse',
    detail: 'InvalidResponse: no IdToken and AccessToken JWTs',
    transient: true,
  }
}

function signedOut(): NoIdentityError {
  return new NoIdentityError('userPool: nobody is signed in (no tokens given or stored).')
}

function ended(what: string, errorType: string): TokenRefreshError {
  return new TokenRefreshError(`userPool: ${what}. Sign in again.`, {
    sessionEnded: true,
    errorType,
    recoverySuggestion: 'Sign in again.',
  })
}

function sameTokens(a: CognitoTokens, b: CognitoTokens): boolean {
  return a.idToken === b.idToken && a.accessToken === b.accessToken && a.refreshToken === b.refreshToken
}

/** The user name Cognito hashes `SECRET_HASH` with on refresh: the token's user name, else its `sub`. */
function usernameOf({ idToken, accessToken }: CognitoTokens): string {
  const id = jwtClaims(idToken)
  const access = jwtClaims(accessToken)
  const name = [id?.['cognito:username'], access?.['username'], id?.['sub'], access?.['sub']].find(
    (value) => typeof value === 'string' && value,
  )
  if (typeof name === 'string') return name
  throw new TokenRefreshError('userPool: no user name (or sub) in the tokens to compute SECRET_HASH with.', {
    errorType: 'NoUsername',
  })
}
