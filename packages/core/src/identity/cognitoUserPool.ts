import type { SessionResolveOptions, SessionTokenProvider, TokenIdentity } from '../auth/types'
import { ConfigurationError } from '../errors/ConfigurationError'
import { NoIdentityError } from '../errors/NoIdentityError'
import { isRetryableRefresh, TokenRefreshError } from '../errors/TokenRefreshError'
import { abandonOnAbort } from '../internal/abort'
import { systemClock, type Clock } from '../internal/clock'
import type { KeyValueStorage } from '../storage/types'
import { callAwsJson, defaultFetch, type AwsJsonFailure, type AwsJsonResult } from './awsJson'
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

/** The key of a session's sign-out step, which `signOut` calls (kept apart so only apps that sign out bundle RevokeToken). */
export const FORGET: unique symbol = Symbol()

/** Revokes each refresh token the session held (in memory or in storage) with `revokeToken`. */
export type Revoke = (
  refreshTokens: readonly (string | false | undefined)[],
  revokeToken: (token: string) => Promise<AwsJsonResult>,
) => Promise<void>

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

// Cognito's definitive rejections of a refresh token: the session is over.
const SESSION_ENDED = /^(?:NotAuthorized|TokenRevoked|UserNotFound|RefreshTokenReuse)Exception$/
// The region in a user pool token's issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>`.
const ISSUER_REGION = /^https:\/\/cognito-idp[^.]*\.([\w-]+)\.amazonaws\.com/

/** Tokens plus what was learned about their timing. */
interface Held {
  /** Always the three fields in this order, so that two sets compare by their JSON. */
  readonly tokens: CognitoTokens
  /** This clock minus the issuer's clock, learned from `iat` when the tokens arrived (0 if unknown). */
  readonly driftMs: number
  /** When the token in use expires / should be refreshed, on this clock (Infinity: no `exp`). */
  readonly expiresAt: number
  /** Moved later (never past `expiresAt`) after an early refresh failed for now. */
  refreshAt: number
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
  const key = options.storageKey ?? `authmode.cognitoUserPool.${clientId}.tokens`
  need(
    clientSecret === undefined || (typeof clientSecret === 'string' && clientSecret),
    '`clientSecret` must be a non-empty string.',
  )
  need((use as string) === 'idToken' || use === 'accessToken', "`use` must be 'idToken' or 'accessToken'.")
  // Cognito's tokens, as given or as stored: strings where present, with the one `use` sends.
  const isTokens = (t: Partial<CognitoTokens>): t is CognitoTokens =>
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
  need(typeof key === 'string' && key, '`storageKey` must be a non-empty string.')
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
  const lockName = `authmode:cognito-user-pool:${key}`

  let held: Held | undefined
  let loading: Promise<void> | undefined
  let inflight: Promise<Held> | undefined
  // Our last write is in storage: if it disappears, the session was signed out elsewhere.
  let persisted = false

  // `drift`: known (from storage), or a clock to learn it from the tokens' `iat` when they have just
  // arrived, so that a clock hours off cannot make every new token look expired (a refresh loop).
  const hold = ({ idToken, accessToken, refreshToken }: CognitoTokens, drift: number | Clock): Held => {
    const tokens = { idToken, accessToken, refreshToken }
    const claims = jwtClaims(tokens[use])
    const exp = jwtTime(claims, 'exp') ?? Infinity
    const iat = jwtTime(claims, 'iat') ?? NaN
    const driftMs = typeof drift === 'number' ? drift : iat ? drift.now() - iat : 0
    const expiresAt = exp + driftMs
    // Ahead of expiry by `refreshAheadMs`, at most half the token's lifetime.
    return {
      tokens,
      driftMs,
      expiresAt,
      refreshAt: expiresAt - Math.min(refreshAheadMs, iat < exp ? (exp - iat) / 2 : Infinity),
    }
  }
  const identityOf = ({ tokens, expiresAt }: Held): TokenIdentity => ({
    token: tokens[use],
    expiration: expiresAt < Infinity ? new Date(expiresAt) : undefined,
  })
  const adopt = (next: Held): Held => {
    held = next
    try {
      onTokens?.(next.tokens)
    } catch {
      // A listener's failure must not fail the refresh every waiting request shares.
    }
    return next
  }
  // A sign-out or an ended session. Nothing brings tokens back after it: requests find no tokens and
  // start no refresh, and a refresh already under way checks `held` before adopting what it got.
  const end = (): void => {
    held = undefined
  }

