// @authmode/node's default credentials: the AWS SDK's own Node chain, reached through the SDK's
// own variables, against local endpoints on 127.0.0.1; every request is checked by an independent
// SigV4 verifier (aws4). Other credential sources are shut out: every AWS_* variable is cleared,
// the config and credentials files are empty temp files, HOME is a temp dir, and IMDS is disabled
// unless a test points it at its own endpoint.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fromInstanceMetadata } from '@aws-sdk/credential-providers'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConfigurationError, createClient, NoAuthModeAvailableError, type Client } from '@authmode/node'
import {
  closedPort,
  newRoleCredentials,
  startEcsCredentialsEndpoint,
  startImdsV2Endpoint,
  startSilentEndpoint,
  type RoleCredentials,
} from './support/metadataServers'
import { startSigV4Endpoint, type SigV4Endpoint } from './support/sigv4Endpoint'

// Slow CI machines: the chain's first load and a 2-second metadata timeout share each test's budget.
vi.setConfig({ testTimeout: 15_000 })

const REGION = 'eu-west-1'
const WHOAMI = '{ whoami { mode accessKeyId } }'

let home: string
const cleanup: (() => Promise<void>)[] = []

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'authmode-node-chain-'))
  writeFileSync(join(home, 'config'), '')
  writeFileSync(join(home, 'credentials'), '')
})

afterAll(() => {
  rmSync(home, { recursive: true, force: true })
})

beforeEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) vi.stubEnv(name, undefined)
  vi.stubEnv('HOME', home)
  vi.stubEnv('AWS_CONFIG_FILE', join(home, 'config'))
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(home, 'credentials'))
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true')
})

afterEach(async () => {
  vi.unstubAllEnvs()
  for (const stop of cleanup.splice(0).reverse()) await stop()
})

/** A verifying endpoint that knows `known` (and the API key `da2-chain-test`). */
async function endpointKnowing(...known: RoleCredentials[]): Promise<SigV4Endpoint> {
  const endpoint = await startSigV4Endpoint({
    region: REGION,
    apiKey: 'da2-chain-test',
    lookup: (accessKeyId) => known.find((c) => c.accessKeyId === accessKeyId),
  })
  cleanup.push(() => endpoint.stop())
  return endpoint
}

function stubLambdaEnvironment(credentials: RoleCredentials): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId)
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey)
  vi.stubEnv('AWS_SESSION_TOKEN', credentials.sessionToken)
  vi.stubEnv('AWS_REGION', REGION)
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'authmode-test')
  vi.stubEnv('AWS_EXECUTION_ENV', 'AWS_Lambda_nodejs20.x')
}

function whoami(client: Client, authMode?: 'iam' | 'apiKey'): Promise<unknown> {
  return client.request(WHOAMI, undefined, authMode === undefined ? {} : { authMode })
}

