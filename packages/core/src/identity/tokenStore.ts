// Where a user pool session is kept: in Amplify's layout, the one Amplify v6's DefaultTokenStore and
// amazon-cognito-identity-js's CognitoUser.cacheTokens write, so that a session signed in by either
// is ours too, and ours is theirs:
//   CognitoIdentityServiceProvider.<clientId>.LastAuthUser = <username>
//   CognitoIdentityServiceProvider.<clientId>.<username>.{idToken,accessToken,refreshToken,clockDrift}
// `clockDrift` as Amplify v6 writes it: milliseconds, the issuer's clock minus this one.
// amazon-cognito-identity-js writes seconds, this clock minus the issuer's (0 or 1 where clocks
// agree): read as milliseconds, that is no drift.
import { ConfigurationError } from '../errors/ConfigurationError'
import type { KeyValueStorage } from '../storage/types'
import type { CognitoTokens } from './cognitoUserPool'
import { jwtClaims } from './jwt'

/** Tokens, and this clock minus the issuer's, learned from `iat` when they arrived (0 if unknown). */
export interface StoredTokens {
  readonly tokens: CognitoTokens
  readonly driftMs: number
}

/** What may be Cognito's tokens (checked by `isTokens`). */
export type TokenFields = { readonly [K in keyof CognitoTokens]?: unknown }

export interface TokenStore {
  /**
   * What storage holds: undefined when nobody is signed in, or another user than ours (whose
   * session is not ours to use); false when it cannot be read (a failing storage), which is not a
   * sign-out.
   */
  read(): Promise<StoredTokens | undefined | false>
  /**
   * Stores `next`, or with none removes our user's keys. Full or forbidden (private mode): the
   * session still works in memory. A `ConfigurationError` of storage (a value it cannot hold) is thrown.
   */
  save(next?: StoredTokens): Promise<void>
  /** What storage holds is ours (written or read): if it disappears, the session was signed out elsewhere. */
  persisted(): boolean
}

// A user's keys, in the order they are written: the refresh token first, so that a reader never
// pairs new tokens with a rotated-out refresh token.
const TOKEN_KEYS = ['refreshToken', 'accessToken', 'idToken', 'clockDrift'] as const

/**
 * The store of `clientId`'s session in `storage` (the session's own memory storage when it was
 * given none); `isTokens` checks what it reads. A session kept by an earlier version of this
 * library (`authmode.cognitoUserPool.<clientId>.tokens`) is moved here on the first read, unless
 * storage already holds one.
 */
export function tokenStore(
  storage: KeyValueStorage,
  clientId: string,
  isTokens: (value: TokenFields) => value is CognitoTokens,
): TokenStore {
  const prefix = `CognitoIdentityServiceProvider.${clientId}.`
  const lastUser = `${prefix}LastAuthUser`
  // The user whose keys are ours: the one read (maybe an alias Amplify signed in with), else the
  // access token's `username` (Amplify's choice after a Hosted UI sign-in; its fallback too).
  let user: string | undefined
  let persisted = false
  let legacy = true
  const key = (name: string, part: string): string => `${prefix}${name}.${part}`

  const save = async (next?: StoredTokens): Promise<void> => {
    persisted = false
    try {
      if (next) {
        // Under 2 s (the usual: iat has whole seconds, and the answer took time) the drift is written
        // 0, which amazon-cognito-identity-js (seconds, the other way round) reads the same.
        const drift = next.driftMs
        const values = { ...next.tokens, clockDrift: String(Math.abs(drift) < 2000 ? 0 : -drift) }
        const name = jwtClaims(values.accessToken)?.['username']
        user ??= typeof name === 'string' ? name : 'username'
        for (const part of TOKEN_KEYS) {
          const value = values[part]
          await (value === undefined ? storage.removeItem(key(user, part)) : storage.setItem(key(user, part), value))
        }
        await storage.setItem(lastUser, user)
        persisted = true
      } else if (user !== undefined) {
        // With the tokens, what else belongs to a session there (Amplify's sign-in details and OAuth
        // state, amazon-cognito-identity-js's cached attributes). Device keys outlive a sign-out.
        // Listed here, not as a top-level constant: a bundler keeps a top-level spread even unused.
        for (const part of [...TOKEN_KEYS, 'signInDetails', 'oauthMetadata', 'userData'])
          await storage.removeItem(key(user, part))
        // Another user signed in meanwhile is not ours to sign out.
        if ((await storage.getItem(lastUser)) === user) await storage.removeItem(lastUser)
      }
    } catch (error) {
      // Full or forbidden (private mode): the session still works in memory. A storage that refuses
      // the value itself (a token too large for a cookie) says so: kept in memory only, it would be
      // lost silently.
      if (error instanceof ConfigurationError) throw error
    }
  }

  return {
    async read() {
      try {
        let name = await storage.getItem(lastUser)
        if (legacy) {
          legacy = false
          // Once: a session an earlier version of this library kept under its own key moves here,
          // unless one is here already. Removed first, which makes room in a full storage; one that
          // is not JSON makes this one read fail (false), not the next.
          const old = `authmode.cognitoUserPool.${clientId}.tokens`
          const text = await storage.getItem(old)
          if (text != null) {
            await storage.removeItem(old)
            const { v, clockDriftMs, ...tokens } = JSON.parse(text) as Record<string, unknown>
            if (v === 1 && isTokens(tokens) && name == null) {
              await save({ tokens, driftMs: Number(clockDriftMs) || 0 })
              name = user
            }
          }
        }
        if (name == null || (user ?? name) !== name) return undefined
        const found: Partial<Record<(typeof TOKEN_KEYS)[number], string | undefined>> = {}
        for (const part of TOKEN_KEYS) found[part] = (await storage.getItem(key(name, part))) ?? undefined
        const { clockDrift, ...tokens } = found
        if (!isTokens(tokens)) return undefined
        user = name
        persisted = true
        return { tokens, driftMs: -Number(clockDrift) || 0 }
      } catch {
        return false
      }
    },
    save,
    persisted: () => persisted,
  }
}
