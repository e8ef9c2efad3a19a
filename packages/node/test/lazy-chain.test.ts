// Importing the built @authmode/node must not load the AWS SDK credential chain: only the first
// request that uses `iam` does. Checked in fresh Node processes (ESM import and CJS require), by
// the modules loaded so far (`require.cache`, where Node keeps the SDK's CommonJS files whichever
// way they were reached).
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { distScript } from './support/distScript'
import { newRoleCredentials } from './support/metadataServers'
import { startSigV4Endpoint, type SigV4Endpoint } from './support/sigv4Endpoint'

const run = promisify(execFile)
const nodePackage = fileURLToPath(new URL('..', import.meta.url))
const REGION = 'eu-west-1'
const lambda = newRoleCredentials()
let endpoint: SigV4Endpoint

beforeAll(async () => {
  endpoint = await startSigV4Endpoint({
    region: REGION,
    apiKey: 'da2-lazy-test',
    lookup: (accessKeyId) => (accessKeyId === lambda.accessKeyId ? lambda : undefined),
  })
})

afterAll(async () => {
  await endpoint.stop()
})

// `m` is the module; prints which stage had the chain loaded, and what each request answered.
const PROBE = `
  const loaded = () => Object.keys(require.cache).some((file) => /@aws-sdk[\\/+]credential-provider-node/.test(file))
  const out = { afterImport: loaded() }
  const client = m.createClient({ endpoint: process.env.PROBE_ENDPOINT, region: '${REGION}', apiKey: 'da2-lazy-test' })
  out.apiKey = await client.request('{ whoami { mode accessKeyId } }')
  out.afterApiKeyRequest = loaded()
  out.iam = await client.request('{ whoami { mode accessKeyId } }', undefined, { authMode: 'iam' })
  out.afterIamRequest = loaded()
  console.log(JSON.stringify(out))
`

async function probe(script: string, args: string[]): Promise<unknown> {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], PROBE_ENDPOINT: endpoint.url }
  // Lambda-style credentials, and nothing else that could be a source.
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: lambda.accessKeyId,
    AWS_SECRET_ACCESS_KEY: lambda.secretAccessKey,
    AWS_SESSION_TOKEN: lambda.sessionToken,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  })
  const { stdout } = await run(process.execPath, [...args, '-e', script], { cwd: nodePackage, env })
  return JSON.parse(stdout.trim())
}

const EXPECTED = {
  afterImport: false,
  apiKey: { whoami: { mode: 'apiKey', accessKeyId: null } },
  afterApiKeyRequest: false,
  iam: { whoami: { mode: 'iam', accessKeyId: lambda.accessKeyId } },
  afterIamRequest: true,
}

describe('the AWS SDK credential chain is loaded lazily', () => {
  it('ESM: not by `import`, not by an API-key request; by the first iam request', async () => {
    expect(await probe(distScript('esm', PROBE), ['--input-type=module'])).toEqual(EXPECTED)
  }, 20_000)

  it('CJS: not by `require`, not by an API-key request; by the first iam request', async () => {
    expect(await probe(distScript('cjs', PROBE), [])).toEqual(EXPECTED)
  }, 20_000)
})
