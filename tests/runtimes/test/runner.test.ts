// The runner's own test (issue 18): a scenario broken in one runtime only fails the command, and
// the output names that runtime and that scenario while every other runtime stays green.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const runner = fileURLToPath(new URL('../src/run.mjs', import.meta.url))

interface Run {
  code: number | null
  stdout: string
  /** For failure messages: what the runner printed on both streams. */
  said: string
}

function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [runner, ...args], { timeout: 90_000, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number | null) : 0, stdout, said: `${stdout}\n${stderr}` })
    })
  })
}

describe('the runtimes runner', () => {
  it('fails the command and names the runtime when a scenario fails in that runtime only', async () => {
    const { code, stdout, said } = await run(['--break', 'workerd:subscription iam'])
    expect(code, said).toBe(1)
    expect(stdout, said).toMatch(/^workerd +\S+ +10\/11 FAILED/m)
    expect(stdout, said).toContain('✗ subscription iam: Error: broken on purpose')
    expect(stdout, said).toContain('"subscription iam" fails only in workerd')
    expect(stdout, said).toMatch(/^runtimes: FAILED in workerd \(/m)
    for (const name of ['node20', 'node22', 'node24', 'bun', 'deno', 'deno-npm', 'edge-runtime'])
      expect(stdout, said).toMatch(new RegExp(`^${name} +\\S+ +(\\d+)/\\1 ok`, 'm'))
  }, 90_000)

  it('the same break, given by AUTHMODE_RUNTIMES_BREAK, in two runtimes', async () => {
    const { code, stdout, said } = await run(['--only', 'deno,bun'], {
      ...process.env,
      AUTHMODE_RUNTIMES_BREAK: 'deno:timeout',
    })
    expect(code, said).toBe(1)
    expect(stdout, said).toMatch(/^bun +\S+ +12\/12 ok/m) // the suite and the credential chain
    expect(stdout, said).toMatch(/^deno +\S+ +10\/11 FAILED/m)
    expect(stdout, said).toContain('"timeout" fails only in deno')
  }, 90_000)
})
