import { createHash, createHmac } from 'node:crypto'
import { Sha256 } from '@aws-crypto/sha256-js'
import { describe, expect, it } from 'vitest'
import { NodeSha256 } from '../src/sha256'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('NodeSha256', () => {
  it('hashes strings as UTF-8 and bytes as they are, like the JS implementation', async () => {
    for (const input of ['', 'abc', 'ሴ € 😀', new Uint8Array([0, 1, 2, 255])]) {
      const ours = new NodeSha256()
      ours.update(input)
      const js = new Sha256()
      js.update(input)
      expect(hex(await ours.digest())).toBe(hex(await js.digest()))
      expect(hex(await withUpdate(new NodeSha256(), input).digest())).toBe(
        createHash('sha256').update(input).digest('hex'),
      )
    }
  })

  it('is an HMAC with a secret given as a string, an ArrayBuffer or a view into a larger buffer', async () => {
    const key = new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2, 1])
    const view = new Uint8Array(new Uint8Array([42, ...key, 42]).buffer, 1, key.length)
    for (const secret of ['AWS4secret', key.buffer, view]) {
      const ours = withUpdate(new NodeSha256(secret), 'data')
      const js = new Sha256(secret)
      js.update('data')
      expect(hex(await ours.digest())).toBe(hex(await js.digest()))
    }
    expect(hex(await withUpdate(new NodeSha256(view), 'data').digest())).toBe(
      createHmac('sha256', Buffer.from(key)).update('data').digest('hex'),
    )
  })
})

function withUpdate(hash: NodeSha256, data: Uint8Array | string): NodeSha256 {
  hash.update(data)
  return hash
}
