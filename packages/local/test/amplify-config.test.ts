// Issue 15: clients made by fromAmplifyConfig from a Gen 2 amplify_outputs.json written for
// @authmode/local (its GraphQL URL, API key and identity pool; cognito-local's user pool), making
// requests in the modes the file lists. @authmode/browser (run here as under SSR, with memory
// storage) wires the identity pool: guest IAM, then signed-in IAM and the user pool after a
// sign-in; @authmode/node adds its default credential chain for IAM (a backend's). Which caller
// the server saw is read from its log (mode and principal kind, never a credential).
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as browser from '@authmode/browser'
import * as node from '@authmode/node'
import { startLocalAppSync, type LocalAppSync } from '@authmode/local'
import type { AmplifyOutputs } from '@authmode/core'
import { backendKeys, REGION, requestLog, startUserPool, userPoolConfig, type UserPool } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Note
    @model
    @auth(
      rules: [
        { allow: public, provider: apiKey, operations: [read] }
        { allow: public, provider: iam, operations: [read] }
        { allow: private, provider: iam, operations: [read, create] }
        { allow: owner }
      ]
    ) {
    id: ID!
    text: String
    owner: String
  }
`
const LIST = '{ listNotes { items { text } } }'
const CREATE = 'mutation ($text: String) { createNote(input: { text: $text }) { text } }'

let pool: UserPool
let server: LocalAppSync
const { logger, seenBy } = requestLog('POST /graphql 200 ')
const keys = backendKeys()

beforeAll(async () => {
  pool = await startUserPool([{ username: 'alice' }])
  server = await startLocalAppSync({
    schema: SCHEMA,
    region: REGION,
    userPools: [userPoolConfig(pool.cognito)],
    backendCredentials: [{ name: 'lambda', ...keys }],
    logger,
  })
})

afterAll(async () => {
  await server.stop()
  await pool.stop()
})

/** amplify_outputs.json (schema 1.4) as `npx ampx generate outputs` would write it for this backend. */
function amplifyOutputs(defaultType: string, additional: readonly string[]): AmplifyOutputs {
  return JSON.parse(
    JSON.stringify({
      auth: {
        user_pool_id: pool.cognito.userPoolId,
        aws_region: REGION,
        user_pool_client_id: pool.cognito.clientId,
        identity_pool_id: server.identityPoolId,
        mfa_methods: [],
        standard_required_attributes: ['email'],
        username_attributes: ['email'],
        user_verification_types: ['email'],
        mfa_configuration: 'NONE',
        password_policy: {
          min_length: 8,
          require_lowercase: true,
          require_numbers: true,
          require_symbols: true,
          require_uppercase: true,
        },
        unauthenticated_identities_enabled: true,
      },
      data: {
        url: server.graphqlUrl,
        aws_region: REGION,
        api_key: server.apiKey,
        default_authorization_type: defaultType,
        authorization_types: additional,
      },
      version: '1.4',
    }),
  ) as AmplifyOutputs
}

/** The callers the server saw during `run` ("apiKey", "iam guest", "userPool alice", …). */

// Cognito itself is on 127.0.0.1 here: the providers made from the file are told where.
const local = (): browser.AmplifyConfigOptions => ({
  cognitoUserPool: { endpoint: pool.cognito.endpoint },
  cognitoIdentityPool: { endpoint: server.url },
  retry: false,
  logger: null,
})

describe('@authmode/browser: a client from amplify_outputs.json', () => {
  const outputs = (): AmplifyOutputs => amplifyOutputs('AMAZON_COGNITO_USER_POOLS', ['AWS_IAM', 'API_KEY'])

  it('a guest: user pools first in the list, nobody signed in, so guest IAM from the identity pool; API key when asked', async () => {
    const client = browser.createClient(browser.fromAmplifyConfig(outputs(), local()))
    const skipped: string[] = []
    client.on('authModeSkipped', ({ mode }) => skipped.push(mode))
    expect(await seenBy(() => client.request(LIST))).toEqual(['iam guest'])
    expect(skipped).toEqual(['userPool'])
    expect(await seenBy(() => client.request(LIST, {}, { authMode: 'apiKey' }))).toEqual(['apiKey'])
    // The guest rule is read-only: a guest cannot create.
    await expect(client.request(CREATE, { text: 'no' })).rejects.toMatchObject({ code: 'ERR_GRAPHQL' })
  })

  it('signed in: the session is the user pool, and its ID token makes the identity pool authenticated', async () => {
    const tokens = await browser.signInWithPassword({
      clientId: pool.cognito.clientId,
      endpoint: pool.cognito.endpoint,
      username: 'alice',
      password: pool.password('alice'),
    })
    const session = browser.fromCognitoUserPool({
      clientId: pool.cognito.clientId,
      endpoint: pool.cognito.endpoint,
      tokens,
    })
    const client = browser.createClient(browser.fromAmplifyConfig(outputs(), { ...local(), userPool: session }))
    expect(await seenBy(() => client.request(CREATE, { text: 'by alice' }))).toEqual(['userPool alice'])
    expect(await seenBy(() => client.request(CREATE, { text: 'signed-in iam' }, { authMode: 'iam' }))).toEqual([
      'iam authenticated',
    ])

    // Signed out: the same client goes as a guest again.
    await browser.signOut(session, { revoke: false })
    expect(await seenBy(() => client.request(LIST))).toEqual(['iam guest'])
  })

  it('a session stored by an earlier visit is read from storage by the next page load', async () => {
    const storage = browser.memoryStorage()
    const tokens = await browser.signInWithPassword({
      clientId: pool.cognito.clientId,
      endpoint: pool.cognito.endpoint,
      username: 'alice',
      password: pool.password('alice'),
    })
    await browser
      .fromCognitoUserPool({ clientId: pool.cognito.clientId, endpoint: pool.cognito.endpoint, tokens, storage })
      .currentTokens()
    const options = local()
    const client = browser.createClient(
      browser.fromAmplifyConfig(outputs(), { ...options, cognitoUserPool: { ...options.cognitoUserPool, storage } }),
    )
    expect(await seenBy(() => client.request(LIST))).toEqual(['userPool alice'])
  })
})

describe('@authmode/node: a client from amplify_outputs.json', () => {
  it('API key by default; IAM with the default credential chain (a backend’s role)', async () => {
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) vi.stubEnv(name, undefined)
    vi.stubEnv('AWS_ACCESS_KEY_ID', keys.accessKeyId)
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', keys.secretAccessKey)
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true')
    try {
      const client = node.createClient(
        node.fromAmplifyConfig(amplifyOutputs('API_KEY', ['AWS_IAM']), { retry: false, logger: null }),
      )
      expect(await seenBy(() => client.request(LIST))).toEqual(['apiKey'])
      const text = `from the backend ${randomBytes(4).toString('hex')}`
      expect(await seenBy(() => client.request(CREATE, { text }, { authMode: 'iam' }))).toEqual(['iam backend lambda'])
    } finally {
      vi.unstubAllEnvs()
    }
  })
})
