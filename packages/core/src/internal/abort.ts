/**
 * `promise`, or a rejection with the signal's reason as soon as it aborts; the work itself goes
 * on (a shared refresh that other callers still wait for).
 */
export function abandonOnAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason as Error)
    }
    if (signal.aborted) onAbort()
    signal.addEventListener('abort', onAbort)
    const done = (): void => {
      signal.removeEventListener('abort', onAbort)
    }
    promise.then(resolve, reject).then(done, done)
  })
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return abandonOnAbort(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), signal).finally(() => {
    clearTimeout(timer)
  })
}
