/** A source of time (`now()`: milliseconds since the epoch), injectable for tests. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that follows the server: its offset is set from a signature-time rejection. */
export class SkewedClock implements Clock {
  offsetMs = 0
  declare private readonly base: Clock
  constructor(base: Clock) {
    this.base = base
  }
  now(): number {
    return this.base.now() + this.offsetMs
  }
}
