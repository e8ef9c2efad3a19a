// Issue 15: the Gen 2 amplify_outputs.json a running @authmode/local describes itself with
// (`server.amplifyOutputs()`), checked against the documented format (`AWSAmplifyBackendOutputs`
// 1.4 of aws-amplify/amplify-backend packages/client-config: `data.url`, `aws_region`, `api_key`,
// `default_authorization_type`, `authorization_types` (the others), `model_introspection`; `auth`
// with `aws_region`, `user_pool_id`, `user_pool_client_id`, `identity_pool_id`,
// `unauthenticated_identities_enabled`), then written to a file, read back and given to
// `fromAmplifyConfig` of @authmode/core (through @authmode/node and @authmode/browser), whose
// clients call the endpoint in the modes the file lists. The caller the server saw is read from
// its log.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as browser from '@authmode/browser'
import * as node from '@authmode/node'
import { fromAmplifyConfig } from '@authmode/core'
import { startLocalAppSync, type LocalAmplifyOutputs, type LocalAppSync } from '@authmode/local'
import { REGION } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Post
    @model
    @auth(
      rules: [
        { allow: owner }
        { allow: groups, groups: ["Admin"] }
        { allow: private, provider: iam, operations: [read] }
        { allow: public, provider: iam, operations: [read] }
        { allow: public, provider: apiKey, operations: [read] }
        { allow: custom }
      ]
    ) {
    id: ID!
    title: String
  }
