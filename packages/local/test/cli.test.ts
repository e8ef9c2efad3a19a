// The built CLI, as users run it: `authmode-local --help`, and a server started from a schema file
// that answers, then stops on SIGTERM and exits 0; and the root README's "Sign in locally" run as
// written. Needs `pnpm build` first.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createClient, fromAmplifyConfig } from '@authmode/node'
import type { LocalAmplifyOutputs } from '@authmode/local'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'authmode-local-cli-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

interface Cli<T> {
  /** What `ready` found in the output. */
  readonly found: T
  output(): string
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>
}

/** Starts the built CLI and waits (10 s at most) until `ready` finds what it looks for in its output. */
async function startCli<T>(args: string[], ready: (out: string) => T | undefined, cwd = dir): Promise<Cli<T>> {
  const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code)
    }),
  )
  const stop = (): Promise<number | null> => {
    child.kill('SIGTERM')
    return exited
  }
  try {
    const found = await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`authmode-local did not get ready: ${out}`))
      }, 10_000)
      void exited.then((code) => {
        reject(new Error(`authmode-local exited (${String(code)}) before it was ready: ${out}`))
      })
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8')
        const value = ready(out)
        if (value !== undefined) {
          clearTimeout(timer)
          resolve(value)
        }
      })
    })
    return { found, output: () => out, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

describe('authmode-local', () => {
  it('--help says how to use it', () => {
    const result = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' })
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('authmode-local --schema schema.graphql')
    expect(result.stdout).toContain('--port')
  })

  it('a missing --schema or a bad option is a clear error with exit code 2', () => {
    const missing = spawnSync(process.execPath, [cli], { encoding: 'utf8' })
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('--schema <file> is required')
    const unknown = spawnSync(process.execPath, [cli, '--schema', 'x', '--nope'], { encoding: 'utf8' })
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toMatch(/Unknown option '--nope'/)
  })

  it('--user runs a local user pool: a user signs in (InitiateAuth) and the API accepts the ID token', async () => {
    const schema = join(dir, 'owned.graphql')
    writeFileSync(schema, 'type Note @model @auth(rules: [{ allow: owner }]) { id: ID! text: String }\n')
    const server = await startCli(
      ['--schema', schema, '--port', '0', '--no-api-key', '--user', 'alice:Local-Pw-1!:Admin', '--quiet'],
      (out) => /user pool: +(http:\/\/127\.0\.0\.1:\d+)\/ \(UserPoolId [\w-]+, ClientId (\w+)\)/.exec(out) ?? undefined,
    )
    let code
    try {
      const [, url, clientId] = server.found
      const signIn = await fetch(`${String(url)}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
        },
        body: JSON.stringify({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: clientId,
          AuthParameters: { USERNAME: 'alice', PASSWORD: 'Local-Pw-1!' },
        }),
      })
      const { AuthenticationResult } = (await signIn.json()) as { AuthenticationResult: { IdToken: string } }
      const answer = await fetch(`${String(url)}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: AuthenticationResult.IdToken },
        body: JSON.stringify({ query: 'mutation { createNote(input: { text: "hi" }) { owner } }' }),
      })
      expect(answer.status).toBe(200)
      expect(await answer.json()).toMatchObject({ data: { createNote: { owner: expect.stringMatching(/::alice$/) } } })
      expect(server.output()).not.toContain('Local-Pw-1!')
    } finally {
      code = await server.stop()
    }
    expect(code).toBe(0)
  })

  it('serves the schema on 127.0.0.1, keeps the generated API key secret, stops on SIGTERM', async () => {
    const schema = join(dir, 'schema.graphql')
    writeFileSync(schema, 'type Note @model @auth(rules: [{ allow: public }]) { id: ID! text: String }\n')
    const server = await startCli(
      ['--schema', schema, '--port', '0'],
      (out) => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1],
    )
    let code
    try {
      const url = server.found
      const health = await fetch(`${url}/health`)
      expect(await health.json()).toEqual({ status: 'ok' })
      const refused = await fetch(`${url}/graphql`, {
        method: 'POST',
        body: '{"query":"{ listNotes { items { id } } }"}',
      })
      expect(refused.status).toBe(401)
      expect(server.output()).toMatch(/API key [0-9a-f-]{36} expires/)
      expect(server.output()).not.toMatch(/da2-[a-z0-9]{26}/)
    } finally {
      code = await server.stop()
    }
    expect(code).toBe(0)
    expect(server.output()).toContain('stopped')
  })

  it('--outputs writes amplify_outputs.json (owner-only: it holds the API key) that a client configures itself from', async () => {
    const schema = join(dir, 'outputs.graphql')
    const outputs = join(dir, 'amplify_outputs.json')
    writeFileSync(
      schema,
      'type Note @model @auth(rules: [{ allow: public }, { allow: owner }]) { id: ID! text: String }\n',
    )
    const server = await startCli(
      ['--schema', schema, '--port', '0', '--user', 'alice:Local-Pw-1!', '--outputs', outputs, '--quiet'],
      (out) => out.includes(`amplify_outputs.json:  ${outputs}`) || undefined,
    )
    let code
    try {
      expect(statSync(outputs).mode & 0o777).toBe(0o600)
      const file = JSON.parse(readFileSync(outputs, 'utf8')) as LocalAmplifyOutputs
      expect(server.output()).toContain(`listening on ${new URL(file.data.url).origin}`)
      expect(file.data.default_authorization_type).toBe('API_KEY')
      expect(file.auth?.user_pool_id).toMatch(/^us-east-1_\w+$/)
      expect(file.data.model_introspection.models['Note']?.pluralName).toBe('Notes')
      // The key is in the file, not in the output.
      expect(server.output()).not.toContain(file.data.api_key ?? 'no key')
      const client = createClient(fromAmplifyConfig(file, { retry: false, logger: null }))
      expect(await client.request('{ listNotes { items { id } } }')).toEqual({ listNotes: { items: [] } })
    } finally {
      code = await server.stop()
    }
    expect(code).toBe(0)
  })
})