describe('the default credential chain', () => {
  it('signs with Lambda-style environment variables when no credentials are given', async () => {
    const lambda = newRoleCredentials()
    stubLambdaEnvironment(lambda)
    const endpoint = await endpointKnowing(lambda)
    const client = createClient({ endpoint: endpoint.url, region: REGION })

    expect(await whoami(client)).toEqual({ whoami: { mode: 'iam', accessKeyId: lambda.accessKeyId } })
    expect(endpoint.requests).toEqual([{ mode: 'iam', accessKeyId: lambda.accessKeyId, reason: undefined }])
  })

  it('signs with ECS container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI), fetched once for concurrent requests', async () => {
    const token = 'ecs-authorization-token-for-test'
    const ecs = await startEcsCredentialsEndpoint(token)
    cleanup.push(() => ecs.stop())
    vi.stubEnv('AWS_CONTAINER_CREDENTIALS_FULL_URI', ecs.url)
    vi.stubEnv('AWS_CONTAINER_AUTHORIZATION_TOKEN', token)
    const endpoint = await endpointKnowing(ecs.credentials)
    const client = createClient({ endpoint: endpoint.url, region: REGION })

    const results = await Promise.all(Array.from({ length: 20 }, () => whoami(client)))
    expect(new Set(results.map((r) => JSON.stringify(r)))).toEqual(
      new Set([JSON.stringify({ whoami: { mode: 'iam', accessKeyId: ecs.credentials.accessKeyId } })]),
    )
    expect(ecs.log).toEqual([`GET ${new URL(ecs.url).pathname} (token: yes)`])
    expect(endpoint.requests.every((r) => r.mode === 'iam')).toBe(true)
  })

  it('signs with EC2 instance credentials over IMDSv2 (AWS_EC2_METADATA_SERVICE_ENDPOINT)', async () => {
    const imds = await startImdsV2Endpoint('web-role')
    cleanup.push(() => imds.stop())
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', undefined)
    vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', imds.url)
    const endpoint = await endpointKnowing(imds.credentials)
    const client = createClient({ endpoint: endpoint.url, region: REGION })

    expect(await whoami(client)).toEqual({ whoami: { mode: 'iam', accessKeyId: imds.credentials.accessKeyId } })
    expect(imds.log).toEqual([
      'PUT /latest/api/token (token: no)',
      'GET /latest/meta-data/iam/security-credentials/ (token: yes)',
      'GET /latest/meta-data/iam/security-credentials/web-role (token: yes)',
    ])
  })

  it.each([
    ['refuses connections', async () => `http://127.0.0.1:${String(await closedPort())}`],
    [
      'accepts connections and never answers',
      async () => {
        const silent = await startSilentEndpoint()
        cleanup.push(() => silent.stop())
        return silent.url
      },
    ],
  ])('a metadata endpoint that %s is no identity, said within about two seconds', async (_, start) => {
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', undefined)
    vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', await start())
    const endpoint = await endpointKnowing()
    const client = createClient({ endpoint: endpoint.url, region: REGION, retry: false })

    const started = performance.now()
    const error = await whoami(client).then(
      () => undefined,
      (e: unknown) => e,
    )
    const elapsed = performance.now() - started
    expect(error).toBeInstanceOf(NoAuthModeAvailableError)
    expect((error as NoAuthModeAvailableError).reasons).toEqual([{ mode: 'iam', reason: NONE_FOUND }])
    expect(elapsed).toBeLessThan(3000)
    expect(endpoint.requests).toEqual([])
  })
})

// The chain's last link ("Could not load credentials from any providers") as the skip reason.
const NONE_FOUND =
  'iam: the AWS SDK credential chain found no credentials (environment, profile, container or instance role): give the process some, or pass `credentials`'

