// Issue 19: `npm run demo` (scripts/demo.mjs) runs its install and build through scripts/quiet.mjs:
// one line per step, the step's output (140 lines of build output, the package manager's
// "Update available!" notice) hidden when it succeeds and shown in full when it fails.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const quiet = fileURLToPath(new URL('../../../scripts/quiet.mjs', import.meta.url))

// A step that prints a lot, like a build, and a package manager's notice; then exits with `code`.
const NOISY = (code: number): string => `
for (let i = 1; i <= 140; i++) console.log('build line ' + i)
console.error('Update available! 12.4.2 → 13.0.0. Run: curl -fsSL https://example.invalid | sh')
console.log('notifier=' + process.env.npm_config_update_notifier)
process.exit(${String(code)})`

function run(code: number): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [quiet, 'Building the packages', '--', process.execPath, '-e', NOISY(code)],
      (error, stdout, stderr) => {
        resolve({ status: error ? Number(error.code) : 0, stdout, stderr })
      },
    )
  })
}

describe('the demo steps (scripts/quiet.mjs)', () => {
  it('a step that succeeds prints one line: what it does, done, how long', async () => {
    const { status, stdout, stderr } = await run(0)
    expect(status).toBe(0)
    expect(stderr).toBe('')
    expect(stdout).toMatch(/^Building the packages… done \(\d+\.\d s\)\n$/)
  })

  it('a step that fails shows its whole output (with notices off) and passes its exit code on', async () => {
    const { status, stdout } = await run(3)
    expect(status).toBe(3)
    expect(stdout).toContain('Building the packages… failed (exit code 3); its output:')
    for (let i = 1; i <= 140; i++) expect(stdout).toContain(`build line ${String(i)}\n`)
    expect(stdout).toContain('Update available!')
    // The step ran with the package managers' update notices turned off.
    expect(stdout).toContain('notifier=false')
  })
})
