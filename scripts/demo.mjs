// `npm run demo` from a clone: installs, builds the packages and runs the demo
// (tests/e2e/src/demo.ts), one line per step before the demo's own output; a step's output (the
// build's, the package manager's notices) is shown only when it fails, in full (issue 19).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { QUIET_ENV, quietly } from './quiet.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const PNPM = ['-y', 'pnpm@12.4.2']
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

const steps = [
  ['Installing the dependencies (pnpm install --frozen-lockfile)', [...PNPM, 'install', '--frozen-lockfile']],
  ['Building @authmode/core, browser, node and local', [...PNPM, '-r', '--filter', './packages/*', 'build']],
]
for (const [label, args] of steps) {
  const code = await quietly(label, npx, args, { cwd: root })
  if (code !== 0) process.exit(code)
}

// The demo itself, its output as it comes (tsx runs its TypeScript, as `pnpm --filter @authmode/e2e demo`).
const e2e = join(root, 'tests', 'e2e')
const tsx = join(dirname(createRequire(join(e2e, 'package.json')).resolve('tsx/package.json')), 'dist', 'cli.mjs')
const demo = spawn(process.execPath, [tsx, 'src/demo.ts'], { cwd: e2e, env: QUIET_ENV, stdio: 'inherit' })
demo.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
