import { TimeoutError } from '../errors/TimeoutError'

export interface Deadline {
  readonly signal: AbortSignal | undefined
  dispose(): void
}

/**
 * One signal for a call: the caller's signal (its abort reason is re-thrown unchanged) and the
 * timeout (which aborts with a `TimeoutError`).
 */
export function startDeadline(userSignal: AbortSignal | undefined, timeoutMs: number, what: string): Deadline {
  if (timeoutMs === 0) return { signal: userSignal, dispose: () => undefined }
  const controller = new AbortController()
  const onUserAbort = (): void => {
    controller.abort(userSignal?.reason)
  }
  if (userSignal?.aborted) onUserAbort()
  else userSignal?.addEventListener('abort', onUserAbort, { once: true })
  const timer = setTimeout(() => {
    controller.abort(
      new TimeoutError(`${what}: no answer within ${String(timeoutMs)} ms`, {
        recoverySuggestion: 'Raise `timeoutMs` for slow operations, or check the endpoint.',
      }),
    )
  }, timeoutMs)
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer)
      userSignal?.removeEventListener('abort', onUserAbort)
    },
  }
}
