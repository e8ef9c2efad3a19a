// A provider that caches by itself and must be asked on every request, because its answer depends
// on something the client cannot see (who is signed in right now). The `iam` mode then skips its
// own cache, which would keep signing with the previous principal's credentials until they expire.
// A registered symbol, so a duplicate copy of the package recognises it too.
const SELF_MEMOIZED = Symbol.for('@authmode/selfMemoized')

/** Marks `provider` as caching its identities itself (see `isSelfMemoized`). */
export function markSelfMemoized<TProvider extends object>(provider: TProvider): TProvider {
  Object.defineProperty(provider, SELF_MEMOIZED, { value: true })
  return provider
}

/** True for a provider marked with `markSelfMemoized`. */
export function isSelfMemoized(provider: unknown): boolean {
  return typeof provider === 'function' && (provider as unknown as Record<symbol, unknown>)[SELF_MEMOIZED] === true
}
