import { describe, expect, it } from 'vitest'
import { createCredentialStore } from './credentialStore'
import type { IamPrincipal } from './types'

const T0 = Date.parse('2026-11-26T04:00:00Z')
const guest: IamPrincipal = {
  kind: 'guest',
  identityPoolId: 'us-east-1:0f3c1e2a-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
  identityId: 'us-east-1:11111111-2222-4333-8444-555555555555',
}

function clockAt(start: number): { now(): number; advance(ms: number): void } {
  let now = start
  return {
    now: () => now,
    advance: (ms) => {
      now += ms
    },
  }
}

describe('createCredentialStore', () => {
  it('issues temporary credentials like STS: ASIA… key id, secret, session token, expiry from the clock', () => {
    const clock = clockAt(T0)
    const store = createCredentialStore({ clock })
    const issued = store.issue(guest, 900)
    expect(issued.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/)
    expect(issued.secretAccessKey).toHaveLength(40)
    expect(issued.sessionToken?.length).toBeGreaterThan(100)
    expect(issued.expiration).toEqual(new Date(T0 + 900_000))
    expect(issued.principal).toBe(guest)
    expect(store.lookup(issued.accessKeyId)).toBe(issued)
    expect(store.lookup('ASIAUNKNOWN000000000')).toBeUndefined()
  })

  it('never issues the same key id or secret twice', () => {
    const store = createCredentialStore()
    const issued = Array.from({ length: 500 }, () => store.issue(guest, 60))
    expect(new Set(issued.map((c) => c.accessKeyId)).size).toBe(500)
    expect(new Set(issued.map((c) => c.secretAccessKey)).size).toBe(500)
  })

  it('registers backend credentials (no expiry unless given) under a backend principal', () => {
    const store = createCredentialStore()
    const backend = store.addBackend('lambda', {
      accessKeyId: 'AKIABACKEND000000001',
      secretAccessKey: 'backend-secret',
    })
    expect(backend.principal).toEqual({ kind: 'backend', name: 'lambda' })
    expect(backend.expiration).toBeUndefined()
    expect(store.lookup('AKIABACKEND000000001')).toBe(backend)
    expect(() => store.addBackend('broken', { accessKeyId: '', secretAccessKey: 'x' })).toThrow(TypeError)
    expect(() => store.addBackend('broken', { accessKeyId: 'AKIA', secretAccessKey: '' })).toThrow(/secretAccessKey/)
  })

  it('keeps expired credentials an hour (so they can be told apart from unknown ones), then forgets them', () => {
    const clock = clockAt(T0)
    const store = createCredentialStore({ clock })
    const old = store.issue(guest, 60)
    clock.advance(60_000 + 30 * 60_000)
    store.issue(guest, 60)
    expect(store.lookup(old.accessKeyId)).toBe(old)
    clock.advance(31 * 60_000)
    store.issue(guest, 60)
    expect(store.lookup(old.accessKeyId)).toBeUndefined()
  })

  it('rejects a lifetime that is not a positive number of seconds', () => {
    const store = createCredentialStore()
    for (const lifetime of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => store.issue(guest, lifetime)).toThrow(RangeError)
    }
  })
})
