// Types of entries.mjs for TypeScript importers (e.g. the bundle budget tests, to measure the same entries).
export interface Entry {
  id: string
  label: string
  group: 'ours' | 'anchor'
  /** The entry module; undefined when the thing does not exist yet (subscriptions). */
  source: string | undefined
  /** What the entry uses, or why it is missing. */
  note?: string
  /** Left out of the bundle (not counted). */
  external?: string[]
  /** The min+gzip budget, in bytes (1 KB = 1024 B). */
  budgetGzip?: number
  /** Which chunks count: what it loads at start, or also the chunks of its first request (default). */
  load?: 'initial' | 'first-request'
}

/** The bundle-size entries; `coreExports` (names the built core exports) picks the providers that exist. */
export function bundleEntries(available: { coreExports: Set<string> }): Entry[]
