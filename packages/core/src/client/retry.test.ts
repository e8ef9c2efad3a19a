import { describe, it, expect } from 'vitest'
import { DEFAULT_RETRY } from './config'
import type { ResolvedRetry } from './options'
import { backoffDelay, isRetryableStatus } from './retry'

const retry: ResolvedRetry = { limit: 5, mutations: false, baseDelayMs: 300, maxDelayMs: 5000 }
const JUST_BELOW_ONE = 1 - Number.EPSILON

describe('backoffDelay', () => {
  it('stays within 0 and min(max, base * 2^attempt) for any random value', () => {
    for (let attempt = 0; attempt <= 10; attempt++) {
      const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt)
      for (const r of [0, 0.1, 0.25, 0.5, 0.75, 0.9, JUST_BELOW_ONE]) {
        const delay = backoffDelay(attempt, retry, null, () => r)
        expect(delay).toBeGreaterThanOrEqual(0)
        expect(delay).toBeLessThanOrEqual(ceiling)
      }
    }
  })

  it('uses full jitter: 0 at random 0, the ceiling at random → 1', () => {
    expect(backoffDelay(0, retry, null, () => 0)).toBe(0)
    expect(backoffDelay(0, retry, null, () => JUST_BELOW_ONE)).toBe(300)
    expect(backoffDelay(2, retry, null, () => JUST_BELOW_ONE)).toBe(1200)
    expect(backoffDelay(2, retry, null, () => 0.5)).toBe(600)
  })

  it('doubles the ceiling each attempt until it reaches maxDelayMs', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, retry, null, () => JUST_BELOW_ONE))
    expect(ceilings).toEqual([300, 600, 1200, 2400, 4800, 5000, 5000])
  })

  it('stays finite for very large attempts', () => {
    expect(backoffDelay(5000, retry, null, () => JUST_BELOW_ONE)).toBe(5000)
  })

  it('draws from Math.random by default', () => {
    for (let i = 0; i < 50; i++) {
      const delay = backoffDelay(1, retry, null)
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThanOrEqual(600)
    }
  })

  it('takes Retry-After seconds as a floor', () => {
    expect(backoffDelay(0, retry, '2', () => 0)).toBe(2000)
    expect(backoffDelay(0, retry, '1.5', () => 0)).toBe(1500)
    expect(backoffDelay(0, retry, '0', () => 0.5)).toBe(150)
    // A jittered delay above the floor is kept.
    expect(backoffDelay(4, retry, '1', () => 0.5)).toBe(2400)
  })

  it('caps Retry-After at maxDelayMs', () => {
    expect(backoffDelay(0, retry, '120', () => 0)).toBe(5000)
    expect(backoffDelay(0, { ...retry, maxDelayMs: 800 }, '3', () => 0)).toBe(800)
  })

  it('ignores a Retry-After that is not a number of seconds ≥ 0', () => {
    for (const value of ['Wed, 21 Oct 2015 07:28:00 GMT', '-5', 'soon', 'Infinity']) {
      expect(backoffDelay(0, retry, value, () => 0.5)).toBe(150)
    }
  })

  it('works with the default retry options', () => {
    expect(backoffDelay(0, DEFAULT_RETRY, null, () => JUST_BELOW_ONE)).toBe(DEFAULT_RETRY.baseDelayMs)
  })
})

describe('isRetryableStatus', () => {
  it.each([429, 500, 502, 503, 504, 599])('retries %i', (status) => {
    expect(isRetryableStatus(status)).toBe(true)
  })

  it.each([200, 204, 301, 400, 401, 403, 404, 409, 413, 428, 430, 499, 600])('does not retry %i', (status) => {
    expect(isRetryableStatus(status)).toBe(false)
  })
})
