// The built handler (dist/index.js), run the way Lambda runs it: in its own process, with the
// environment Lambda sets (the role's temporary credentials in AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, AWS_REGION, _HANDLER, LAMBDA_TASK_ROOT, …), invoked
// through the Runtime API, against @authmode/local on 127.0.0.1, which verifies every SigV4
// signature and enforces `@auth(rules: [{ allow: private, provider: iam }])`.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { startLocalAppSync, type LocalAppSync } from '@authmode/local'
import { createClient } from '@authmode/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startRuntimeApi, type RuntimeApi } from './runtime/runtimeApi'

const SCHEMA = /* GraphQL */ `
  type ServiceEvent @model @auth(rules: [{ allow: private, provider: iam }]) {
    id: ID!
    name: String!
    source: String!
  }
`
const REGION = 'us-east-1'
const FUNCTION_NAME = 'authmode-example'
const taskRoot = fileURLToPath(new URL('../dist/', import.meta.url))
const bootstrap = fileURLToPath(new URL('./runtime/bootstrap.ts', import.meta.url))
const tsx = createRequire(import.meta.url).resolve('tsx')

/** Temporary credentials like those of a Lambda execution role's session. */
function roleSession(): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
  return {
    accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(96).toString('base64'),
  }
}

const role = roleSession()
let appsync: LocalAppSync
const environments: { runtime: RuntimeApi; child: ChildProcess; output: string[] }[] = []

beforeAll(async () => {
  appsync = await startLocalAppSync({
    schema: SCHEMA,
    apiKeys: false,
    backendCredentials: [{ name: 'lambda-execution-role', ...role }],
  })
})

afterEach(async () => {
  // Each execution environment: its process (by pid) and its Runtime API.
  for (const { runtime, child } of environments.splice(0)) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM')
    await exited
    await runtime.stop()
  }
})

afterAll(async () => {
  await (appsync as LocalAppSync | undefined)?.stop()
})

/** Starts an execution environment (a cold start) whose role credentials are `credentials`. */
async function coldStart(credentials: ReturnType<typeof roleSession>): Promise<RuntimeApi> {
  const runtime = await startRuntimeApi()
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    _HANDLER: 'index.handler',
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_LAMBDA_RUNTIME_API: runtime.address,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${FUNCTION_NAME}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/26/[$LATEST]0123456789abcdef',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    // The function's own configuration.
    APPSYNC_ENDPOINT: appsync.graphqlUrl,
    APPSYNC_REGION: REGION,
  }
  const child = spawn(process.execPath, ['--import', tsx, bootstrap], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const output: string[] = []
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')))
  environments.push({ runtime, child, output })
  return runtime
}

describe('the Lambda handler', () => {
  it('is built (run `pnpm build` first)', () => {
    expect(existsSync(`${taskRoot}index.js`)).toBe(true)
  })

  it("signs with the role's credentials from its environment, on a cold start and on a warm invocation", async () => {
    const runtime = await coldStart(role)
    const first = await runtime.invoke({ name: 'deploy' })
    const second = await runtime.invoke({ name: 'rollback' })

    for (const [invocation, name] of [
      [first, 'deploy'],
      [second, 'rollback'],
    ] as const) {
      expect(invocation).toEqual({
        requestId: invocation.requestId,
        ok: true,
        result: {
          ok: true,
          event: { id: expect.any(String) as string, name, source: `${FUNCTION_NAME}/${invocation.requestId}` },
        },
      })
    }
    expect(runtime.initErrors).toEqual([])

    // The mutations really ran: read them back with the same role.
    const reader = createClient({ endpoint: appsync.graphqlUrl, region: REGION, authMode: 'iam', credentials: role })
    const data = await reader.request<{ listServiceEvents: { items: { name: string }[] } }>(
      '{ listServiceEvents { items { name } } }',
    )
    expect(data.listServiceEvents.items.map((item) => item.name).sort()).toEqual(
      expect.arrayContaining(['deploy', 'rollback']),
    )
  })

  it('credentials the endpoint does not know are refused (it verifies): a typed error, no secret in it', async () => {
    const stranger = roleSession()
    const runtime = await coldStart(stranger)
    const invocation = await runtime.invoke({ name: 'deploy' })
    expect(invocation.ok).toBe(true)
    const result = (invocation as { result: { ok: boolean; code: string; message: string } }).result
    expect(result.ok).toBe(false)
    expect(result.code).toBe('ERR_UNAUTHORIZED')
    for (const secret of [stranger.secretAccessKey, stranger.sessionToken]) {
      expect(JSON.stringify(invocation)).not.toContain(secret)
    }
  })

  it('rejects a bad event before calling the API', async () => {
    const runtime = await coldStart(role)
    const invocation = await runtime.invoke({})
    expect(invocation).toMatchObject({
      ok: true,
      result: { ok: false, code: 'BAD_INPUT', message: 'The event needs a non-empty `name`.' },
    })
  })
})
