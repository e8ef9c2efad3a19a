// The `browser` condition of @authmode/node points at a stub (packages/node/src/unsupported.ts)
// whose types are the real entry's. So a name the real entry exports and the stub lacks
// type-checks, then breaks every browser bundle that imports it (as `lazyNodeProviderChain` once
// did). Here the built stub is held to the real entry's names, and a browser bundle resolved through
// the package's own exports map (no alias) imports every one of them.
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { describe, expect, it } from 'vitest'
import * as core from '@authmode/core'
import * as cookies from '@authmode/core/cookies'
import { assertBuilt } from '../src/measure'

const HERE = fileURLToPath(new URL('..', import.meta.url))
const NODE_DIST = new URL('../../../packages/node/dist/', import.meta.url)

assertBuilt()
const load = async (file: string): Promise<Record<string, unknown>> =>
  (await import(new URL(file, NODE_DIST).href)) as Record<string, unknown>
const real = await load('index.js')
const stub = await load('unsupported.js')
const names = Object.keys(real).sort()
// The core's public values, its cookies entry's included (Web-standard: the stub re-exports them).
const shared: Record<string, unknown> = { ...core, ...cookies }
// What the node entry adds to the core's public surface or puts in place of the core's: the values
// the stub must provide itself.
const own = names.filter((name) => real[name] !== shared[name])

describe('the browser stub of @authmode/node', () => {
  it('exports exactly the names of the real entry', () => {
    expect(own).toEqual(['NodeSha256', 'createAuthFetch', 'createClient', 'lazyNodeProviderChain'])
    expect(Object.keys(stub).sort()).toEqual(names)
  })

  it("re-exports the core's values themselves, and its own throw PlatformNotSupportedError when called", () => {
    for (const name of names.filter((n) => !own.includes(n))) {
      expect(stub[name], name).toBe(shared[name])
    }
    for (const name of own) {
      // NodeSha256 is a class; the others are functions.
      const value = stub[name] as (() => unknown) & (new () => unknown)
      const call = name === 'NodeSha256' ? () => new value() : () => value()
      expect(call, name).toThrow(core.PlatformNotSupportedError)
      expect(call, name).toThrow(`@authmode/node's ${name} does not run in a browser`)
    }
  })

  it('an esbuild bundle for the browser that imports every export of @authmode/node builds, from the stub', async () => {
    const result = await esbuild.build({
      stdin: {
        contents: `import { ${names.join(', ')} } from '@authmode/node'\nconsole.log(${names.join(', ')})`,
        resolveDir: HERE,
        loader: 'js',
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      metafile: true,
      logLevel: 'silent',
      // As a user's bundler sees the packages: without this repository's tsconfig paths (which
      // would map @authmode/core to its sources).
      tsconfigRaw: '{}',
    })
    expect(result.errors).toEqual([])
    expect(result.warnings).toEqual([])
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.filter((file) => file.startsWith('packages/node/'))).toEqual(['packages/node/dist/unsupported.js'])
    // The core comes through its exports map too: its public entry (and the chunk it imports).
    expect(inputs).toContain('packages/core/dist/index.js')
  })
})
