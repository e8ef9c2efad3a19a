import type { Clock } from '../../src/index'

/** A clock the test moves by hand (injected as the client's `clock`; `Date` itself is never faked). */
export interface ManualClock extends Clock {
  set(time: string | number): void
  advance(ms: number): void
}

export function manualClock(start: string | number): ManualClock {
  let now = typeof start === 'number' ? start : Date.parse(start)
  return {
    now: () => now,
    set: (time) => {
      now = typeof time === 'number' ? time : Date.parse(time)
    },
    advance: (ms) => {
      now += ms
    },
  }
}

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

/** `YYYYMMDDTHHMMSSZ`, the x-amz-date format. */
export function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '')
}

/** Reads an x-amz-date back into epoch milliseconds. */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (!m) return Number.NaN
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
}

/**
 * A clock that runs with real time from `start` and can also be moved by hand: for tests whose
 * client sleeps for real between retries while expiry and backoff follow this clock.
 */
export function runningClock(start: number): ManualClock {
  const origin = Date.now()
  let shift = start
  return {
    now: () => shift + Date.now() - origin,
    set: (time) => {
      shift = (typeof time === 'number' ? time : Date.parse(time)) - (Date.now() - origin)
    },
    advance: (ms) => {
      shift += ms
    },
  }
}