  // What storage holds: undefined when nothing (or no storage); false when it cannot be read (a
  // failing storage, a value that is not ours or a partial write), which is not a sign-out.
  const read = async (): Promise<Held | undefined | false> => {
    try {
      const text = await storage?.getItem(key)
      if (text == null) return undefined
      const { v, clockDriftMs: drift, ...tokens } = JSON.parse(text) as Record<string, unknown>
      if (v === 1 && isTokens(tokens)) return hold(tokens, Number.isFinite(drift) ? (drift as number) : 0)
    } catch {
      // Unreadable: as below.
    }
    return false
  }
  // Stores `next`, or with none clears storage. Full or forbidden (private mode): the session still
  // works in memory.
  const save = async (next?: Held): Promise<void> => {
    persisted = false
    try {
      if (next) {
        await storage?.setItem(key, JSON.stringify({ v: 1, ...next.tokens, clockDriftMs: next.driftMs }))
        persisted = !!storage
      } else await storage?.removeItem(key)
    } catch {
      // As above.
    }
  }
  const endAndClear = (): Promise<void> => (end(), save())

  const load = (): Promise<void> =>
    (loading ??= given
      ? save((held = hold(given, 0)))
      : read().then((stored) => {
          if (stored) {
            held = stored
            persisted = true
          }
        }))

  // `endpoint`, else the public one of the region given or read from the ID token's issuer.
  const call = (idToken: string | undefined, operation: string, body: object, secrets: (string | undefined)[]) => {
    const found = region ?? ISSUER_REGION.exec(String(jwtClaims(idToken)?.['iss']))?.[1]
    need(endpoint ?? found, 'pass `region` or `endpoint`: the token names no Cognito region.')
    return callAwsJson(
      endpoint ?? cognitoUrl('cognito-idp', found ?? ''),
      `AWSCognitoIdentityProviderService.${operation}`,
      body,
      { fetch, timeoutMs, secrets: [...secrets, clientSecret] },
    )
  }

  const refreshNow = async (clock: Clock, force: boolean): Promise<Held> => {
    // A sign-out meanwhile (`held` is set whenever a refresh starts): nothing more to do.
    const check = (): void => {
      if (!held) throw signedOut()
    }
    let from = held
    // Inside the lock: another tab or process may have refreshed (or signed out) meanwhile.
    const stored = await read()
    check()
    if (stored === undefined && persisted) {
      end()
      throw new NoIdentityError('userPool: signed out elsewhere (storage cleared). Sign in again.')
    }
    if (stored && JSON.stringify(stored.tokens) !== JSON.stringify(from?.tokens)) {
      persisted = true
      // Newer tokens than the ones this caller found stale (or had rejected): use them.
      if (clock.now() < adopt((from = stored)).refreshAt) return from
    }
    if (!from) throw signedOut()

    const { tokens } = from
    const { idToken, accessToken, refreshToken } = tokens
    if (refreshToken === undefined) {
      if (!force && clock.now() < from.expiresAt) return from
      await endAndClear()
      throw ended('the token expired or was rejected, and there is no refresh token', 'NoRefreshToken')
    }
    const parameters: Record<string, string> = { REFRESH_TOKEN: refreshToken }
    if (clientSecret !== undefined) {
      parameters['SECRET_HASH'] = await cognitoSecretHash({ clientSecret, username: usernameOf(tokens), clientId })
    }
    const result = await call(
      idToken,
      'InitiateAuth',
      { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: parameters },
      [idToken, accessToken, ...Object.values(parameters)],
    )
    const answer = result.ok ? readAuthAnswer(result.body) : result
    if ('ok' in answer) {
      const { type, detail, transient } = answer
      // A NotAuthorizedException about the client secret is a configuration mistake, not a sign-out.
      if (type === 'NotAuthorizedException' && /secret/i.test(detail)) {
        throw new ConfigurationError(
          `fromCognitoUserPool: Cognito rejected the client secret (${detail}). Check \`clientSecret\`.`,
        )
      }
      if (SESSION_ENDED.test(type)) {
        await endAndClear()
        throw ended(`Cognito ended the session (${detail})`, type)
      }
      // No answer, throttling, 5xx, garbage (transient), or an app client without the refresh flow.
      throw new TokenRefreshError(
        `userPool: refresh failed (${detail}); the session is kept.${transient ? '' : ' Allow ALLOW_REFRESH_TOKEN_AUTH on the app client.'}`,
        { cause: answer.cause, retryable: transient, errorType: type },
      )
    }
    // Without rotation Cognito returns no refresh token: the one we have stays valid.
    const next = hold({ ...answer, refreshToken: answer.refreshToken ?? refreshToken }, clock)
    // Written even after a sign-out began: the sign-out, queued behind us on the lock, revokes what storage holds.
    await save(next)
    check()
    return adopt(next)
  }

