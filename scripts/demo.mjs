// `npm run demo` from a clone: installs, builds the packages and runs the demo
// (tests/e2e/src/demo.ts), one line per step before the demo's own output; a step's output (the
// build's, the package manager's notices) is shown only when it fails, in full (issue 19).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { INSTALL_AND_BUILD, root, runPnpmSteps } from './pnpmSteps.mjs'
import { QUIET_ENV } from './quiet.mjs'

await runPnpmSteps(INSTALL_AND_BUILD)

// The demo itself, its output as it comes (tsx runs its TypeScript, as `pnpm --filter @authmode/e2e demo`).
const e2e = join(root, 'tests', 'e2e')
const tsx = join(dirname(createRequire(join(e2e, 'package.json')).resolve('tsx/package.json')), 'dist', 'cli.mjs')
const demo = spawn(process.execPath, [tsx, 'src/demo.ts'], { cwd: e2e, env: QUIET_ENV, stdio: 'inherit' })
demo.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
