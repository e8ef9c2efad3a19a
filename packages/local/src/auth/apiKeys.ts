import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { ConfigurationError, type Clock } from '@authmode/core'
import { unauthorized, type Verified } from './rejection'

const DAY_MS = 24 * 60 * 60 * 1000
/** AppSync API keys are valid for 30 days unless told otherwise (DESIGN.md). */
export const DEFAULT_API_KEY_TTL_DAYS = 30
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** An API key to create: everything is optional. */
export interface ApiKeyInput {
  /** The key itself (default: a new random `da2-…` key). */
  readonly key?: string | undefined
  /** When it stops working (default: `ttlDays` from creation). */
  readonly expires?: Date | undefined
  /** Lifetime from creation when `expires` is absent (default 30). */
  readonly ttlDays?: number | undefined
  readonly description?: string | undefined
}

/** A key as `create` returns it: the only time its value is handed out. */
export interface CreatedApiKey {
  readonly id: string
  readonly key: string
  readonly expires: Date
}

/** What `list` tells about a key: never its value. */
export interface ApiKeyInfo {
  readonly id: string
  readonly description: string | undefined
  readonly createdAt: Date
  readonly expires: Date
  readonly expired: boolean
}

/**
 * The API keys of a running endpoint: add and revoke them at runtime (rotation), each with an
 * expiry. Keys are kept by their SHA-256 digest, so a lookup does not compare secrets byte by byte.
 *
 * @example
 * ```ts
 * const next = server.apiKeys.create({ ttlDays: 7 })
 * server.apiKeys.revoke(oldKeyId)
 * ```
 */
export interface ApiKeyRegistry {
  create(input?: ApiKeyInput): CreatedApiKey
  /** Revokes by id or by key value; false when no such key exists. */
  revoke(idOrKey: string): boolean
  list(): readonly ApiKeyInfo[]
}

interface Entry {
  readonly id: string
  readonly description: string | undefined
  readonly createdAt: Date
  readonly expires: Date
}

export class ApiKeys implements ApiKeyRegistry {
  readonly #byDigest = new Map<string, Entry>()
  readonly #clock: Clock

  constructor(clock: Clock) {
    this.#clock = clock
  }

  create(input: ApiKeyInput = {}): CreatedApiKey {
    const key = input.key ?? newApiKey()
    if (typeof key !== 'string' || key.length < 8) {
      throw new ConfigurationError('An API key must be a string of at least 8 characters, e.g. "da2-…".')
    }
    const digest = digestOf(key)
    if (this.#byDigest.has(digest)) throw new ConfigurationError('That API key already exists.')
    const createdAt = new Date(this.#clock.now())
    const ttlDays = input.ttlDays ?? DEFAULT_API_KEY_TTL_DAYS
    if (input.expires === undefined && !(Number.isFinite(ttlDays) && ttlDays > 0)) {
      throw new ConfigurationError('`ttlDays` must be a positive number of days.')
    }
    const expires = input.expires ?? new Date(createdAt.getTime() + ttlDays * DAY_MS)
    if (!(expires instanceof Date) || Number.isNaN(expires.getTime())) {
      throw new ConfigurationError('`expires` must be a valid Date.')
    }
    const entry: Entry = { id: randomUUID(), description: input.description, createdAt, expires }
    this.#byDigest.set(digest, entry)
    return { id: entry.id, key, expires }
  }

  revoke(idOrKey: string): boolean {
    const byKey = this.#byDigest.delete(digestOf(idOrKey))
    if (byKey) return true
    for (const [digest, entry] of this.#byDigest) {
      if (entry.id === idOrKey) return this.#byDigest.delete(digest)
    }
    return false
  }

  list(): readonly ApiKeyInfo[] {
    const now = this.#clock.now()
    return [...this.#byDigest.values()].map((e) => ({ ...e, expired: e.expires.getTime() <= now }))
  }

  /** The key's id when it exists and has not expired. */
  verify(key: string): Verified<string> {
    const entry = this.#byDigest.get(digestOf(key))
    if (!entry) return unauthorized('Invalid API key.')
    if (entry.expires.getTime() <= this.#clock.now()) {
      return unauthorized(`API key has expired (at ${entry.expires.toISOString()}): create a new one.`)
    }
    return { ok: true, value: entry.id }
  }
}

/** A key in AppSync's format: `da2-` and 26 lowercase letters and digits. */
export function newApiKey(): string {
  const bytes = randomBytes(26)
  let key = 'da2-'
  for (const byte of bytes) key += ALPHABET[byte % ALPHABET.length] ?? 'a'
  return key
}

function digestOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}
