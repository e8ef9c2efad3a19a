import { afterEach, describe, expect, it, vi } from 'vitest'
import { browserStorage, usableLocalStorage } from '../src/storage/browserStorage'
import { fakeLocalStorage } from './fakeLocalStorage'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('browserStorage', () => {
  it('falls back to memory where there is no localStorage (Node, SSR), a new store on every call', async () => {
    expect('localStorage' in globalThis).toBe(false)
    expect(usableLocalStorage()).toBeUndefined()
    const a = browserStorage()
    const b = browserStorage()
    await a.setItem('k', 'one')
    expect(await a.getItem('k')).toBe('one')
    // Two server-side sessions never see each other's values.
    expect(await b.getItem('k')).toBeUndefined()
  })

  it('uses localStorage when it takes writes, leaving no probe behind', async () => {
    const local = fakeLocalStorage()
    vi.stubGlobal('localStorage', local)
    const storage = browserStorage()
    await storage.setItem('session', 'value')
    expect(local.items.get('session')).toBe('value')
    expect(await storage.getItem('session')).toBe('value')
    await storage.removeItem('session')
    expect([...local.items.keys()]).toEqual([])
  })

  it('falls back to memory when localStorage writes throw (old Safari private windows)', async () => {
    const local = fakeLocalStorage({ failWrites: true })
    vi.stubGlobal('localStorage', local)
    const storage = browserStorage()
    await storage.setItem('session', 'value')
    expect(await storage.getItem('session')).toBe('value')
    expect(local.items.size).toBe(0)
  })

  it('falls back to memory when reading localStorage itself throws (storage blocked)', () => {
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('access denied', 'SecurityError')
      },
    })
    try {
      expect(usableLocalStorage()).toBeUndefined()
      expect(() => browserStorage()).not.toThrow()
    } finally {
      Reflect.deleteProperty(globalThis, 'localStorage')
    }
  })
})
