import { TimeoutError } from '../errors/TimeoutError'

export interface Deadline {
  readonly signal: AbortSignal | undefined
  dispose(): void
}

/**
 * One signal for a whole call: the caller's signal, or the timeout (`TimeoutError` as the reason)
 * over every attempt and wait of the call. `timeoutMs` 0 means no timeout.
 */
export function startDeadline(userSignal: AbortSignal | undefined, timeoutMs: number, what: string): Deadline {
  if (!timeoutMs)
    return {
      signal: userSignal,
      dispose() {
        // nothing to release
      },
    }
  const controller = new AbortController()
  const abort = (reason: unknown): void => {
    controller.abort(reason)
  }
  const onUserAbort = (): void => {
    abort(userSignal?.reason)
  }
  if (userSignal?.aborted) onUserAbort()
  userSignal?.addEventListener('abort', onUserAbort)
  const timer = setTimeout(() => {
    abort(
      new TimeoutError(`${what}: no answer within ${String(timeoutMs)} ms`, {
        recoverySuggestion: 'Raise `timeoutMs` for slow operations, or check the endpoint.',
      }),
    )
  }, timeoutMs)
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer)
      userSignal?.removeEventListener('abort', onUserAbort)
    },
  }
}
