import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Sha256 } from './sha256'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const bytes = (length: number, value: number): Uint8Array => new Uint8Array(length).fill(value)

function sha256(...parts: (string | ArrayBuffer | ArrayBufferView)[]): string {
  const hash = new Sha256()
  for (const part of parts) hash.update(part)
  return hex(hash.digest())
}

function hmac(
  key: string | ArrayBuffer | ArrayBufferView,
  ...parts: (string | ArrayBuffer | ArrayBufferView)[]
): string {
  const hash = new Sha256(key)
  for (const part of parts) hash.update(part)
  return hex(hash.digest())
}

// A seeded generator (mulberry32): the random cases are the same on every run.
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

const next = random(0x5eed)
const randomBytes = (length: number): Uint8Array => Uint8Array.from({ length }, () => Math.floor(next() * 256))

// ASCII, two- and three-byte UTF-8 and astral characters (surrogate pairs), `length` code points.
const ALPHABET = ['a', 'Z', '0', ' ', '\n', '{', '"', 'é', 'ß', 'Ж', '€', '中', '😀', '𝄞']
const randomText = (length: number): string =>
  Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('')

describe('Sha256 (SHA-256, FIPS 180-4 examples)', () => {
  it.each([
    ['the empty message', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"abc"', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'the 448-bit message',
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    [
      'the 896-bit message',
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
    ['one million "a"', 'a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('hashes %s', (_name, message, digest) => {
    expect(sha256(message)).toBe(digest)
  })
})

describe('Sha256 with a secret (HMAC-SHA256, RFC 4231 test cases)', () => {
  const KEY_131 = bytes(131, 0xaa)
  it.each([
    ['1', bytes(20, 0x0b), 'Hi There', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
    ['2', 'Jefe', 'what do ya want for nothing?', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    ['3', bytes(20, 0xaa), bytes(50, 0xdd), '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'],
    [
      '4',
      Uint8Array.from({ length: 25 }, (_, i) => i + 1),
      bytes(50, 0xcd),
      '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
    ],
    [
      '6 (131-byte key)',
      KEY_131,
      'Test Using Larger Than Block-Size Key - Hash Key First',
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    ],
    [
      '7 (131-byte key, long data)',
      KEY_131,
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    ],
  ])('test case %s', (_name, key, data, mac) => {
    expect(hmac(key, data)).toBe(mac)
  })

  it('test case 5 (output truncated to 128 bits)', () => {
    expect(hmac(bytes(20, 0x0c), 'Test With Truncation').slice(0, 32)).toBe('a3b6167473100ee06e0c796c2955552b')
  })
})

describe('Sha256 against node:crypto', () => {
  it('agrees on bytes, for every length from 0 to 300 (hash, and HMAC with keys up to 130 bytes)', () => {
    for (let length = 0; length <= 300; length++) {
      const data = randomBytes(length)
      const key = randomBytes(length % 131)
      expect(sha256(data), `length ${length}`).toBe(createHash('sha256').update(data).digest('hex'))
      expect(hmac(key, data), `length ${length}`).toBe(createHmac('sha256', key).update(data).digest('hex'))
    }
  })

  it('agrees on strings (UTF-8, non-ASCII and astral characters), for every length from 0 to 300', () => {
    for (let length = 0; length <= 300; length++) {
      const text = randomText(length)
      const key = randomText(length % 80)
      expect(sha256(text), `length ${length}`).toBe(createHash('sha256').update(text, 'utf8').digest('hex'))
      expect(hmac(key, text), `length ${length}`).toBe(
        createHmac('sha256', Buffer.from(key, 'utf8')).update(text, 'utf8').digest('hex'),
      )
    }
  })

  it('agrees on a 30 KB body, as bytes and as text', () => {
    const data = randomBytes(30 * 1024)
    const text = randomText(30 * 1024)
    expect(sha256(data)).toBe(createHash('sha256').update(data).digest('hex'))
    expect(sha256(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'))
    expect(hmac('AWS4secret', text)).toBe(createHmac('sha256', 'AWS4secret').update(text, 'utf8').digest('hex'))
  })

  it('gives the same digest for a message split across several updates', () => {
    const text = randomText(200)
    const data = new TextEncoder().encode(text)
    const expected = createHash('sha256').update(data).digest('hex')
    expect(sha256(data.subarray(0, 1), data.subarray(1, 64), data.subarray(64))).toBe(expected)
    // Split between code points (a lone surrogate half would be encoded as U+FFFD).
    const chars = Array.from(text)
    expect(sha256(chars.slice(0, 50).join(''), chars.slice(50).join(''))).toBe(expected)
    expect(hmac('k', data.subarray(0, 100), data.subarray(100))).toBe(
      createHmac('sha256', 'k').update(data).digest('hex'),
    )
  })

  it('takes a key or data as an ArrayBuffer or as a view into a larger buffer', () => {
    const key = randomBytes(40)
    const data = randomBytes(100)
    const keyView = new DataView(new Uint8Array([7, ...key, 7]).buffer, 1, key.length)
    const dataView = new Uint8Array(new Uint8Array([9, ...data, 9]).buffer, 1, data.length)
    const expected = createHmac('sha256', key).update(data).digest('hex')
    expect(hmac(key.slice().buffer, data.slice().buffer)).toBe(expected)
    expect(hmac(keyView, dataView)).toBe(expected)
  })

  it('hashes the data as it was when given, not as it is at digest time', () => {
    const data = randomBytes(64)
    const expected = createHash('sha256').update(data).digest('hex')
    const hash = new Sha256()
    hash.update(data)
    data.fill(0)
    expect(hex(hash.digest())).toBe(expected)
  })
})
