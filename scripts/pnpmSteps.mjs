// The clone's set-up steps for `npm run demo` and `npm run packs`: pnpm 12.4.2 through npx, in the
// clone's root, each step quiet (scripts/quiet.mjs); the first failure ends the process with its code.
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { quietly } from './quiet.mjs'

export const root = dirname(dirname(fileURLToPath(import.meta.url)))
const PNPM = ['-y', 'pnpm@12.4.2']
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

/** The install (with the committed lockfile) and the build of the four packages: [label, pnpm arguments]. */
export const INSTALL_AND_BUILD = [
  ['Installing the dependencies (pnpm install --frozen-lockfile)', ['install', '--frozen-lockfile']],
  ['Building @authmode/core, browser, node and local', ['-r', '--filter', './packages/*', 'build']],
]

/** Runs each `[label, pnpm arguments]` in turn, quietly. */
export async function runPnpmSteps(steps) {
  for (const [label, args] of steps) {
    const code = await quietly(label, npx, [...PNPM, ...args], { cwd: root })
    if (code !== 0) process.exit(code)
  }
}
