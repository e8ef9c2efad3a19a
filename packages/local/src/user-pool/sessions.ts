// Sign-in sessions and their refresh tokens: rotation with a retry grace period, revocation of a
// session (RevokeToken) or of all a user's sessions (GlobalSignOut), and the absolute expiry that
// rotation keeps (Cognito's refresh token validity counts from sign-in).
import { randomBytes, randomUUID } from 'node:crypto'
import { ServiceError } from '../aws-json/protocol'
import type { ResolvedClient, ResolvedUser } from './config'
import type { TokenSubject } from './tokens'

export interface Session extends TokenSubject {
  /** Epoch ms after which its refresh tokens are refused. */
  readonly expiresAt: number
  revoked: boolean
}

interface RefreshEntry {
  readonly session: Session
  /** When a rotation replaced this token: it is refused `gracePeriodMs` later. */
  rotatedOutAt: number | undefined
}

/** Opaque, unguessable: Cognito's refresh tokens are encrypted and say nothing to their holder. */
function newRefreshToken(): string {
  return randomBytes(48).toString('base64url')
}

const notAuthorized = (message: string): ServiceError => new ServiceError('NotAuthorizedException', message)

export class SessionStore {
  readonly #byToken = new Map<string, RefreshEntry>()
  readonly #byOrigin = new Map<string, Session>()

  /** A new session (a sign-in) and its first refresh token. */
  start(user: ResolvedUser, client: ResolvedClient, nowMs: number): { session: Session; refreshToken: string } {
    this.#prune(nowMs)
    const session: Session = {
      user,
      client,
      originJti: randomUUID(),
      authTime: Math.floor(nowMs / 1000),
      expiresAt: nowMs + client.refreshTokenSeconds * 1000,
      revoked: false,
    }
    this.#byOrigin.set(session.originJti, session)
    const refreshToken = newRefreshToken()
    this.#byToken.set(refreshToken, { session, rotatedOutAt: undefined })
    return { session, refreshToken }
  }

  /**
   * The session of a refresh token presented by `client`, as Cognito checks it; with `rotate`, a
   * new refresh token that replaces it (the old one is refused once the grace period is over).
   */
  refresh(
    refreshToken: string,
    client: ResolvedClient,
    nowMs: number,
    rotate: boolean,
  ): { session: Session; refreshToken: string | undefined } {
    const entry = this.#byToken.get(refreshToken)
    // A token of another app client is as unknown as a made-up one.
    if (entry?.session.client.clientId !== client.clientId) throw notAuthorized('Invalid Refresh Token')
    const { session } = entry
    if (session.revoked) throw notAuthorized('Refresh Token has been revoked')
    if (nowMs >= session.expiresAt) throw notAuthorized('Refresh Token has expired')
    if (entry.rotatedOutAt !== undefined && nowMs >= entry.rotatedOutAt + client.gracePeriodMs) {
      throw new ServiceError(
        'RefreshTokenReuseException',
        'The refresh token has been invalidated by refresh-token rotation.',
      )
    }
    if (!rotate) return { session, refreshToken: undefined }
    entry.rotatedOutAt ??= nowMs
    const next = newRefreshToken()
    this.#byToken.set(next, { session, rotatedOutAt: undefined })
    return { session, refreshToken: next }
  }

  /** RevokeToken: the session of `refreshToken` ends (its access tokens with it); false when it is not `client`'s. */
  revoke(refreshToken: string, client: ResolvedClient): 'revoked' | 'unknown' | 'other-client' {
    const entry = this.#byToken.get(refreshToken)
    if (!entry) return 'unknown'
    if (entry.session.client.clientId !== client.clientId) return 'other-client'
    entry.session.revoked = true
    return 'revoked'
  }

  /** The session an access token names (`origin_jti`), unless it has ended. */
  live(originJti: unknown, nowMs: number): Session | undefined {
    const session = typeof originJti === 'string' ? this.#byOrigin.get(originJti) : undefined
    return session && !session.revoked && nowMs < session.expiresAt ? session : undefined
  }

  /** GlobalSignOut: every session of the user ends. */
  signOutEverywhere(username: string): number {
    let count = 0
    for (const session of this.#byOrigin.values()) {
      if (session.user.username === username && !session.revoked) {
        session.revoked = true
        count++
      }
    }
    return count
  }

  /** Sessions past their expiry are forgotten (with their tokens) a day later. */
  #prune(nowMs: number): void {
    const horizon = nowMs - 86_400_000
    for (const [token, entry] of this.#byToken) {
      if (entry.session.expiresAt < horizon) this.#byToken.delete(token)
    }
    for (const [origin, session] of this.#byOrigin) {
      if (session.expiresAt < horizon) this.#byOrigin.delete(origin)
    }
  }
}
