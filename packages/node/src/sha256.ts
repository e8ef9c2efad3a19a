import { createHash, createHmac } from 'node:crypto'

/**
 * Node's native SHA-256 (OpenSSL) for the SigV4 signer: several times faster than a JS hash.
 * Written on `node:crypto` directly rather than `@smithy/hash-node`, which loads most of
 * `@smithy/core` at import and so slowed every cold start, signing or not.
 */
export class NodeSha256 {
  private readonly hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>

  /** With a secret, an HMAC-SHA256 keyed with it (as smithy's `Checksum` constructors are). */
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toKey(secret))
  }

  update(data: Uint8Array | string): void {
    this.hash.update(data)
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()))
  }
}

function toKey(secret: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof secret === 'string') return secret
  if (ArrayBuffer.isView(secret)) return new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)
  return new Uint8Array(secret)
}
