import { inspect } from 'node:util'
import type { Client, ClientEventName, ClientEvents, Logger } from '../../src/index'

export const EVENT_NAMES: readonly ClientEventName[] = [
  'apiKeyExpiring',
  'authModeSkipped',
  'tokenRefreshed',
  'sessionExpired',
  'credentialsRefreshed',
  'unauthorizedRetry',
  'clockSkewCorrected',
  'retry',
]

export interface RecordedEvent {
  readonly name: ClientEventName
  readonly payload: ClientEvents[ClientEventName]
}

/** Records every event a client emits. */
export function recordEvents(client: Client): RecordedEvent[] {
  const events: RecordedEvent[] = []
  for (const name of EVENT_NAMES) {
    client.on(name, (payload) => {
      events.push({ name, payload })
    })
  }
  return events
}

export interface LogCall {
  readonly level: 'debug' | 'info' | 'warn' | 'error'
  readonly args: readonly unknown[]
}

/** A logger that records every call. */
export function recordingLogger(): Logger & { readonly calls: LogCall[] } {
  const calls: LogCall[] = []
  const at =
    (level: LogCall['level']) =>
    (...args: unknown[]): void => {
      calls.push({ level, args })
    }
  return { calls, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** Settles a promise into its rejection, failing when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject, but it resolved')
}

/**
 * Every piece of text reachable from a value: strings, each error's message, stack and `cause`
 * chain, every own property (enumerable or not, string or symbol keys), `JSON.stringify` of each
 * object and a full `util.inspect` rendering (with hidden properties).
 */
export function allText(value: unknown): string[] {
  const out: string[] = []
  const seen = new Set<unknown>()
  const visit = (v: unknown, depth: number): void => {
    if (depth > 25) return
    if (typeof v === 'string') {
      out.push(v)
      return
    }
    if (typeof v === 'function') {
      if (seen.has(v)) return
      seen.add(v)
      out.push(v.name)
      return
    }
    if (typeof v !== 'object' || v === null) {
      if (v !== undefined) out.push(String(v))
      return
    }
    if (seen.has(v)) return
    seen.add(v)
    if (v instanceof Date) {
      out.push(Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString())
      return
    }
    if (v instanceof Error) {
      out.push(String(v), v.message, v.stack ?? '', v.name)
      visit(v.cause, depth + 1)
    }
    try {
      // undefined at run time for values JSON cannot represent, whatever the lib types say
      const json = JSON.stringify(v) as string | undefined
      if (json !== undefined) out.push(json)
    } catch {
      // cycles: the walk below still sees every property
    }
    out.push(inspect(v, { depth: 10, showHidden: true, getters: true }))
    if (v instanceof Map) {
      for (const [key, entry] of v) {
        visit(key, depth + 1)
        visit(entry, depth + 1)
      }
    } else if (v instanceof Set) {
      for (const entry of v) visit(entry, depth + 1)
    } else if (v instanceof Headers) {
      v.forEach((entry, key) => {
        out.push(key, entry)
      })
    }
    for (const key of Reflect.ownKeys(v)) {
      if (typeof key === 'string') out.push(key)
      else out.push(key.toString())
      let entry: unknown
      try {
        entry = (v as Record<PropertyKey, unknown>)[key]
      } catch {
        continue
      }
      visit(entry, depth + 1)
    }
  }
  visit(value, 0)
  return out
}
