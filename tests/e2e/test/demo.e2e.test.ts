// The README's demo, run as `pnpm demo` runs it (tsx src/demo.ts, against the built packages): it
// exits 0 with every outcome as expected, prints no secret, and leaves no process behind.
import { execFile } from 'node:child_process'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url))

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, ['src/demo.ts'], { cwd: root, timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr })
    })
  })
}

/** Whether something still accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => {
      resolve(false)
    })
  })
}

describe('the demo', () => {
  it('shows every mode against @authmode/local and its user pool, exits 0, prints no secret and stops what it started', async () => {
    const { code, stdout, stderr } = await runDemo()
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toMatch(/All \d+ outcomes as expected\./)
    for (const row of [
      'iam guest',
      'userPool carol',
      'iam backend blog-lambda',
      'API key has expired',
      'signature verification failed',
      'live event "Hello from alice"',
      "no event for alice's post",
      // The local user pool: a session refresh that rotates the refresh token.
      '1 GetTokensFromRefreshToken, new ID token, new refresh token',
      // Issue 15: every caller's client from the amplify_outputs.json written for the server, with
      // `auto`: the rules chose each mode, and where none allows it, nothing was sent.
      "every client below is fromAmplifyConfig(outputs, { authMode: 'auto', … })",
      '| auto: iam      | listPosts ',
      '| auto: userPool | createPost ',
      'denied before sending: iam: a guest may not create (createPost) Post',
    ]) {
      expect(stdout).toContain(row)
    }
    expect(stdout).not.toMatch(/da2-[a-z0-9]{26}/)
    expect(stdout).not.toMatch(/eyJ[\w-]+\.[\w-]+\./)
    expect(stdout).not.toMatch(/Signature=[0-9a-f]{64}/)
    // No other peer: the user pool is @authmode/local's own, on its port, which is closed afterwards.
    expect(stdout).not.toContain('cognito-local')
    const port = Number(/user pool \S+ at http:\/\/127\.0\.0\.1:(\d+)\//.exec(stdout)?.[1])
    expect(port).toBeGreaterThan(0)
    expect(stdout).toContain(`Stopped @authmode/local (port ${String(port)}).`)
    expect(await listening(port)).toBe(false)
  }, 120_000)
})
