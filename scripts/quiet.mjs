// Runs a command with its output held back: one line says what it does and, when it ends, how
// long it took. Only when it fails is its output shown, in full, and its exit code passed on.
// The package manager's update notices are turned off. Used by `npm run demo` (issue 19).
//
// As a command: node scripts/quiet.mjs "<what it does>" -- <command> [args…]
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The environment for a quiet step: no update notices from npm, npx or pnpm. */
export const QUIET_ENV = { ...process.env, npm_config_update_notifier: 'false', NO_UPDATE_NOTIFIER: '1' }

/**
 * Runs `command` with `args` and resolves to its exit code; prints `label…` first and ` done (n s)`
 * after it, or its whole output (stdout and stderr, interleaved as they came) when it fails.
 */
export function quietly(label, command, args, options = {}) {
  const started = Date.now()
  process.stdout.write(`${label}…`)
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      ...options,
      env: QUIET_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    })
    const chunks = []
    child.stdout.on('data', (chunk) => chunks.push(chunk))
    child.stderr.on('data', (chunk) => chunks.push(chunk))
    const finish = (code, failure) => {
      if (code === 0) {
        process.stdout.write(` done (${((Date.now() - started) / 1000).toFixed(1)} s)\n`)
      } else {
        process.stdout.write(` failed (${failure}); its output:\n\n`)
        process.stdout.write(Buffer.concat(chunks))
        process.stdout.write('\n')
      }
      resolve(code)
    }
    child.on('error', (error) => finish(127, error.message))
    child.on('close', (code, signal) => finish(code ?? 1, signal ? `signal ${signal}` : `exit code ${code}`))
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [label, separator, command, ...args] = process.argv.slice(2)
  if (!label || separator !== '--' || !command) {
    console.error('usage: node scripts/quiet.mjs "<what it does>" -- <command> [args…]')
    process.exit(2)
  }
  process.exit(await quietly(label, command, args))
}
