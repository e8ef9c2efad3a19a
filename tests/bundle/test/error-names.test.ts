// Bundlers that minify (esbuild, which Vite and tsup use) rename classes, so an error class that
// took its `name` from the class would read like "t" in production logs. Each of ours spells it out.
import { describe, expect, it } from 'vitest'
import * as esbuild from 'esbuild'
import { DIST_ALIAS } from '../../../bench/src/paths.mjs'

// Constructor arguments of the classes that take more than a message.
const info =
  "{ method: 'POST', url: 'https://example.com/graphql', status: 500, statusText: '', serverMessages: [], problem: '' }"
const ENTRY = `import * as core from '@authmode/core'
const args = { NoAuthModeAvailableError: [[]], GraphQLResponseError: [[], null], NetworkError: ['POST', 'https://example.com/graphql'],
  HttpError: [${info}], UnauthorizedError: [${info}], ResponseParseError: [${info}] }
globalThis.__errorNames = Object.entries(core)
  .filter(([key, value]) => typeof value === 'function' && /^[A-Z]\\w*Error$/.test(key) && key !== 'AuthmodeError')
  .map(([key, ErrorClass]) => [key, new ErrorClass(...(args[key] ?? ['x'])).name])`

describe('error names in a minified bundle', () => {
  it('every exported error class keeps its own name', async () => {
    // One file (no splitting), minified as an app's bundler does, run as a module of its own: it
    // leaves the names on globalThis.
    const bundle = await esbuild.build({
      stdin: { contents: ENTRY, resolveDir: import.meta.dirname, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
      alias: { ...DIST_ALIAS },
    })
    await import(`data:text/javascript,${encodeURIComponent(bundle.outputFiles[0]?.text ?? '')}`)
    const scope = globalThis as { __errorNames?: [string, string][] }
    const names = scope.__errorNames ?? []
    delete scope.__errorNames
    expect(names.length).toBeGreaterThanOrEqual(13)
    for (const [exported, name] of names) expect(name, exported).toBe(exported)
  })
})
