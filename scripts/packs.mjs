// `npm run packs` from a clone: installs, builds the four packages and packs them as npm would
// publish them (`workspace:` ranges resolved) into one folder, `.packs/` by default, for an app
// outside the clone to install (README "Your first app"). One line per step; a step's output is
// shown only when it fails.
//
//   node scripts/packs.mjs [--out <dir>] [--no-build]
//
// --no-build packs the dist folders as they are (the clone is installed and built already: the
// first-app test in tests/packaging).
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { INSTALL_AND_BUILD, root, runPnpmSteps } from './pnpmSteps.mjs'

const { values } = parseArgs({
  options: { out: { type: 'string', default: join(root, '.packs') }, 'no-build': { type: 'boolean', default: false } },
})
const out = resolve(values.out)
const PACKAGES = ['core', 'browser', 'node', 'local']
const filters = PACKAGES.flatMap((name) => ['--filter', `./packages/${name}`])
const shown = relative(process.cwd(), out).startsWith('..') ? out : relative(process.cwd(), out)

// Old tarballs go first: `npm install .packs/*.tgz` must not see two versions of a package.
mkdirSync(out, { recursive: true })
for (const file of readdirSync(out)) if (file.endsWith('.tgz')) rmSync(join(out, file))

await runPnpmSteps([
  ...(values['no-build'] ? [] : INSTALL_AND_BUILD),
  [`Packing them into ${shown || '.'}`, ['-r', ...filters, 'pack', '--pack-destination', out]],
])
const tarballs = readdirSync(out).filter((file) => file.endsWith('.tgz'))
if (tarballs.length !== PACKAGES.length) {
  console.error(`Expected ${PACKAGES.length} tarballs in ${out}, found: ${tarballs.join(', ') || 'none'}`)
  process.exit(1)
}
for (const file of tarballs.sort()) console.log(`  ${join(out, file)}`)
