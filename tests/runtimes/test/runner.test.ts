// The runner's own test (issue 18): a scenario broken in one runtime only fails the command, and
// the output names that runtime and that scenario while every other runtime stays green.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const runner = fileURLToPath(new URL('../src/run.mjs', import.meta.url))

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [runner, ...args], { timeout: 90_000, env }, (error, stdout) => {
      resolve({ code: error ? (error.code as number | null) : 0, stdout })
    })
  })
}

describe('the runtimes runner', () => {
  it('fails the command and names the runtime when a scenario fails in that runtime only', async () => {
    const { code, stdout } = await run(['--break', 'workerd:subscription iam'])
    expect(code).toBe(1)
    expect(stdout).toMatch(/^workerd +\S+ +10\/11 FAILED/m)
    expect(stdout).toContain('✗ subscription iam: Error: broken on purpose')
    expect(stdout).toContain('"subscription iam" fails only in workerd')
    expect(stdout).toMatch(/^runtimes: FAILED in workerd \(/m)
    for (const name of ['node20', 'node22', 'node24', 'bun', 'deno', 'edge-runtime'])
      expect(stdout).toMatch(new RegExp(`^${name} +\\S+ +(\\d+)/\\1 ok`, 'm'))
  }, 90_000)

  it('the same break, given by AUTHMODE_RUNTIMES_BREAK, in two runtimes', async () => {
    const { code, stdout } = await run(['--only', 'deno,bun'], {
      ...process.env,
      AUTHMODE_RUNTIMES_BREAK: 'deno:timeout',
    })
    expect(code).toBe(1)
    expect(stdout).toMatch(/^bun +\S+ +12\/12 ok/m) // the suite and the credential chain
    expect(stdout).toMatch(/^deno +\S+ +10\/11 FAILED/m)
    expect(stdout).toContain('"timeout" fails only in deno')
  }, 90_000)
})
