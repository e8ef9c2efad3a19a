// Small statistics and the interleaved runner every timing section uses: candidates take turns in
// rounds (the starting candidate rotates each round), so machine noise lands on all of them alike.

/**
 * @param {number[]} values
 * @param {number} q 0..1
 * @returns {number}
 */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const position = (sorted.length - 1) * q
  const low = Math.floor(position)
  const high = Math.ceil(position)
  const a = /** @type {number} */ (sorted[low])
  const b = /** @type {number} */ (sorted[high])
  return a + (b - a) * (position - low)
}

/**
 * @typedef {object} Summary
 * @property {number} median
 * @property {number} p25
 * @property {number} p75
 * @property {number} min
 * @property {number} max
 * @property {number} n
 */

/**
 * @param {number[]} samples
 * @returns {Summary}
 */
export function summarize(samples) {
  return {
    median: quantile(samples, 0.5),
    p25: quantile(samples, 0.25),
    p75: quantile(samples, 0.75),
    min: quantile(samples, 0),
    max: quantile(samples, 1),
    n: samples.length,
  }
}

/**
 * Runs up to `rounds` rounds; in each, every candidate runs once, starting one further each round.
 * With `budgetMs`, stops after the round that passes it (but not before `minRounds`).
 *
 * @template T
 * @param {readonly T[]} candidates
 * @param {number} rounds
 * @param {(candidate: T, round: number) => Promise<void>} runOne
 * @param {{ budgetMs?: number, minRounds?: number }} [limits]
 * @returns {Promise<number>} The rounds run.
 */
export async function interleave(candidates, rounds, runOne, limits = {}) {
  const { budgetMs = Number.POSITIVE_INFINITY, minRounds = 1 } = limits
  const start = performance.now()
  let round = 0
  while (round < rounds) {
    for (let i = 0; i < candidates.length; i++) {
      const candidate = /** @type {T} */ (candidates[(i + round) % candidates.length])
      await runOne(candidate, round)
    }
    round++
    if (round >= minRounds && performance.now() - start > budgetMs) break
  }
  return round
}

/**
 * Calls `op` back to back for about `sliceMs` (at most `maxOps` times) and returns operations per
 * second. Awaits `op` only when it returns a promise, so synchronous signers are not slowed down.
 *
 * @param {() => unknown} op
 * @param {{ sliceMs: number, maxOps?: number }} options
 * @returns {Promise<number>}
 */
export async function opsPerSecond(op, { sliceMs, maxOps = Number.POSITIVE_INFINITY }) {
  collectGarbage()
  const start = performance.now()
  const end = start + sliceMs
  let count = 0
  let now = start
  while (now < end && count < maxOps) {
    const result = op()
    if (result instanceof Promise) await result
    count++
    now = performance.now()
  }
  return (count * 1000) / (now - start)
}

/** A full collection between slices (when node runs with --expose-gc), so no candidate pays for another's garbage. */
export function collectGarbage() {
  const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc
  if (gc) gc()
}

/**
 * @param {number} value
 * @param {number} [digits]
 * @returns {string}
 */
export function fixed(value, digits = 2) {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a'
}

/**
 * An integer with thousands separators.
 *
 * @param {number} value
 * @returns {string}
 */
export function count(value) {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a'
}