`
const LIST = '{ listPosts { items { title } } }'
const CREATE = 'mutation ($title: String) { createPost(input: { title: $title }) { title } }'
const PASSWORD = 'Local-Pw-1!'

let server: LocalAppSync
const log: string[] = []
const dir = mkdtempSync(join(tmpdir(), 'authmode-outputs-'))

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    region: REGION,
    userPool: { users: [{ username: 'alice', password: PASSWORD, groups: ['Admin'] }] },
    lambdaAuthorizer: ({ authorizationToken }) => ({ isAuthorized: authorizationToken === 'custom-ok' }),
    logger: { info: (line) => log.push(line) },
  })
})

afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** The file as an app has it: written by the dev server, read and parsed by the app. */
function written(outputs: LocalAmplifyOutputs): LocalAmplifyOutputs {
  const path = join(dir, 'amplify_outputs.json')
  writeFileSync(path, JSON.stringify(outputs, null, 2))
  return JSON.parse(readFileSync(path, 'utf8')) as LocalAmplifyOutputs
}

async function seenBy(run: () => Promise<unknown>): Promise<string[]> {
  const from = log.length
  await run()
  return log
    .slice(from)
    .filter((line) => line.startsWith('POST /graphql 200 '))
    .map((line) => line.slice('POST /graphql 200 '.length))
}

describe('server.amplifyOutputs()', () => {
  it('is amplify_outputs.json 1.4: data (the default type, the other types) and auth (user pool, identity pool)', () => {
    const file = written(server.amplifyOutputs())
    const pool = server.userPool
    expect(file).toStrictEqual({
      version: '1.4',
      data: {
        url: server.graphqlUrl,
        aws_region: REGION,
        api_key: server.apiKey,
        default_authorization_type: 'API_KEY',
        authorization_types: ['AMAZON_COGNITO_USER_POOLS', 'AWS_IAM', 'AWS_LAMBDA'],
        model_introspection: JSON.parse(JSON.stringify(server.modelIntrospection)),
      },
      auth: {
        aws_region: REGION,
        user_pool_id: pool?.userPoolId,
        user_pool_client_id: pool?.clientId,
        identity_pool_id: server.identityPoolId,
        unauthenticated_identities_enabled: true,
      },
    })
    expect(server.modelIntrospection.models['Post']?.attributes[1]?.properties?.['rules']).toHaveLength(6)
  })

  it('fromAmplifyConfig reads it back: endpoint, region, modes (default first), API key, model introspection', () => {
    const options = fromAmplifyConfig(written(server.amplifyOutputs()))
    expect(options).toMatchObject({
      endpoint: server.graphqlUrl,
      region: REGION,
      authMode: ['apiKey', 'userPool', 'iam', 'lambda'],
      apiKey: server.apiKey,
    })
    expect(options.modelIntrospection).toStrictEqual(JSON.parse(JSON.stringify(server.modelIntrospection)))
  })

  it('@authmode/node: API key by default, the Lambda token when asked', async () => {
    const client = node.createClient(
      node.fromAmplifyConfig(written(server.amplifyOutputs()), { lambda: 'custom-ok', retry: false, logger: null }),
    )
    expect(await seenBy(() => client.request(LIST))).toEqual(['apiKey'])
    expect(await seenBy(() => client.request(CREATE, { title: 'from a function' }, { authMode: 'lambda' }))).toEqual([
      'lambda',
    ])
  })

  it('@authmode/browser wires its Cognito part: a guest of the identity pool, then the signed-in user', async () => {
    const file = written(server.amplifyOutputs())
    const pool = server.userPool
    if (!pool) throw new Error('no local user pool')
    const local = { cognitoUserPool: { endpoint: pool.endpoint }, cognitoIdentityPool: { endpoint: server.url } }
    const guest = browser.createClient(browser.fromAmplifyConfig(file, { ...local, retry: false, logger: null }))
    expect(await seenBy(() => guest.request(LIST, {}, { authMode: 'iam' }))).toEqual(['iam guest'])

    const tokens = await browser.signInWithPassword({
      endpoint: pool.endpoint,
      clientId: pool.clientId,
      username: 'alice',
      password: PASSWORD,
    })
    const session = browser.fromCognitoUserPool({ endpoint: pool.endpoint, clientId: pool.clientId, tokens })
    const alice = browser.createClient(
      browser.fromAmplifyConfig(file, { ...local, userPool: session, retry: false, logger: null }),
    )
    expect(await seenBy(() => alice.request(CREATE, { title: 'by alice' }, { authMode: 'userPool' }))).toEqual([
      'userPool alice',
    ])
    expect(await seenBy(() => alice.request(LIST, {}, { authMode: 'iam' }))).toEqual(['iam authenticated'])
  })

  it('without API keys and user pool: no api_key, no auth; the default type is the first mode left', async () => {
    const bare = await startLocalAppSync({
      schema: SCHEMA,
      apiKeys: false,
      lambdaAuthorizer: () => ({ isAuthorized: true }),
    })
    try {
      const file = written(bare.amplifyOutputs())
      expect(file).toStrictEqual({
        version: '1.4',
        data: {
          url: bare.graphqlUrl,
          aws_region: 'us-east-1',
          default_authorization_type: 'AWS_IAM',
          authorization_types: ['AWS_LAMBDA'],
          model_introspection: JSON.parse(JSON.stringify(bare.modelIntrospection)),
        },
      })
    } finally {
      await bare.stop()
    }
  })

  it('a configured user pool with a client id stands in for the local one; guests off is written', async () => {
    const other = await startLocalAppSync({
      schema: SCHEMA,
      defaultAuthMode: 'userPool',
      userPools: [
        { userPoolId: 'eu-west-1_AbC123', clientIds: ['client1'], issuer: 'http://127.0.0.1:1/eu-west-1_AbC123' },
      ],
      identityPool: { allowUnauthenticated: false },
    })
    try {
      const file = written(other.amplifyOutputs())
      expect(file.data.default_authorization_type).toBe('AMAZON_COGNITO_USER_POOLS')
      expect(file.data.authorization_types).toEqual(['API_KEY', 'AWS_IAM'])
      expect(file.auth).toStrictEqual({
        aws_region: 'eu-west-1',
        user_pool_id: 'eu-west-1_AbC123',
        user_pool_client_id: 'client1',
        identity_pool_id: other.identityPoolId,
        unauthenticated_identities_enabled: false,
      })
    } finally {
      await other.stop()
    }
  })
})
