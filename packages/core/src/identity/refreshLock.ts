/** Runs `task` exclusively for `name`: in-process by default; `@authmode/browser`'s work across tabs. */
export type RefreshLock = <T>(name: string, task: () => Promise<T>) => Promise<T>

const queues = new Map<string, Promise<void>>()

/**
 * The default `RefreshLock`: tasks of one name run one after another, in the order they asked,
 * within this process (or page). Enough for several sessions over one storage in one process.
 *
 * @example
 * ```ts
 * const tokens = await inProcessLock('refresh:my-client', () => refreshTokens())
 * ```
 */
export const inProcessLock: RefreshLock = <T>(name: string, task: () => Promise<T>): Promise<T> => {
  const run = (queues.get(name) ?? Promise.resolve()).then(task)
  // Settles after `run`, whatever its outcome; the last one in the queue removes the entry.
  const tail: Promise<void> = run
    .catch(() => undefined)
    .then(() => {
      if (queues.get(name) === tail) queues.delete(name)
    })
  queues.set(name, tail)
  return run
}
