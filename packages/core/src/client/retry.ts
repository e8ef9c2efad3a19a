import type { ResolvedRetry } from './options'

/** Exponential backoff with full jitter; a server's `Retry-After` (seconds) is a floor. */
export function backoffDelay(
  attempt: number,
  retry: ResolvedRetry,
  retryAfter: string | null,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt)
  const jittered = Math.round(random() * ceiling)
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter)
  return Number.isFinite(seconds) && seconds >= 0
    ? Math.min(retry.maxDelayMs, Math.max(jittered, seconds * 1000))
    : jittered
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599)
}
