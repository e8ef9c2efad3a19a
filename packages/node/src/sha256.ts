import { PlatformNotSupportedError } from '@authmode/core'
import type * as NodeCrypto from 'node:crypto'

type Crypto = typeof NodeCrypto
let loaded: Crypto | undefined

// node:crypto takes 6–8 ms to load: loaded on the first hash, not at import, so a process that
// never signs (API key, tokens) does not pay for it at start-up. `process.getBuiltinModule`
// (Node 20.16+) loads it synchronously from ESM and CJS alike.
function crypto(): Crypto {
  const load = nodeBuiltins()
  if (!load)
    throw new PlatformNotSupportedError(
      'NodeSha256 needs `process.getBuiltinModule` (Node 20.16+, Bun, Deno). Elsewhere leave `sha256` out: the core hashes with @aws-crypto/sha256-js.',
    )
  return (loaded ??= load('node:crypto'))
}

/** Node's `process.getBuiltinModule`, or undefined where there is no `process` (workerd, edge runtimes). */
export function nodeBuiltins(): typeof process.getBuiltinModule | undefined {
  const node = (globalThis as { process?: Partial<typeof process> }).process
  return node?.getBuiltinModule?.bind(node)
}

// `crypto.hash` (Node 20.12+), looked up so that a runtime without it still works.
function oneShot(): Crypto['hash'] | undefined {
  return (crypto() as Partial<Crypto>).hash
}

/**
 * Node's native SHA-256 (OpenSSL) for the SigV4 signer: several times faster than a JS hash on
 * large bodies. Synchronous, like the hash itself: the signer awaits nothing for it. Written on
 * `node:crypto` directly rather than `@smithy/hash-node`, which loads most of `@smithy/core` at
 * import and so slowed every cold start, signing or not.
 *
 * @example
 * ```ts
 * // What `createClient` of `@authmode/node` registers; with the bare core on Node:
 * import { createClient, iamMode } from '@authmode/core'
 * import { NodeSha256 } from '@authmode/node'
 * const client = createClient({ endpoint, authMode: 'iam', credentials, modes: [iamMode({ sha256: NodeSha256 })] })
 * ```
 */
export class NodeSha256 {
  private hash: ReturnType<Crypto['createHash']> | ReturnType<Crypto['createHmac']> | undefined
  // One string update (what the signer makes) waits for `digest` and goes to the one-shot
  // `crypto.hash`, which saves creating a Hash object.
  private pending: string | undefined

  /** With a secret, an HMAC-SHA256 keyed with it (as the AWS SDK's checksum constructors are). */
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    if (secret !== undefined) this.hash = crypto().createHmac('sha256', toKey(secret))
  }

  update(data: Uint8Array | string): void {
    if (this.hash === undefined && this.pending === undefined && typeof data === 'string' && oneShot()) {
      this.pending = data
      return
    }
    this.hash ??= crypto().createHash('sha256')
    if (this.pending !== undefined) this.hash.update(this.pending)
    this.pending = undefined
    this.hash.update(data)
  }

  /** The 32-byte digest (a `Buffer`, which is a `Uint8Array`). */
  digest(): Uint8Array {
    const once = this.hash ? undefined : oneShot()
    return once ? once('sha256', this.pending ?? '', 'buffer') : (this.hash ?? crypto().createHash('sha256')).digest()
  }

  /** The digest as lower-case hex, from OpenSSL: no `Buffer` made, no byte loop (what the signer reads). */
  hexDigest(): string {
    const once = this.hash ? undefined : oneShot()
    return once ? once('sha256', this.pending ?? '', 'hex') : (this.hash ?? crypto().createHash('sha256')).digest('hex')
  }
}

function toKey(secret: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof secret === 'string') return secret
  if (ArrayBuffer.isView(secret)) return new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)
  return new Uint8Array(secret)
}
