import type { SessionResolveOptions, TokenIdentity } from '../auth/types'
import { NoIdentityError } from '../errors/NoIdentityError'
import { isSessionEnded } from '../errors/TokenRefreshError'
import { abandonOnAbort } from '../internal/abort'
import type { Clock } from '../internal/clock'
import type { CognitoTokens, CognitoUserPoolSession } from './cognitoUserPool'
import type { AwsJsonResult } from './awsJson'
import { sessionEnded, type UserPoolApi } from './cognitoUserPoolApi'
import { memoizeIdentity, type MemoizedProvider } from './identityCache'
import { jwtClaims, jwtTime } from './jwt'
import type { RefreshLock } from './refreshLock'
import type { StoredTokens, TokenStore } from './tokenStore'

/** The key of a session's sign-out step, which `signOut` calls (kept apart so only apps that sign out bundle RevokeToken). */
export const FORGET: unique symbol = Symbol()

/**
 * Revokes the refresh tokens of what the session held (in storage, then in memory; undefined for
 * nothing) with `revokeToken`, which names the region with the ID token when nothing else does.
 */
export type Revoke = (
  held: readonly [stored: CognitoTokens | undefined, mine: CognitoTokens | undefined],
  revokeToken: (token: string, idToken: string | undefined) => Promise<AwsJsonResult>,
) => Promise<void>

/** Tokens held, with the identity a request sends. */
interface Held extends StoredTokens {
  readonly identity: TokenIdentity
  /** When the token in use was issued, on this clock; -Infinity when unknown (no lifetime to cap the refresh window at). */
  readonly issuedAt: number
}

export interface UserPoolSessionOptions {
  readonly use: 'idToken' | 'accessToken'
  /** Given at sign-in (then stored); else loaded from `store`. */
  readonly tokens: CognitoTokens | undefined
  readonly store: TokenStore
  readonly api: UserPoolApi
  readonly lock: RefreshLock
  readonly lockName: string
  readonly onTokens: ((tokens: CognitoTokens) => void) | undefined
  readonly clock: Clock
  readonly refreshAheadMs: number
}

/**
 * A user pool session: its tokens, held in the identity cache (which refreshes them ahead of
 * expiry, once however many requests wait, and keeps a still-valid token when an early refresh
 * fails for now); each refresh under the lock, where what another tab stored is adopted; and
 * sign-out. Nothing brings tokens back after a sign-out or an ended session.
 */
