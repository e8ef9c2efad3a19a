// The built packages, as users load them: a fresh Node process importing each entry as ESM and
// requiring it as CJS (the vitest aliases map @authmode/* to sources, so this runs out of process).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const nodePackage = fileURLToPath(new URL('..', import.meta.url))
const packages = ['core', 'browser', 'node'] as const

function run(code: string, args: string[] = []): string {
  return execFileSync(process.execPath, [...args, '-e', code], { cwd: nodePackage, encoding: 'utf8' }).trim()
}

const PROBE = `
  const client = m.createClient({ endpoint: 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql', apiKey: 'da2-probe', authMode: 'apiKey' })
  let error
  try { m.createClient({ endpoint: 'not a url' }) } catch (e) { error = e }
  console.log(JSON.stringify({ request: typeof client.request, fetch: typeof m.createAuthFetch(client), code: error && error.code, isError: m.isAuthmodeError(error), sameClass: error instanceof m.ConfigurationError }))
`

describe('built packages', () => {
  it('are built (run `pnpm build` first)', () => {
    for (const name of packages) {
      for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']) {
        expect(
          existsSync(fileURLToPath(new URL(`../../${name}/dist/${file}`, import.meta.url))),
          `${name}/dist/${file}`,
        ).toBe(true)
      }
    }
  })

  for (const name of packages) {
    const dist = fileURLToPath(new URL(`../../${name}/dist/`, import.meta.url))
    it(`@authmode/${name} imports as ESM`, () => {
      const out = run(`import(${JSON.stringify(`${dist}index.js`)}).then((m) => {${PROBE}})`)
      expect(JSON.parse(out)).toEqual({
        request: 'function',
        fetch: 'function',
        code: 'ERR_CONFIGURATION',
        isError: true,
        sameClass: true,
      })
    })
    it(`@authmode/${name} requires as CJS`, () => {
      const out = run(`const m = require(${JSON.stringify(`${dist}index.cjs`)});${PROBE}`)
      expect(JSON.parse(out)).toEqual({
        request: 'function',
        fetch: 'function',
        code: 'ERR_CONFIGURATION',
        isError: true,
        sameClass: true,
      })
    })
  }

  it('@authmode/node registers iam (the bare core does not)', () => {
    const code = (file: string): string =>
      `const m = require(${JSON.stringify(file)}); try { m.createClient({ endpoint: 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql', authMode: 'iam', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' } }); console.log('ok') } catch (e) { console.log(e.code) }`
    expect(run(code(fileURLToPath(new URL('../dist/index.cjs', import.meta.url))))).toBe('ok')
    expect(run(code(fileURLToPath(new URL('../../core/dist/index.cjs', import.meta.url))))).toBe('ERR_CONFIGURATION')
  })

  it('@authmode/node under the browser condition loads, and throws only when called', () => {
    const out = run(
      `import('@authmode/node').then((m) => { try { m.createClient({}) } catch (e) { console.log(e.code, e instanceof m.PlatformNotSupportedError) } })`,
      ['--conditions=browser', '--input-type=module'],
    )
    expect(out).toBe('ERR_PLATFORM true')
  })

  it('core and browser dist import nothing from node:', () => {
    for (const name of ['core', 'browser']) {
      const out = run(
        `const fs = require('node:fs'); const dir = ${JSON.stringify(fileURLToPath(new URL(`../../${name}/dist/`, import.meta.url)))}; console.log(fs.readdirSync(dir).filter((f) => /\\.c?js$/.test(f)).filter((f) => /from ['"]node:|require\\(['"]node:/.test(fs.readFileSync(dir + f, 'utf8'))).join(','))`,
      )
      expect(out, `${name} files importing node:`).toBe('')
    }
  })
})