  // One refresh at a time: every caller waiting meanwhile shares it.
  const refresh = (clock: Clock, force: boolean): Promise<Held> =>
    (inflight ??= lock(lockName, () => refreshNow(clock, force)).finally(() => {
      inflight = undefined
    }))

  const session = (async ({ clock = ownClock, forceRefresh, rejectedToken, signal }: SessionResolveOptions = {}) => {
    await abandonOnAbort(load(), signal)
    const current = held
    if (!current) throw signedOut()
    const now = clock.now()
    const valid = now < current.expiresAt
    // The server rejected a token we have already replaced: the replacement, not another refresh.
    const replaced = rejectedToken !== undefined && current.tokens[use] !== rejectedToken
    if (forceRefresh ? replaced && valid : now < current.refreshAt) {
      return identityOf(current)
    }
    try {
      return identityOf(await abandonOnAbort(refresh(clock, !!forceRefresh), signal))
    } catch (error) {
      // An early refresh that failed for now: the token is still valid, so keep serving it a while.
      if (!forceRefresh && valid && isRetryableRefresh(error) && held === current && clock.now() < current.expiresAt) {
        current.refreshAt = Math.min(clock.now() + 10_000, current.expiresAt)
        return identityOf(current)
      }
      throw error
    }
  }) as CognitoUserPoolSession

  const forget = async (revoke: Revoke | undefined): Promise<void> => {
    await load()
    const mine = held?.tokens
    // At once, before the lock: no request may use these tokens any more.
    end()
    await lock(lockName, async () => {
      const stored = await read()
      await save()
      await revoke?.([stored && stored.tokens.refreshToken, mine?.refreshToken], (token) =>
        call(
          (stored ? stored.tokens : mine)?.idToken,
          'RevokeToken',
          { Token: token, ClientId: clientId, ClientSecret: clientSecret },
          [token],
        ),
      )
    })
  }

  return Object.assign(session, {
    keepsSession: true as const,
    [FORGET]: forget,
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
  return jwtClaims(idToken) &&
    jwtClaims(accessToken) &&
    (refreshToken == null || (typeof refreshToken === 'string' && refreshToken))
    ? { idToken: idToken as string, accessToken: accessToken as string, refreshToken: refreshToken ?? undefined }
    : {
        ok: false,
        type: 'InvalidResponse',
        detail: 'InvalidResponse: no IdToken and AccessToken JWTs',
        transient: true,
      }
}

function isFunction(value: unknown): boolean {
  return typeof value === 'function'
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

/** The user name Cognito hashes `SECRET_HASH` with on refresh: the token's user name, else its `sub`. */
function usernameOf({ idToken, accessToken }: CognitoTokens): string {
  const id = jwtClaims(idToken)
  const access = jwtClaims(accessToken)
  const name = [id?.['cognito:username'], access?.['username'], id?.['sub'], access?.['sub']].find(
    (value) => typeof value === 'string' && value,
  )
  if (typeof name === 'string') return name
  throw new TokenRefreshError('userPool: SECRET_HASH needs a user name or sub in the tokens.', {
    errorType: 'NoUsername',
  })
}
