import type { HttpRequest } from '../auth/types'
import { TimeoutError } from '../errors/TimeoutError'
import { describeUrl } from '../transport/fetch'

/**
 * Runs `send` under one signal for the whole call (every attempt and wait, retries included): the
 * caller's `signal`, and the timeout, with a `TimeoutError` as the reason; `timeoutMs` 0 means none.
 * `fetch` gets that signal, so a timed-out request is aborted, not just abandoned. Once `send`
 * settles, the timer is cleared and the listener on the caller's signal removed. `send` is an async
 * function: it rejects, it never throws.
 *
 * Per call: one `AbortController` and one timer, the message built only on a timeout, and the
 * promise of `send` itself returned. Most of this step's cost is Node's fetch following the signal:
 * the price of really aborting (BENCHMARKS.md has the per-step profile).
 */
export function withDeadline<T>(
  request: HttpRequest,
  signal: AbortSignal | null | undefined,
  timeoutMs: number,
  send: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (!timeoutMs) return send(signal ?? undefined)
  const controller = new AbortController()
  const onAbort = (): void => {
    controller.abort(signal?.reason)
  }
  if (signal?.aborted) onAbort()
  signal?.addEventListener('abort', onAbort)
  const timer = setTimeout(() => {
    controller.abort(
      new TimeoutError(`${request.method} ${describeUrl(request.url)}: no answer within ${timeoutMs} ms`, {
        recoverySuggestion: 'Raise `timeoutMs` for slow operations, or check the endpoint.',
      }),
    )
  }, timeoutMs)
  const done = (): void => {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
  const result = send(controller.signal)
  result.then(done, done)
  return result
}
