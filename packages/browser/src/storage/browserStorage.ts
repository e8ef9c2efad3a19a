import { memoryStorage, type KeyValueStorage } from '@authmode/core'

/** A Web Storage-like store whose reads and writes are synchronous, as `localStorage`'s are. */
export interface SyncStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

const PROBE_KEY = '__authmode_probe__'

/**
 * The storage browser sessions use by default: `localStorage` when it can really be written,
 * else memory (Node and SSR, workers, sandboxed iframes, storage blocked by the user). The memory
 * fallback is new on every call, so a server rendering for many users never shares a session
 * between them. Identity ids and anything else a browser should keep can use it too.
 *
 * @example
 * ```ts
 * import { browserStorage, fromCognitoUserPool } from '@authmode/browser'
 * // What `fromCognitoUserPool` of @authmode/browser does when you pass no `storage`:
 * const session = fromCognitoUserPool({ clientId, region: 'us-east-1', storage: browserStorage() })
 * ```
 */
export function browserStorage(): KeyValueStorage {
  return usableLocalStorage() ?? memoryStorage()
}

/** `localStorage`, if it exists and takes a write; undefined otherwise. Never throws. */
export function usableLocalStorage(): SyncStorage | undefined {
  try {
    // Reading the property itself throws a SecurityError where storage is blocked; some browsers
    // (old Safari private windows) expose a localStorage whose writes throw.
    // Where there is none, the probe throws too.
    const storage = (globalThis as unknown as { localStorage: Storage }).localStorage
    storage.setItem(PROBE_KEY, '1')
    storage.removeItem(PROBE_KEY)
    return storage
  } catch {
    return undefined
  }
}