describe('no credentials anywhere (the chain finds none)', () => {
  const iamThenApiKey = (endpoint: SigV4Endpoint): Client =>
    createClient({ endpoint: endpoint.url, region: REGION, apiKey: 'da2-chain-test', authMode: ['iam', 'apiKey'] })

  it('a mode list goes on to its next mode and says why, as with a signed-out user', async () => {
    const endpoint = await endpointKnowing()
    const client = iamThenApiKey(endpoint)
    const skipped: unknown[] = []
    client.on('authModeSkipped', (event) => skipped.push(event))

    expect(await whoami(client)).toEqual({ whoami: { mode: 'apiKey', accessKeyId: null } })
    expect(skipped).toEqual([{ mode: 'iam', reason: NONE_FOUND }])
    expect(endpoint.requests).toEqual([{ mode: 'apiKey', accessKeyId: undefined, reason: undefined }])
  })

  it('iam alone: NoAuthModeAvailableError, its reason saying what to do', async () => {
    const endpoint = await endpointKnowing()
    const error = await whoami(createClient({ endpoint: endpoint.url, region: REGION })).then(
      () => undefined,
      (e: unknown) => e as NoAuthModeAvailableError,
    )
    expect(error).toBeInstanceOf(NoAuthModeAvailableError)
    expect(error?.message).toBe(`No authorization mode is available: iam: ${NONE_FOUND}`)
    expect(endpoint.requests).toEqual([])
  })

  it('the chain is walked again after a minute, not before every request that falls back', async () => {
    // An instance metadata service with no role: the chain's one source that answers, counted.
    const log: string[] = []
    const imds = createServer((req, res) => {
      log.push(`${req.method ?? ''} ${req.url ?? ''}`)
      res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => imds.listen(0, '127.0.0.1', resolve))
    cleanup.push(
      () =>
        new Promise((resolve) =>
          imds.close(() => {
            resolve()
          }),
        ),
    )
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', undefined)
    vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', `http://127.0.0.1:${String((imds.address() as AddressInfo).port)}`)
    const endpoint = await endpointKnowing()
    const client = iamThenApiKey(endpoint)

    expect(await whoami(client)).toEqual({ whoami: { mode: 'apiKey', accessKeyId: null } })
    const walked = log.length
    expect(walked).toBeGreaterThan(0)
    expect(await whoami(client)).toEqual({ whoami: { mode: 'apiKey', accessKeyId: null } })
    expect(log).toHaveLength(walked)
    const now = Date.now()
    vi.spyOn(Date, 'now').mockReturnValue(now + 61_000)
    try {
      expect(await whoami(client)).toEqual({ whoami: { mode: 'apiKey', accessKeyId: null } })
    } finally {
      vi.restoreAllMocks()
    }
    expect(log.length).toBeGreaterThan(walked)
  })
})

describe('default credentials and the default mode', () => {
  it('a client configured with an API key only still defaults to apiKey; iam is there per request', async () => {
    const lambda = newRoleCredentials()
    stubLambdaEnvironment(lambda)
    const endpoint = await endpointKnowing(lambda)
    const client = createClient({ endpoint: endpoint.url, region: REGION, apiKey: 'da2-chain-test' })

    expect(await whoami(client)).toEqual({ whoami: { mode: 'apiKey', accessKeyId: null } })
    expect(await whoami(client, 'iam')).toEqual({ whoami: { mode: 'iam', accessKeyId: lambda.accessKeyId } })
  })

  it('a client without a known region (local endpoint, no `region`) that does not ask for iam is unaffected', async () => {
    const endpoint = await endpointKnowing()
    const client = createClient({ endpoint: endpoint.url, apiKey: 'da2-chain-test' })
    expect(await whoami(client)).toEqual({ whoami: { mode: 'apiKey', accessKeyId: null } })
    // Asking for iam there is the usual configuration error: SigV4 needs the region.
    expect(() => createClient({ endpoint: endpoint.url })).toThrow(/`region` is required for iam on a custom domain/)
  })

  it('several modes without authMode is still a ConfigurationError naming only the configured ones', () => {
    const create = (): Client =>
      createClient({
        endpoint: 'https://x.appsync-api.eu-west-1.amazonaws.com/graphql',
        apiKey: 'da2-x',
        userPool: 'jwt',
      })
    expect(create).toThrow(ConfigurationError)
    expect(create).toThrow('Several auth modes are configured (apiKey, userPool): set `authMode`')
  })

  it('credentials you pass win over the environment: a static identity or any AWS SDK provider', async () => {
    const lambda = newRoleCredentials()
    stubLambdaEnvironment(lambda)
    const imds = await startImdsV2Endpoint()
    cleanup.push(() => imds.stop())
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', undefined)
    vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', imds.url)
    const own = newRoleCredentials()
    const endpoint = await endpointKnowing(lambda, imds.credentials, own)

    const withStatic = createClient({ endpoint: endpoint.url, region: REGION, credentials: own })
    expect(await whoami(withStatic)).toEqual({ whoami: { mode: 'iam', accessKeyId: own.accessKeyId } })
    // The env variables come first in the default chain; an explicit SDK provider overrides that.
    const withSdkProvider = createClient({
      endpoint: endpoint.url,
      region: REGION,
      credentials: fromInstanceMetadata(),
    })
    expect(await whoami(withSdkProvider)).toEqual({
      whoami: { mode: 'iam', accessKeyId: imds.credentials.accessKeyId },
    })
  })
})
