import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../errors/ConfigurationError'
import { fromCognitoUserPool } from '../identity/cognitoUserPool'
import { cookieStorage, MAX_COOKIE_BYTES } from './cookieStorage'
import type { CookieAttributes, CookieJar } from './cookies'
import { requestCookies } from './requestCookies'

const KEY = 'CognitoIdentityServiceProvider.client.alice.idToken'
const jwt = (claims: Record<string, unknown>): string =>
  ['{"alg":"none"}', JSON.stringify(claims)].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.'

/** A jar like Next.js's `cookies()`: `get` gives `{ name, value }`; what was set is recorded. */
function nextLikeJar(url?: string): CookieJar & { sets: [string, string, CookieAttributes][]; deleted: string[] } {
  const values = new Map<string, string>()
  const sets: [string, string, CookieAttributes][] = []
  const deleted: string[] = []
  return {
    url,
    sets,
    deleted,
    get: (name) => (values.has(name) ? { name, value: values.get(name)! } : undefined),
    set: (name, value, attributes) => {
      values.set(name, value)
      sets.push([name, value, attributes])
    },
    delete: (name) => {
      values.delete(name)
      deleted.push(name)
    },
  }
}

const request = (cookie?: string, url = 'https://app.example.com/notes'): Request =>
  new Request(url, { headers: cookie ? { cookie } : {} })

describe('cookieStorage: attributes', () => {
  it('defaults: Path=/, SameSite=Lax, Secure, Max-Age of 30 days (the refresh token), not HttpOnly', async () => {
    const cookies = requestCookies(request())
    await cookieStorage(cookies).setItem(KEY, 'v')
    expect(cookies.setCookieHeaders()).toEqual([`${KEY}=v; Path=/; Max-Age=2592000; SameSite=Lax; Secure`])
  })

  it('leaves Secure out on http://localhost and 127.0.0.1 only (from the jar’s URL or the `url` option)', async () => {
    for (const url of ['http://localhost:3000/', 'http://127.0.0.1:8080/x', 'http://app.localhost/']) {
      const cookies = requestCookies(request(undefined, url))
      await cookieStorage(cookies).setItem(KEY, 'v')
      expect(cookies.setCookieHeaders()[0]).not.toMatch(/Secure/)
    }
    const jar = nextLikeJar()
    await cookieStorage(jar).setItem(KEY, 'v')
    await cookieStorage(jar, { url: 'http://localhost:3000' }).setItem(KEY, 'v')
    await cookieStorage(nextLikeJar('http://example.com'), {}).setItem(KEY, 'v')
    expect(jar.sets.map(([, , attributes]) => attributes.secure)).toEqual([true, false])
  })

  it('takes options: httpOnly, sameSite, maxAge, domain, path', async () => {
    const jar = nextLikeJar()
    const options = { httpOnly: true, sameSite: 'strict', maxAge: 3600, domain: 'example.com', path: '/app' } as const
    await cookieStorage(jar, options).setItem(KEY, 'v')
    expect(jar.sets).toEqual([[KEY, 'v', { ...options, secure: true }]])
  })

  it('refuses a jar without get/set/delete, sameSite none without secure, and a bad maxAge (ConfigurationError)', () => {
    expect(() => cookieStorage({} as CookieJar)).toThrow(ConfigurationError)
    expect(() => cookieStorage(nextLikeJar(), { sameSite: 'none', secure: false })).toThrow(/needs `secure`/)
    expect(() => cookieStorage(nextLikeJar(), { maxAge: 0 })).toThrow(/`maxAge`/)
  })
})

