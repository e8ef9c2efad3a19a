// The README's "Your first app", run as a newcomer would from a clone (issue 19): its blocks are
// the steps (tests/packaging/src/readmeSteps.ts), so the README and this test cannot drift. In a
// temporary folder: the clone's tarballs (its `npm run packs` script, on the dist the test command
// built), the app folder next to them, the npm installs (from the registry's cache first), the
// files, `authmode-local` and esbuild's server on free ports of 127.0.0.1, the Node program's
// output against the README's, the page served. Servers are stopped by their process group.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { matchesOutput, readSection, readSteps, type ReadmeStep } from '../src/readmeSteps'
import { runCommand, startServer, type Server, type Shell } from '../src/shell'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const steps = readSteps(readSection(readFileSync(join(root, 'README.md'), 'utf8'), 'Your first app'))
const COMMAND_TIMEOUT = 60_000

const secrets: string[] = [randomBytes(12).toString('hex')] // alice's password; then the API key
const [password = ''] = secrets
const redact = (text: string): string => secrets.reduce((out, secret) => out.split(secret).join('***'), text)

// The environment of a newcomer's shell: none of the package manager's variables from the test
// command, no repository bins on PATH; npm quiet and cache-first.
function newcomerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|INIT_CWD$)/i.test(key)) env[key] = value
  }
  env['PATH'] = (process.env['PATH'] ?? '')
    .split(':')
    .filter((dir) => !dir.includes('node_modules/.bin'))
    .join(':')
  return {
    ...env,
    ALICE_PASSWORD: password,
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    NO_UPDATE_NOTIFIER: '1',
  }
}

let work = ''
let shell: Shell
const servers: Server[] = []

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'authmode-first-app-'))
  mkdirSync(join(work, 'scratch'))
  mkdirSync(join(work, 'authmode')) // stands for the clone: its .packs/ is all the app uses
  shell = { cwd: work, scratch: join(work, 'scratch'), env: newcomerEnv(), redact }
})

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()))
  rmSync(work, { recursive: true, force: true })
})

describe('README "Your first app"', () => {
  it('has the files a newcomer writes, each block naming its file', () => {
    expect(steps.filter((s) => s.kind === 'file').map((s) => s.path)).toEqual(
      expect.arrayContaining(['schema.graphql', 'tsconfig.json', 'app.ts', 'page.ts', 'public/index.html']),
    )
  })

  it('runs as written: tarballs from the clone, the local API, the Node program and the page', async () => {
    const ran: string[] = []
    let lastStdout: string | undefined
    for (const step of steps) {
      if (step.kind === 'file') {
        writeFile(step)
      } else if (step.kind === 'output') {
        if (lastStdout === undefined) throw new Error('An expected output block follows no command')
        if (!matchesOutput(step.lines, lastStdout)) {
          throw new Error(
            `The output differs from the README's:\n${redact(lastStdout)}\nexpected:\n${step.lines.join('\n')}`,
          )
        }
        ran.push('output checked')
      } else {
        for (const line of step.lines) {
          const t0 = Date.now()
          lastStdout = await runLine(line)
          if (process.env['FIRST_APP_TIMES']) console.log(`${String(Date.now() - t0)} ms ${line}`)
          ran.push(line)
        }
      }
    }
    // Each kind of step happened: the README cannot lose one unnoticed.
    expect(ran).toContain('npm run packs')
    expect(ran).toContain('output checked')
    expect(servers.map((s) => s.command.split(' ').slice(0, 2).join(' '))).toEqual([
      'npx authmode-local',
      'npx esbuild',
    ])
  }, 180_000)
})

function writeFile(step: Extract<ReadmeStep, { kind: 'file' }>): void {
  const path = join(shell.cwd, step.path)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, step.text)
}

// One command of the README. Returns its stdout (undefined for those not run to completion).
async function runLine(line: string): Promise<string | undefined> {
  // The packages are not on the registry yet: the README's install from it is for later.
  if (/^npm install\b.*\s@authmode\//.test(line)) return undefined
  if (line === 'npm run packs') {
    // The clone's script, on the dist this test command built (no second install or build).
    const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(rootManifest.scripts['packs']).toBe('node scripts/packs.mjs')
    const out = join(work, 'authmode', '.packs')
    const script = join(root, 'scripts', 'packs.mjs')
    return (await runCommand(shell, `node ${script} --no-build --out ${out}`, COMMAND_TIMEOUT)).stdout
  }
  if (line.startsWith('npx authmode-local ')) {
    // On a free port: the programs read the API's URL from amplify_outputs.json.
    servers.push(await startServer(shell, `${line} --port 0`, /amplify_outputs\.json:/, 30_000))
    const outputsFile = /--outputs (\S+)/.exec(line)?.[1] ?? 'amplify_outputs.json'
    const outputs = JSON.parse(readFileSync(join(shell.cwd, outputsFile), 'utf8')) as { data: { api_key: string } }
    secrets.push(outputs.data.api_key)
    return undefined
  }
  const serve = /--serve=\S+/.exec(line)
  if (serve) {
    const server = await startServer(
      shell,
      line.replace(serve[0], '--serve=127.0.0.1:0'),
      /http:\/\/127\.0\.0\.1:\d+\//,
      30_000,
    )
    servers.push(server)
    const origin = /http:\/\/127\.0\.0\.1:\d+/.exec(server.output())?.[0] ?? ''
    await expectServed(origin)
    return undefined
  }
  return (await runCommand(shell, line, COMMAND_TIMEOUT)).stdout
}

// The page and the module it loads (the bundle) are served; the bundle holds the page's code.
async function expectServed(origin: string): Promise<void> {
  const page = await fetch(`${origin}/`)
  expect(page.status).toBe(200)
  const src = /<script type="module" src="([^"]+)"/.exec(await page.text())?.[1]
  expect(src).toBeDefined()
  const bundle = await fetch(new URL(src ?? '', `${origin}/`))
  expect(bundle.status).toBe(200)
  expect(bundle.headers.get('content-type')).toMatch(/javascript/)
  // Not toContain: a failure would print the bundle, and it carries the API key.
  expect((await bundle.text()).includes('subscription OnCreateNote'), 'the bundle holds page.ts').toBe(true)
}