export function userPoolSession(options: UserPoolSessionOptions): CognitoUserPoolSession {
  const { use, tokens: given, store, api, lock, lockName, onTokens, clock: ownClock } = options
  // The clock of the latest call (a client's skew-corrected one), else the session's own.
  let clock = ownClock
  let loading: Promise<void> | undefined

  const adopt = (next: Held): Held => {
    try {
      onTokens?.(next.tokens)
    } catch {
      // A listener's failure must not fail the refresh every waiting request shares.
    }
    return next
  }

  // Ends the session: tokens forgotten, storage cleared.
  const end = (): Promise<void> => {
    cache.clear()
    return store.save()
  }

  // Runs under the lock: another tab or process may have refreshed (or signed out) meanwhile; and
  // where the lock is not shared (or storage is shared by processes), also while it ran.
  const refresh = async (force: boolean): Promise<Held> => {
    // The clock of the call that started it (`clock` follows later calls).
    const time = clock
    let from = cache.current()
    // Signed out meanwhile (a refresh starts only while the session holds tokens).
    if (!from) throw signedOut()
    // Re-reads storage: cleared there is a sign-out, which wins (throws); other tokens than `from`
    // are another tab's (or process's) newer ones, to adopt. Nothing of another tab's is ever
    // overwritten or cleared.
    const theirs = async (): Promise<Held | undefined> => {
      const stored = await store.read()
      if (stored === undefined && store.persisted()) {
        cache.clear()
        throw new NoIdentityError('userPool: signed out elsewhere (storage cleared). Sign in again.')
      }
      const found = stored && hold(use, stored.tokens, stored.driftMs)
      return found && JSON.stringify(found.tokens) !== JSON.stringify(from?.tokens) ? found : undefined
    }
    const found = await theirs()
    // Newer tokens than the ones this caller found stale (or had rejected): use them.
    if (found && cache.set(adopt((from = found)), from.issuedAt)) return from
    const { tokens } = from
    const { refreshToken } = tokens
    if (refreshToken === undefined) {
      if (!force && time.now() < (from.identity.expiration?.getTime() ?? Infinity)) return from
      await end()
      throw sessionEnded('the token expired or was rejected, and there is no refresh token', 'NoRefreshToken')
    }
    let next: Held
    try {
      next = hold(use, await api.refresh(tokens, refreshToken), time)
    } catch (error) {
      if (isSessionEnded(error)) {
        // Refused, maybe because another tab used this (rotating) refresh token first: its tokens, if stored.
        const winner = await theirs()
        if (winner) return adopt(winner)
        await end()
      }
      throw error
    }
    // Written even after a sign-out here began: the sign-out, queued behind us on the lock, revokes
    // what storage holds.
    const meanwhile = await theirs()
    if (!meanwhile) await store.save(next)
    if (!cache.current()) throw signedOut()
    return adopt(meanwhile ?? next)
  }

  const cache: MemoizedProvider<Held> = memoizeIdentity(
    ({ forceRefresh }) => lock(lockName, () => refresh(forceRefresh)),
    {
      clock: { now: () => clock.now() },
      refreshWindowMs: options.refreshAheadMs,
      expiration: (held) => held.identity.expiration,
    },
  )

  const load = (): Promise<void> =>
    (loading ??= (async () => {
      const stored = given ? { tokens: given, driftMs: 0 } : await store.read()
      const held = stored ? hold(use, stored.tokens, stored.driftMs) : undefined
      if (held) cache.set(held, held.issuedAt)
      if (given) await store.save(held)
    })())

  const forget = async (revoke: Revoke | undefined): Promise<void> => {
    await load()
    const mine = cache.current()?.tokens
    // At once, before the lock: no request may use these tokens any more.
    cache.clear()
    await lock(lockName, async () => {
      const stored = await store.read()
      await store.save()
      await revoke?.([stored ? stored.tokens : undefined, mine], api.revoke)
    })
  }

  const session = async ({
    clock: latest = ownClock,
    forceRefresh,
    rejectedToken,
    signal,
  }: SessionResolveOptions = {}): Promise<TokenIdentity> => {
    clock = latest
    await abandonOnAbort(load(), signal)
    const current = cache.current()
    if (!current) throw signedOut()
    const held = await (forceRefresh && rejectedToken !== undefined
      ? // The server rejected a token we may have replaced already: the replacement, not another refresh.
        cache.refreshAfterRejection(current.identity.token === rejectedToken ? current : undefined, signal)
      : cache({ forceRefresh, signal }))
    return held.identity
  }

  return Object.assign(session, {
    keepsSession: true as const,
    [FORGET]: forget,
    currentTokens: async (): Promise<CognitoTokens | undefined> => {
      await load()
      return cache.current()?.tokens
    },
  })
}

// `drift`: known (from storage), or a clock to learn it from the tokens' `iat` when they have just
// arrived, so that a clock hours off cannot make every new token look expired (a refresh loop).
function hold(
  use: 'idToken' | 'accessToken',
  { idToken, accessToken, refreshToken }: CognitoTokens,
  drift: number | Clock,
): Held {
  // Always the three fields in this order, so that two sets compare by their JSON.
  const tokens = { idToken, accessToken, refreshToken }
  const claims = jwtClaims(tokens[use])
  // NaN when absent: then no expiration, no drift and no issue time.
  const exp = jwtTime(claims, 'exp')
  const iat = jwtTime(claims, 'iat')
  const driftMs = typeof drift === 'number' ? drift : iat ? drift.now() - iat : 0
  return {
    tokens,
    driftMs,
    identity: { token: tokens[use], expiration: exp ? new Date(exp + driftMs) : undefined },
    issuedAt: iat < exp ? iat + driftMs : -Infinity,
  }
}

function signedOut(): NoIdentityError {
  return new NoIdentityError('userPool: nobody is signed in (no tokens given or stored).')
}
