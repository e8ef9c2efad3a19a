// NodeSha256 on a runtime without the one-shot `crypto.hash` (Node before 20.12, some other
// runtimes' node:crypto): it falls back to createHash and gives the same digests.
import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it, vi } from 'vitest'
import { NodeSha256 } from '../src/sha256'

// NodeSha256 loads node:crypto through process.getBuiltinModule on its first hash.
const getBuiltinModule = process.getBuiltinModule.bind(process)
const withoutOneShot = (id: string): object | undefined =>
  id === 'node:crypto' ? { ...getBuiltinModule('node:crypto'), hash: undefined } : getBuiltinModule(id)
vi.spyOn(process, 'getBuiltinModule').mockImplementation(withoutOneShot)

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('NodeSha256 without crypto.hash', () => {
  it('is running without crypto.hash', () => {
    const crypto = process.getBuiltinModule('node:crypto') as { hash?: unknown }
    expect(crypto.hash).toBeUndefined()
  })

  it('hashes one update, several updates or none like createHash', () => {
    const one = new NodeSha256()
    one.update('ab€c')
    expect(hex(one.digest())).toBe(createHash('sha256').update('ab€c').digest('hex'))
    const several = new NodeSha256()
    several.update('ab')
    several.update(new TextEncoder().encode('€c'))
    expect(hex(several.digest())).toBe(createHash('sha256').update('ab€c').digest('hex'))
    expect(hex(new NodeSha256().digest())).toBe(createHash('sha256').digest('hex'))
    const hexOne = new NodeSha256()
    hexOne.update('ab€c')
    expect(hexOne.hexDigest()).toBe(createHash('sha256').update('ab€c').digest('hex'))
    expect(new NodeSha256().hexDigest()).toBe(createHash('sha256').digest('hex'))
  })

  it('is still an HMAC with a secret', () => {
    const mac = new NodeSha256('AWS4secret')
    mac.update('data')
    expect(hex(mac.digest())).toBe(createHmac('sha256', 'AWS4secret').update('data').digest('hex'))
  })
})
