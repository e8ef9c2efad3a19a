// The built CLI, as users run it: `authmode-local --help`, and a server started from a schema file
// that answers, then stops on SIGTERM and exits 0. Needs `pnpm build` first.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createClient, fromAmplifyConfig } from '@authmode/node'
import type { LocalAmplifyOutputs } from '@authmode/local'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'authmode-local-cli-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

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
    const child = spawn(
      process.execPath,
      [cli, '--schema', schema, '--port', '0', '--no-api-key', '--user', 'alice:Local-Pw-1!:Admin', '--quiet'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        resolve(code)
      }),
    )
    try {
      const [url, clientId] = await new Promise<[string, string]>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no user pool line in: ${out}`))
        }, 10_000)
        child.stdout.on('data', () => {
          const match = /user pool: +(http:\/\/127\.0\.0\.1:\d+)\/ \(UserPoolId [\w-]+, ClientId (\w+)\)/.exec(out)
          if (match?.[1] && match[2]) {
            clearTimeout(timer)
            resolve([match[1], match[2]])
          }
        })
      })
      const signIn = await fetch(`${url}/`, {
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
      const answer = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: AuthenticationResult.IdToken },
        body: JSON.stringify({ query: 'mutation { createNote(input: { text: "hi" }) { owner } }' }),
      })
      expect(answer.status).toBe(200)
      expect(await answer.json()).toMatchObject({ data: { createNote: { owner: expect.stringMatching(/::alice$/) } } })
      expect(out).not.toContain('Local-Pw-1!')
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })

  it('serves the schema on 127.0.0.1, keeps the generated API key secret, stops on SIGTERM', async () => {
    const schema = join(dir, 'schema.graphql')
    writeFileSync(schema, 'type Note @model @auth(rules: [{ allow: public }]) { id: ID! text: String }\n')
    const child = spawn(process.execPath, [cli, '--schema', schema, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        resolve(code)
      }),
    )
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no start line in: ${out}`))
        }, 10_000)
        child.stdout.on('data', () => {
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
          if (match?.[1]) {
            clearTimeout(timer)
            resolve(match[1])
          }
        })
      })
      const health = await fetch(`${url}/health`)
      expect(await health.json()).toEqual({ status: 'ok' })
      const refused = await fetch(`${url}/graphql`, {
        method: 'POST',
        body: '{"query":"{ listNotes { items { id } } }"}',
      })
      expect(refused.status).toBe(401)
      expect(out).toMatch(/API key [0-9a-f-]{36} expires/)
      expect(out).not.toMatch(/da2-[a-z0-9]{26}/)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
    expect(out).toContain('stopped')
  })

  it('--outputs writes amplify_outputs.json (owner-only: it holds the API key) that a client configures itself from', async () => {
    const schema = join(dir, 'outputs.graphql')
    const outputs = join(dir, 'amplify_outputs.json')
    writeFileSync(
      schema,
      'type Note @model @auth(rules: [{ allow: public }, { allow: owner }]) { id: ID! text: String }\n',
    )
    const child = spawn(
      process.execPath,
      [cli, '--schema', schema, '--port', '0', '--user', 'alice:Local-Pw-1!', '--outputs', outputs, '--quiet'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        resolve(code)
      }),
    )
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no outputs line in: ${out}`))
        }, 10_000)
        child.stdout.on('data', () => {
          if (out.includes(`amplify_outputs.json:  ${outputs}`)) {
            clearTimeout(timer)
            resolve()
          }
        })
      })
      expect(statSync(outputs).mode & 0o777).toBe(0o600)
      const file = JSON.parse(readFileSync(outputs, 'utf8')) as LocalAmplifyOutputs
      expect(out).toContain(`listening on ${new URL(file.data.url).origin}`)
      expect(file.data.default_authorization_type).toBe('API_KEY')
      expect(file.auth?.user_pool_id).toMatch(/^us-east-1_\w+$/)
      expect(file.data.model_introspection.models['Note']?.pluralName).toBe('Notes')
      // The key is in the file, not in the output.
      expect(out).not.toContain(file.data.api_key ?? 'no key')
      const client = createClient(fromAmplifyConfig(file, { retry: false, logger: null }))
      expect(await client.request('{ listNotes { items { id } } }')).toEqual({ listNotes: { items: [] } })
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })
})
