// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) in plain JS: small, synchronous, and free of
// `crypto.subtle`, which pages served over plain http (insecure contexts) do not have. Checked
// against the NIST and RFC 4231 vectors and node:crypto in sha256.test.ts. Written here rather
// than taken from a library because the guest-IAM bundle budget (12 KB gzip, issue 6) has no room
// for one: @aws-crypto/sha256-js is about 2.5 KB gzip, @noble/hashes' sha256 + hmac 3.1 KB.

// The first 32 bits of the fractional parts of the square roots (0–7: the initial hash) and cube
// roots (8–71: the round constants) of the first primes, computed rather than listed: smaller in
// a bundle, and pinned by the test vectors.
const ROOTS: Int32Array = /* @__PURE__ */ roots()
const K: Int32Array = /* @__PURE__ */ ROOTS.subarray(8)
const W = /* @__PURE__ */ new Int32Array(64)

function roots(): Int32Array {
  const values = new Int32Array(72)
  for (let n = 2, i = 0; i < 64; n++) {
    let prime = true
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false
    if (prime) {
      if (i < 8) values[i] = ((n ** 0.5 % 1) * 2 ** 32) | 0
      values[8 + i++] = ((n ** (1 / 3) % 1) * 2 ** 32) | 0
    }
  }
  return values
}

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n))

/* eslint-disable @typescript-eslint/no-non-null-assertion --
   In-bounds typed-array reads (indices 0–63): `?? 0` on each made the hash 40% slower. */

// One 64-byte block into the state. A function of its own so that V8 optimizes it as a whole
// (compiled inside the caller's loop, it was deoptimized on every call). Module constants are
// read into locals first: bundlers turn top-level `const` into `var`, which V8 reloads each time.
function compress(state: Int32Array, view: DataView, offset: number): void {
  const k = K
  const w = W
  const r = rotr
  let a = state[0]!
  let b = state[1]!
  let c = state[2]!
  let d = state[3]!
  let e = state[4]!
  let f = state[5]!
  let g = state[6]!
  let h = state[7]!
  for (let i = 0; i < 64; i++) {
    if (i < 16) {
      w[i] = view.getInt32(offset + 4 * i)
    } else {
      const x = w[i - 15]!
      const y = w[i - 2]!
      w[i] = (w[i - 16]! + (r(x, 7) ^ r(x, 18) ^ (x >>> 3)) + w[i - 7]! + (r(y, 17) ^ r(y, 19) ^ (y >>> 10))) | 0
    }
    const t1 = (h + (r(e, 6) ^ r(e, 11) ^ r(e, 25)) + ((e & f) ^ (~e & g)) + k[i]! + w[i]!) | 0
    const t2 = ((r(a, 2) ^ r(a, 13) ^ r(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0
    h = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  // Int32Array stores wrap modulo 2^32.
  ;[a, b, c, d, e, f, g, h].forEach((value, j) => (state[j] = state[j]! + value))
}
/* eslint-enable @typescript-eslint/no-non-null-assertion */

/** The SHA-256 digest of `data`. */
function sha256(data: Uint8Array): Uint8Array {
  const length = data.length
  // The message, a 1 bit, zeros, and the length in bits (64-bit big-endian): whole 64-byte blocks.
  const size = ((length + 72) >>> 6) << 6
  const bytes = new Uint8Array(size)
  bytes.set(data)
  bytes[length] = 0x80
  const view = new DataView(bytes.buffer)
  view.setUint32(size - 8, length / 2 ** 29)
  view.setUint32(size - 4, length << 3)

  const state = ROOTS.slice(0, 8)
  for (let offset = 0; offset < size; offset += 64) compress(state, view, offset)
  // The message is no longer needed: its first 32 bytes take the digest.
  state.forEach((value, j) => {
    view.setInt32(4 * j, value)
  })
  return bytes.slice(0, 32)
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length)
  joined.set(a)
  joined.set(b, a.length)
  return joined
}

/** The bytes of a string (UTF-8), a buffer or a view. */
function toBytes(data: string | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data)
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data)
}

/** A 64-byte HMAC key block XORed with `mask` (0x36 inner, 0x5c outer). */
function keyBlock(key: Uint8Array, mask: number): Uint8Array {
  const block = new Uint8Array(64)
  block.set(key)
  return block.map((byte) => byte ^ mask)
}

/**
 * SHA-256, or HMAC-SHA256 when given a secret, in the AWS SDK's checksum shape (`update`, then
 * `digest`): the default hash of `createSigV4Signer`. Synchronous.
 *
 * @example
 * ```ts
 * const hmac = new Sha256('key')
 * hmac.update('message')
 * const mac = hmac.digest() // 32 bytes
 * ```
 */
export class Sha256 {
  // What `update` gave so far (copied, so later changes to the caller's buffer don't count).
  private data: Uint8Array = new Uint8Array()
  private readonly key: Uint8Array | undefined

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    if (secret !== undefined) {
      const key = toBytes(secret)
      this.key = key.length > 64 ? sha256(key) : key
      this.data = keyBlock(this.key, 0x36)
    }
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.data = concat(this.data, toBytes(data))
  }

  digest(): Uint8Array {
    const inner = sha256(this.data)
    return this.key === undefined ? inner : sha256(concat(keyBlock(this.key, 0x5c), inner))
  }
}