// The root README's "Sign in locally": its schema, its one command (`npx authmode-local` is the
// built CLI here, on a free port) and its program, run as written in a folder of their own. The
// program imports the built @authmode/node by path: the folder has no node_modules.
describe('the README\'s "Sign in locally"', () => {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')
  const start = readme.indexOf('\n### Sign in locally\n')
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1))
  const blocks = (lang: string): string[] =>
    [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].filter((m) => m[1] === lang).map((m) => m[2] ?? '')
  const nodeEntry = pathToFileURL(fileURLToPath(new URL('../../node/dist/index.js', import.meta.url))).href

  it('runs as written: alice signs in against the local pool and owns the note she creates with auto', async () => {
    expect(start).toBeGreaterThan(0)
    const [schema = '', ...moreSchemas] = blocks('graphql')
    const [command = '', ...moreCommands] = blocks('sh')
    const [program = '', ...morePrograms] = blocks('ts')
    expect([moreSchemas, moreCommands, morePrograms]).toEqual([[], [], []])
    expect(schema.split('\n')[0]).toBe('# schema.graphql')
    expect(command.trim()).toMatch(/^npx authmode-local /)
    expect(program).toContain("from '@authmode/node'")

    const work = mkdtempSync(join(dir, 'sign-in-locally-'))
    writeFileSync(join(work, 'schema.graphql'), schema)
    writeFileSync(join(work, 'sign-in.mjs'), program.replace("from '@authmode/node'", `from '${nodeEntry}'`))
    const args = command
      .trim()
      .replace(/^npx authmode-local /, '')
      .split(/\s+/)
    const server = await startCli(
      [...args, '--port', '0'],
      (out) => out.includes('amplify_outputs.json:') || undefined,
      work,
    )
    let code
    let run
    try {
      run = spawnSync(process.execPath, ['sign-in.mjs'], { cwd: work, encoding: 'utf8', timeout: 30_000 })
    } finally {
      code = await server.stop()
    }
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    // What the README's last comment shows, as Node prints it (over several lines).
    expect(run.stdout.trim()).toMatch(/^\{\s*createNote: \{\s*id: '[\w-]+',\s*owner: '[\w-]+::alice'\s*\}\s*\}$/)
    expect(server.output()).not.toContain('Passw0rd!')
    expect(code).toBe(0)
  })
})
