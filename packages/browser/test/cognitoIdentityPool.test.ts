// The browser default of fromCognitoIdentityPool: where a guest's identity id is kept. GetId and
// GetCredentialsForIdentity themselves are the core's (tested there) and, in real Chromium against
// @authmode/local, in tests/browser (guest-web).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigurationError, memoryStorage } from '@authmode/core'
import { fromCognitoIdentityPool } from '../src/index'
import { fakeLocalStorage } from './fakeLocalStorage'

afterEach(() => {
  vi.unstubAllGlobals()
})

const identityPoolId = 'us-east-1:00000000-0000-4000-8000-000000000001'
const KEY = `com.amplify.Cognito.${identityPoolId}.identityId`

/** A stand-in identity pool that hands out a new identity on every GetId and counts the calls. */
function identityPool(): { fetch: typeof globalThis.fetch; calls: string[] } {
  const calls: string[] = []
  let next = 0
  const fetch: typeof globalThis.fetch = (_input, init) => {
    const operation = new Headers(init?.headers).get('x-amz-target')?.split('.').pop() ?? ''
    calls.push(operation)
    const request = JSON.parse(String(init?.body)) as { IdentityId?: string }
    const body =
      operation === 'GetId'
        ? { IdentityId: `us-east-1:00000000-0000-4000-8000-00000000010${String(next++)}` }
        : {
            IdentityId: request.IdentityId,
            Credentials: {
              AccessKeyId: 'ASIAEXAMPLE',
              SecretKey: 'example-secret',
              SessionToken: 'example-session',
              Expiration: Math.floor(Date.now() / 1000) + 3600,
            },
          }
    return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }))
  }
  return { fetch, calls }
}

describe('fromCognitoIdentityPool of @authmode/browser', () => {
  it("keeps a guest's identity id in localStorage under Amplify's key: a new provider (a reload) skips GetId", async () => {
    const local = fakeLocalStorage()
    vi.stubGlobal('localStorage', local)
    const pool = identityPool()
    const first = await fromCognitoIdentityPool({ identityPoolId, fetch: pool.fetch })()
    expect(local.items.get(KEY)).toBe(first.identityId)
    expect(pool.calls).toEqual(['GetId', 'GetCredentialsForIdentity'])

    const afterReload = await fromCognitoIdentityPool({ identityPoolId, fetch: pool.fetch })()
    expect(afterReload.identityId).toBe(first.identityId)
    expect(pool.calls).toEqual(['GetId', 'GetCredentialsForIdentity', 'GetCredentialsForIdentity'])
  })

  it('a storage you pass wins over localStorage', async () => {
    const local = fakeLocalStorage()
    vi.stubGlobal('localStorage', local)
    const storage = memoryStorage()
    const pool = identityPool()
    const { identityId } = await fromCognitoIdentityPool({ identityPoolId, fetch: pool.fetch, storage })()
    expect(await storage.getItem(KEY)).toBe(identityId)
    expect(local.items.has(KEY)).toBe(false)
  })

  it('without localStorage (SSR) the id lives in memory only, per provider', async () => {
    expect('localStorage' in globalThis).toBe(false)
    const pool = identityPool()
    const first = await fromCognitoIdentityPool({ identityPoolId, fetch: pool.fetch })()
    const second = await fromCognitoIdentityPool({ identityPoolId, fetch: pool.fetch })()
    expect(second.identityId).not.toBe(first.identityId)
    expect(pool.calls.filter((call) => call === 'GetId')).toHaveLength(2)
  })

  it('a localStorage whose writes throw costs a GetId per provider, never the credentials', async () => {
    vi.stubGlobal('localStorage', fakeLocalStorage({ failWrites: true }))
    const pool = identityPool()
    const credentials = await fromCognitoIdentityPool({ identityPoolId, fetch: pool.fetch })()
    expect(credentials.accessKeyId).toBe('ASIAEXAMPLE')
    expect(pool.calls).toEqual(['GetId', 'GetCredentialsForIdentity'])
  })

  it('bad options get the core’s ConfigurationError', () => {
    expect(() => fromCognitoIdentityPool(undefined as never)).toThrow(ConfigurationError)
    expect(() => fromCognitoIdentityPool({ identityPoolId: 'not-a-pool' })).toThrow(ConfigurationError)
  })
})
