// Where a user pool session is kept: one JSON value `{ v: 1, idToken, accessToken, refreshToken,
// clockDriftMs }` under one key (by default `authmode.cognitoUserPool.<clientId>.tokens`), our own
// layout, independent of Amplify's.
import type { KeyValueStorage } from '../storage/types'
import type { CognitoTokens } from './cognitoUserPool'

/** Tokens, and this clock minus the issuer's, learned from `iat` when they arrived (0 if unknown). */
export interface StoredTokens {
  readonly tokens: CognitoTokens
  readonly driftMs: number
}

export interface TokenStore {
  /**
   * What storage holds: undefined when nothing (or no storage); false when it cannot be read (a
   * failing storage, a value that is not ours or a partial write), which is not a sign-out.
   */
  read(): Promise<StoredTokens | undefined | false>
  /** Stores `next`, or with none clears storage. Full or forbidden (private mode): the session still works in memory. */
  save(next?: StoredTokens): Promise<void>
  /** What storage holds is ours (written or read): if it disappears, the session was signed out elsewhere. */
  persisted(): boolean
}

/** The store of `key` in `storage` (none: nothing is kept); `isTokens` checks what it reads. */
export function tokenStore(
  storage: KeyValueStorage | undefined,
  key: string,
  isTokens: (value: Partial<CognitoTokens>) => value is CognitoTokens,
): TokenStore {
  let persisted = false
  return {
    async read() {
      try {
        const text = await storage?.getItem(key)
        if (text == null) return undefined
        const { v, clockDriftMs: drift, ...tokens } = JSON.parse(text) as Record<string, unknown>
        if (v === 1 && isTokens(tokens)) {
          persisted = true
          return { tokens, driftMs: Number.isFinite(drift) ? (drift as number) : 0 }
        }
      } catch {
        // Unreadable: as below.
      }
      return false
    },
    async save(next) {
      persisted = false
      try {
        if (next) {
          await storage?.setItem(key, JSON.stringify({ v: 1, ...next.tokens, clockDriftMs: next.driftMs }))
          persisted = !!storage
        } else await storage?.removeItem(key)
      } catch {
        // As above.
      }
    },
    persisted: () => persisted,
  }
}
