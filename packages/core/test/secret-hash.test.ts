import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'

// Issue 18: the secret hash assumed `crypto.subtle`. These run in Node with the global `crypto`
// taken away, as a runtime without WebCrypto has it (no runtime of the matrix in tests/runtimes lacks it).
const expected = (secret: string, message: string) => createHmac('sha256', secret).update(message).digest('base64')

afterEach(() => {
  vi.unstubAllGlobals()
  vi.doUnmock('../src/auth/defaultSha256')
  vi.resetModules()
})

describe('cognitoSecretHash without crypto.subtle', () => {
  it('computes the HMAC-SHA256 with no global crypto at all', async () => {
    vi.stubGlobal('crypto', undefined)
    expect(globalThis.crypto).toBeUndefined()
    const { cognitoSecretHash } = await import('../src/identity/secretHash')
    expect(await cognitoSecretHash({ clientSecret: 'secret', username: 'user', clientId: 'client' })).toBe(
      'wvW87lzZoI+qQCVGmWVBJLlucdJ65huAVP1z+0MgA6E=',
    )
    // A secret longer than SHA-256's block (64 bytes) is hashed first, per RFC 2104; non-ASCII is UTF-8.
    const long = 'k'.repeat(100) + 'é'
    expect(await cognitoSecretHash({ clientSecret: long, username: 'ünïcode', clientId: 'c1' })).toBe(
      expected(long, 'ünïcode' + 'c1'),
    )
  })

  it('with crypto present but no subtle', async () => {
    vi.stubGlobal('crypto', { getRandomValues: crypto.getRandomValues.bind(crypto) })
    const { cognitoSecretHash } = await import('../src/identity/secretHash')
    expect(await cognitoSecretHash({ clientSecret: 's3cr3t', username: 'alice', clientId: 'abc' })).toBe(
      expected('s3cr3t', 'aliceabc'),
    )
  })

  it('a failure to compute it is a typed error that says what to do, never a raw TypeError', async () => {
    vi.doMock('../src/auth/defaultSha256', () => {
      throw new TypeError('chunk failed')
    })
    const { cognitoSecretHash } = await import('../src/identity/secretHash')
    const error = await cognitoSecretHash({ clientSecret: 'sekrit-value', username: 'u', clientId: 'c' }).catch(
      (e: unknown) => e,
    )
    // After resetModules the class is a fresh copy: compare with that copy.
    const { PlatformNotSupportedError } = await import('../src/errors/PlatformNotSupportedError')
    expect(error).toBeInstanceOf(PlatformNotSupportedError)
    expect((error as Error).message).toMatch(/SECRET_HASH.*HMAC-SHA256/)
    expect((error as Error).message).not.toContain('sekrit-value')
  })
})
