import { Hash } from '@smithy/hash-node'

/** Node's native SHA-256 (OpenSSL) for the SigV4 signer: several times faster than a JS hash. */
export class NodeSha256 extends Hash {
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    super('sha256', secret)
  }
}
