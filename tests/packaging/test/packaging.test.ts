// The packages as npm would publish them: packed tarballs checked with publint (strict) and
// are-the-types-wrong, and the emitted declarations compiled by consumers under several module
// resolutions and libs. Run after `pnpm build` (the test command builds first).
import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkPackedPackage } from '../src/checkPackage'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../../', import.meta.url))
const here = fileURLToPath(new URL('../', import.meta.url))
const PACKAGES = ['core', 'browser', 'node', 'local'] as const
const packDir = mkdtempSync(join(tmpdir(), 'authmode-pack-'))
const tarballs = new Map<string, string>()

beforeAll(async () => {
  for (const name of PACKAGES) {
    await run('pnpm', ['pack', '--pack-destination', packDir], { cwd: join(root, 'packages', name) })
    const file = readdirSync(packDir).find((f) => f.startsWith(`authmode-${name}-`))
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${name}`)
    tarballs.set(name, join(packDir, file))
  }
}, 60_000)

afterAll(() => {
  rmSync(packDir, { recursive: true, force: true })
})

describe('packed packages', () => {
  for (const name of PACKAGES) {
    it(`@authmode/${name}: publint --strict and attw find nothing`, async () => {
      const problems = await checkPackedPackage(tarballs.get(name)!)
      expect(problems).toEqual({ publint: [], attw: [] })
    }, 60_000)

    it(`@authmode/${name}: the tarball holds dist and manifests only, with workspace ranges resolved`, () => {
      const listing = execFileSync('tar', ['-tzf', tarballs.get(name)!], { encoding: 'utf8' })
        .trim()
        .split('\n')
      // Besides dist: package.json, docs, and the subpath shims that node10 resolution needs.
      const allowed = /^package\/(?:dist\/.+|package\.json|README\.md|LICENSE|[a-z0-9-]+\/package\.json)$/
      expect(listing.filter((f) => !allowed.test(f))).toEqual([])
      const manifest = JSON.parse(
        execFileSync('tar', ['-xOzf', tarballs.get(name)!, 'package/package.json'], { encoding: 'utf8' }),
      )
      expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:')
    })
  }

  it('the checker itself fails a package whose exports point at a missing file', async () => {
    const work = mkdtempSync(join(tmpdir(), 'authmode-broken-'))
    try {
      execFileSync('tar', ['-xzf', tarballs.get('core')!, '-C', work])
      const manifestPath = join(work, 'package', 'package.json')
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
      manifest.exports['.'].import.types = './dist/missing.d.ts'
      manifest.exports['.'].require.default = './dist/missing.cjs'
      writeFileSync(manifestPath, JSON.stringify(manifest, null, 2))
      const broken = join(work, 'broken.tgz')
      execFileSync('tar', ['-czf', broken, '-C', work, 'package'])
      const problems = await checkPackedPackage(broken)
      expect(problems.publint.length).toBeGreaterThan(0)
      expect(problems.attw.length).toBeGreaterThan(0)
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('emitted declarations compile for consumers', () => {
  const tsc = join(root, 'node_modules', '.bin', 'tsc')
  it('browser consumer: bundler resolution, DOM lib only, no Node types, skipLibCheck off', async () => {
    await expect(run(tsc, ['-p', join(here, 'consumers', 'bundler')])).resolves.toBeDefined()
  }, 60_000)
  it('Node consumer: node16 resolution, ESM (.mts) and CJS (.cts), skipLibCheck off', async () => {
    await expect(run(tsc, ['-p', join(here, 'consumers', 'node16')])).resolves.toBeDefined()
  }, 60_000)
  // Issue 19: interface-typed variables for request, subscribe and typed documents, wrong ones
  // still refused (@ts-expect-error), under strict, exactOptionalPropertyTypes,
  // noUncheckedIndexedAccess and skipLibCheck off.
  for (const resolution of ['bundler', 'nodenext']) {
    it(`variables typed with an interface: ${resolution} resolution, strictest settings`, async () => {
      const project = join(here, 'consumers', 'variables', `tsconfig.${resolution}.json`)
      await expect(run(tsc, ['-p', project])).resolves.toBeDefined()
    }, 60_000)
  }
})
