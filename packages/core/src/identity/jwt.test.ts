import { describe, it, expect } from 'vitest'
import { jwtExpiration } from './jwt'

const HEADER = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9' // {"alg":"RS256","typ":"JWT"}

function base64url(json: string, padding: boolean): string {
  const base64 = btoa(json).replace(/\+/g, '-').replace(/\//g, '_')
  return padding ? base64 : base64.replace(/=+$/, '')
}

function jwt(payload: unknown, padding = false): string {
  return `${HEADER}.${base64url(JSON.stringify(payload), padding)}.c2lnbmF0dXJl`
}

describe('jwtExpiration', () => {
  it('reads exp (seconds) as a Date', () => {
    expect(jwtExpiration(jwt({ sub: 'user', exp: 1_700_000_000 }))).toEqual(new Date(1_700_000_000_000))
  })

  it('reads a payload without padding characters whatever its length', () => {
    // Three payloads whose base64 lengths leave remainders 0, 2 and 3 modulo 4.
    const payloads = [
      { exp: 1_700_000_000, a: '' },
      { exp: 1_700_000_000, a: 'x' },
      { exp: 1_700_000_000, a: 'xy' },
    ]
    const remainders = new Set<number>()
    for (const payload of payloads) {
      const token = jwt(payload)
      remainders.add(token.split('.')[1]!.length % 4)
      expect(jwtExpiration(token)).toEqual(new Date(1_700_000_000_000))
    }
    expect(remainders.size).toBe(3)
  })

  it('reads a payload that keeps its padding characters', () => {
    const token = jwt({ exp: 1_700_000_000, a: 'x' }, true)
    expect(token.split('.')[1]).toMatch(/=$/)
    expect(jwtExpiration(token)).toEqual(new Date(1_700_000_000_000))
  })

  it('decodes base64url characters (- and _) in the payload', () => {
    // '>>>' and '???' encode to '+' and '/' in base64, '-' and '_' in base64url.
    const token = jwt({ exp: 1_700_000_000, a: '>>>???' })
    expect(token.split('.')[1]).toMatch(/[-_]/)
    expect(jwtExpiration(token)).toEqual(new Date(1_700_000_000_000))
  })

  it('reads exp beside non-ASCII claims', () => {
    const utf8 = String.fromCharCode(
      ...new TextEncoder().encode(JSON.stringify({ name: 'José 日本', exp: 1_700_000_000 })),
    )
    const token = `${HEADER}.${btoa(utf8).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.sig`
    expect(jwtExpiration(token)).toEqual(new Date(1_700_000_000_000))
  })

  it('is undefined for strings that are not JWTs', () => {
    expect(jwtExpiration('')).toBeUndefined()
    expect(jwtExpiration('da2-abcdefghijklmnopqrstuvwxyz')).toBeUndefined()
    expect(jwtExpiration('opaque-lambda-authorizer-token')).toBeUndefined()
  })

  it('is undefined for garbage payloads', () => {
    expect(jwtExpiration('a.b.c')).toBeUndefined()
    expect(jwtExpiration(`${HEADER}.!!!not-base64!!!.sig`)).toBeUndefined()
    expect(jwtExpiration(`${HEADER}..sig`)).toBeUndefined()
    expect(jwtExpiration(`${HEADER}.${base64url('{"exp": 17', false)}.sig`)).toBeUndefined()
    expect(jwtExpiration(`${HEADER}.${base64url('null', false)}.sig`)).toBeUndefined()
    expect(jwtExpiration(`${HEADER}.${base64url('[1700000000]', false)}.sig`)).toBeUndefined()
    expect(jwtExpiration(`${HEADER}.${base64url('"exp"', false)}.sig`)).toBeUndefined()
  })

  it('is undefined when exp is missing or not a usable number', () => {
    expect(jwtExpiration(jwt({ sub: 'user' }))).toBeUndefined()
    expect(jwtExpiration(jwt({ exp: '1700000000' }))).toBeUndefined()
    expect(jwtExpiration(jwt({ exp: null }))).toBeUndefined()
    expect(jwtExpiration(jwt({ exp: 1e20 }))).toBeUndefined()
  })
})

describe('jwtExpiration on arrival (issue 13, finding 7: a skewed clock)', () => {
  const IAT = 1_700_000_000
  const token = jwt({ iat: IAT, exp: IAT + 3600 })
  const HOUR = 3_600_000

  it('a clock that agrees with the token (within its lifetime) changes nothing', () => {
    expect(jwtExpiration(token, undefined, IAT * 1000 + 10 * 60_000)).toEqual(new Date((IAT + 3600) * 1000))
  })

  it('a token already expired by this clock (3 h ahead) lives its lifetime from now', () => {
    const now = IAT * 1000 + 3 * HOUR
    expect(jwtExpiration(token, undefined, now)).toEqual(new Date(now + HOUR))
  })

  it('a token not yet issued by this clock (3 h behind) lives its lifetime from now', () => {
    const now = IAT * 1000 - 3 * HOUR
    expect(jwtExpiration(token, undefined, now)).toEqual(new Date(now + HOUR))
  })

  it("a provider's own expiration is judged the same way; without iat nothing can be said", () => {
    const now = IAT * 1000 + 3 * HOUR
    expect(jwtExpiration(token, new Date((IAT + 1800) * 1000), now)).toEqual(new Date(now + HOUR / 2))
    expect(jwtExpiration(jwt({ exp: IAT + 3600 }), undefined, now)).toEqual(new Date((IAT + 3600) * 1000))
    expect(jwtExpiration('opaque-lambda-token', new Date(IAT * 1000), now)).toEqual(new Date(IAT * 1000))
  })
})
