import type { ResolvedRetry } from './options'

/**
 * Full-jitter exponential backoff, capped at `maxDelayMs`; a `Retry-After` in seconds is honoured
 * as a floor (still capped).
 */
export function backoffDelay(
  attempt: number,
  { baseDelayMs, maxDelayMs }: ResolvedRetry,
  retryAfter: string | null,
  random: () => number = Math.random,
): number {
  const jittered = Math.round(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt))
  const seconds = Number(retryAfter ?? NaN)
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(maxDelayMs, Math.max(jittered, seconds * 1000)) : jittered
}

/** Throttling and server errors: worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status < 600)
}