describe('cookieStorage: Amplify’s names and encoding', () => {
  it('names encoded as Amplify’s Next.js adapter does (@ encoded; + kept); values URI-encoded, read back decoded', async () => {
    const key = 'CognitoIdentityServiceProvider.client.bob+x@example.com.accessToken'
    const cookies = requestCookies(request())
    const storage = cookieStorage(cookies)
    await storage.setItem(key, 'a b;c=é')
    expect(cookies.setCookieHeaders()[0]).toMatch(
      /^CognitoIdentityServiceProvider\.client\.bob\+x%40example\.com\.accessToken=a%20b%3Bc%3D%C3%A9; /,
    )
    expect(await storage.getItem(key)).toBe('a b;c=é')
    // The browser sends it back: a new request reads it.
    const next = requestCookies(request(cookies.setCookieHeaders()[0]!.split(';')[0]))
    expect(await cookieStorage(next).getItem(key)).toBe('a b;c=é')
  })

  it('reads js-cookie’s encoding (what Amplify’s CookieStorage writes in the browser): @ left as it is', async () => {
    const cookies = requestCookies(request('other=1; CognitoIdentityServiceProvider.c.LastAuthUser=bob@example.com'))
    expect(await cookieStorage(cookies).getItem('CognitoIdentityServiceProvider.c.LastAuthUser')).toBe(
      'bob@example.com',
    )
  })

  it('a missing cookie is null; removeItem deletes it (Max-Age=0 in the response)', async () => {
    const cookies = requestCookies(request(`${KEY}=v`))
    const storage = cookieStorage(cookies)
    expect(await storage.getItem('CognitoIdentityServiceProvider.client.nobody.idToken')).toBeNull()
    await storage.removeItem(KEY)
    expect(await storage.getItem(KEY)).toBeNull()
    expect(cookies.setCookieHeaders()).toEqual([`${KEY}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`])
  })
})

describe('cookieStorage: a value too large for a cookie', () => {
  it('is a ConfigurationError naming the token part and its size, never a cut cookie, and shows no value', () => {
    const jar = nextLikeJar()
    const storage = cookieStorage(jar)
    const big = 'x'.repeat(MAX_COOKIE_BYTES)
    let thrown: unknown
    try {
      void storage.setItem(KEY, big)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ConfigurationError)
    expect((thrown as Error).message).toMatch(/the idToken cookie would be \d+ bytes, over the 4096 browsers keep/)
    expect((thrown as Error).message).not.toContain('xxxx')
    expect(jar.sets).toEqual([])
    // Right at the limit it is written, whole.
    const fits = MAX_COOKIE_BYTES - `${KEY}=; Path=/; Max-Age=2592000; SameSite=Lax; Secure`.length
    void storage.setItem(KEY, 'y'.repeat(fits))
    expect(jar.sets[0]?.[1]).toHaveLength(fits)
  })

  it('fails the session that would store it (fromCognitoUserPool), rather than keeping it in memory only', async () => {
    const idToken = jwt({ token_use: 'id', groups: 'g'.repeat(MAX_COOKIE_BYTES), exp: 2e9 })
    const accessToken = jwt({ token_use: 'access', username: 'alice', exp: 2e9 })
    const jar = nextLikeJar()
    const session = fromCognitoUserPool({
      clientId: 'client',
      region: 'us-east-1',
      tokens: { idToken, accessToken, refreshToken: 'r' },
      storage: cookieStorage(jar),
    })
    await expect(session()).rejects.toThrow(/the idToken cookie would be \d+ bytes/)
  })
})

describe('requestCookies', () => {
  it('reads the Cookie header (first of a name wins), sees its own writes, keeps one Set-Cookie per name (the last)', () => {
    const cookies = requestCookies(request('a=1; b=2; a=3'))
    expect([cookies.get('a'), cookies.get('b'), cookies.get('c')]).toEqual(['1', '2', undefined])
    cookies.set('a', 'x', { path: '/' })
    cookies.set('c', 'y', { path: '/' })
    cookies.set('a', 'z', { path: '/' })
    expect(cookies.get('a')).toBe('z')
    expect(cookies.setCookieHeaders()).toEqual(['c=y; Path=/', 'a=z; Path=/'])
    cookies.delete('b')
    cookies.set('d', 'x y', { path: '/' })
    expect(cookies.cookieHeader()).toBe('a=z; c=y; d=x%20y')
  })

  it('applies its Set-Cookie lines to a Response or Headers, one header each', () => {
    const cookies = requestCookies(request())
    cookies.set('a', '1', { path: '/' })
    cookies.delete('b')
    const response = Response.json({})
    cookies.applyTo(response)
    expect(response.headers.getSetCookie()).toEqual([
      'a=1; Path=/',
      'b=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    ])
    const headers = new Headers()
    cookies.applyTo(headers)
    expect(headers.getSetCookie()).toHaveLength(2)
  })
})
