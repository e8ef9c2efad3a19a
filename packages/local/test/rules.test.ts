// @auth rules of every kind and provider, operation restrictions, field-level rules and the plain
// @aws_* directives, all through @authmode/node clients against a running endpoint. Tokens are
// real cognito-local tokens; IAM credentials are issued through the credential store as the
// identity-pool endpoint issues them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '@authmode/node'
import { startLocalAppSync, type LocalAppSync } from '@authmode/local'
import {
  REGION,
  backendKeys,
  client,
  createExtraPool,
  issue,
  outcome,
  startUserPool,
  userPoolConfig,
  type UserPool,
} from './helpers'

const SCHEMA = /* GraphQL */ `
  type PublicNote @model @auth(rules: [{ allow: public }]) {
    id: ID!
    text: String
  }
  type GuestNote
    @model
    @auth(rules: [{ allow: public, provider: iam, operations: [read] }, { allow: private, provider: iam }]) {
    id: ID!
    text: String
  }
  type MemberNote @model @auth(rules: [{ allow: private }]) {
    id: ID!
    text: String
  }
  type OidcNote
    @model
    @auth(rules: [{ allow: private, provider: oidc, operations: [read] }, { allow: owner, provider: oidc }]) {
    id: ID!
    text: String
  }
  type Runbook @model @auth(rules: [{ allow: groups, provider: oidc, groups: ["Ops"] }]) {
    id: ID!
    text: String
  }
  type Todo @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String
  }
  type Post
    @model
    @auth(
      rules: [
        { allow: owner, ownerField: "author", operations: [create, read, update] }
        { allow: public, operations: [read] }
        { allow: groups, groups: ["Admin"], operations: [read, update, delete] }
      ]
    ) {
    id: ID!
    title: String!
    author: String
  }
  type Doc @model @auth(rules: [{ allow: groups, groupsField: "editors" }, { allow: groups, groups: ["Admin"] }]) {
    id: ID!
    body: String
    editors: [String]
  }
  type Profile @model @auth(rules: [{ allow: owner }, { allow: private, operations: [read] }]) {
    id: ID!
    name: String
    ssn: String @auth(rules: [{ allow: owner }])
  }
  type Query {
    hello: String
    apiKeyHello: String @aws_api_key
    iamHello: String @aws_iam
    poolHello: String @aws_cognito_user_pools
    adminHello: String @aws_cognito_user_pools(cognito_groups: ["Admin"])
    oidcHello: String @aws_oidc
  }
`
const hello = () => 'hello'

let pool: UserPool
let server: LocalAppSync
let apiKey: Client
let alice: Client
let bob: Client
let admin: Client
let editor: Client
let guest: Client
let signedInIam: Client
let backend: Client
let oidcUser: Client
let oidcOps: Client

beforeAll(async () => {
  pool = await startUserPool([
    { username: 'alice' },
    { username: 'bob' },
    { username: 'admin', groups: ['Admin'] },
    { username: 'editor', groups: ['Editors'] },
  ])
  const oidc = await createExtraPool(pool.cognito, ['olga', { username: 'otto', groups: ['Ops'] }])
  const keys = backendKeys()
  server = await startLocalAppSync({
    schema: SCHEMA,
    userPools: [userPoolConfig(pool.cognito)],
    oidc: [{ issuer: oidc.issuer, clientIds: [oidc.clientId], jwksUri: oidc.jwksUri }],
    backendCredentials: [{ name: 'lambda', ...keys }],
    resolvers: {
      Query: { hello, apiKeyHello: hello, iamHello: hello, poolHello: hello, adminHello: hello, oidcHello: hello },
    },
  })
  apiKey = client(server, 'apiKey', { apiKey: server.apiKey! })
  alice = client(server, 'userPool', { userPool: await pool.idToken('alice') })
  bob = client(server, 'userPool', { userPool: await pool.idToken('bob') })
  admin = client(server, 'userPool', { userPool: await pool.idToken('admin') })
  editor = client(server, 'userPool', { userPool: await pool.idToken('editor') })
  guest = client(server, 'iam', { credentials: issue(server.credentials, 'guest') })
  signedInIam = client(server, 'iam', { credentials: issue(server.credentials, 'authenticated', { sub: 'x' }) })
  backend = client(server, 'iam', { credentials: keys })
  oidcUser = client(server, 'oidc', { oidc: await oidc.idToken('olga') })
  oidcOps = client(server, 'oidc', { oidc: await oidc.idToken('otto') })
})

afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
  await (pool as UserPool | undefined)?.stop()
})

const denied = { ok: false, code: 'ERR_GRAPHQL', errorTypes: ['Unauthorized'] }

async function create(c: Client, model: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const data = await c.request<Record<string, Record<string, unknown>>>(
    `mutation ($input: Create${model}Input!) { create${model}(input: $input) { id } }`,
    { input },
  )
  return data[`create${model}`]!
}

describe('public', () => {
  it('apiKey (the default provider): every operation with the API key, none with a user pool token', async () => {
    const { id } = await create(apiKey, 'PublicNote', { text: 'hi' })
    await expect(apiKey.request('query ($id: ID!) { getPublicNote(id: $id) { text } }', { id })).resolves.toEqual({
      getPublicNote: { text: 'hi' },
    })
    await expect(
      apiKey.request('mutation ($id: ID!) { updatePublicNote(input: { id: $id, text: "edited" }) { text } }', { id }),
    ).resolves.toEqual({ updatePublicNote: { text: 'edited' } })
    expect(await outcome(alice.request('{ listPublicNotes { items { id } } }'))).toEqual(denied)
    expect(await outcome(guest.request('{ listPublicNotes { items { id } } }'))).toEqual(denied)
    await expect(
      apiKey.request('mutation ($id: ID!) { deletePublicNote(input: { id: $id }) { id } }', { id }),
    ).resolves.toEqual({ deletePublicNote: { id } })
  })

  it('operations: [read] lets the API key read posts but not create, update or delete them', async () => {
    const { id } = await create(alice, 'Post', { title: 'Hello' })
    await expect(apiKey.request('query ($id: ID!) { getPost(id: $id) { title } }', { id })).resolves.toEqual({
      getPost: { title: 'Hello' },
    })
    expect(await outcome(apiKey.request('mutation { createPost(input: { title: "spam" }) { id } }'))).toEqual(denied)
    expect(
      await outcome(
        apiKey.request('mutation ($id: ID!) { updatePost(input: { id: $id, title: "x" }) { id } }', { id }),
      ),
    ).toEqual(denied)
    expect(
      await outcome(apiKey.request('mutation ($id: ID!) { deletePost(input: { id: $id }) { id } }', { id })),
    ).toEqual(denied)
  })

  it('iam: guest identity-pool credentials read, but may not create (operations: [read])', async () => {
    const { id } = await create(signedInIam, 'GuestNote', { text: 'for guests' })
    const list = await guest.request<{ listGuestNotes: { items: { id: string }[] } }>(
      '{ listGuestNotes { items { id text } } }',
    )
    expect(list.listGuestNotes.items.map((i) => i.id)).toContain(id)
    expect(await outcome(guest.request('mutation { createGuestNote(input: { text: "no" }) { id } }'))).toEqual(denied)
    expect(await outcome(apiKey.request('{ listGuestNotes { items { id } } }'))).toEqual(denied)
  })
})

describe('private', () => {
  it('userPools (the default provider): any signed-in user of the pool, nobody else', async () => {
    const { id } = await create(alice, 'MemberNote', { text: 'members only' })
    await expect(
      bob.request('mutation ($id: ID!) { updateMemberNote(input: { id: $id, text: "bob was here" }) { text } }', {
        id,
      }),
    ).resolves.toEqual({ updateMemberNote: { text: 'bob was here' } })
    expect(await outcome(apiKey.request('query ($id: ID!) { getMemberNote(id: $id) { id } }', { id }))).toEqual(denied)
    expect(await outcome(signedInIam.request('query ($id: ID!) { getMemberNote(id: $id) { id } }', { id }))).toEqual(
      denied,
    )
    expect(await outcome(oidcUser.request('query ($id: ID!) { getMemberNote(id: $id) { id } }', { id }))).toEqual(
      denied,
    )
  })

  it('iam: authenticated identity-pool credentials, not guests', async () => {
    await expect(create(signedInIam, 'GuestNote', { text: 'ok' })).resolves.toHaveProperty('id')
    expect(await outcome(guest.request('mutation { createGuestNote(input: { text: "no" }) { id } }'))).toEqual(denied)
    expect(await outcome(alice.request('mutation { createGuestNote(input: { text: "no" }) { id } }'))).toEqual(denied)
  })

  it('oidc: tokens of the OIDC provider; user pool tokens are not OIDC tokens', async () => {
    const { id } = await create(oidcUser, 'OidcNote', { text: 'from olga' })
    await expect(
      oidcUser.request('query ($id: ID!) { getOidcNote(id: $id) { text owner } }', { id }),
    ).resolves.toMatchObject({
      getOidcNote: { text: 'from olga', owner: expect.stringMatching(/::olga$/) },
    })
    expect(await outcome(alice.request('{ listOidcNotes { items { id } } }'))).toEqual(denied)
  })
})

describe('owner', () => {
  it('sets the owner to <sub>::<username> on create and keeps items to their owner', async () => {
    const created = await alice.request<{ createTodo: { id: string; owner: string } }>(
      'mutation { createTodo(input: { text: "alice todo" }) { id owner } }',
    )
    const { id, owner } = created.createTodo
    expect(owner).toMatch(/^[0-9a-f-]{36}::alice$/)
    const mine = await alice.request<{ listTodos: { items: { id: string }[] } }>('{ listTodos { items { id } } }')
    expect(mine.listTodos.items.map((i) => i.id)).toContain(id)
    // Lists are filtered to what the caller may read; a direct get is denied.
    const theirs = await bob.request<{ listTodos: { items: { id: string }[] } }>('{ listTodos { items { id } } }')
    expect(theirs.listTodos.items.map((i) => i.id)).not.toContain(id)
    expect(await outcome(bob.request('query ($id: ID!) { getTodo(id: $id) { id } }', { id }))).toEqual(denied)
    // The owner may update and delete.
    await expect(
      alice.request('mutation ($id: ID!) { updateTodo(input: { id: $id, text: "done" }) { text } }', { id }),
    ).resolves.toEqual({ updateTodo: { text: 'done' } })
    await expect(
      alice.request('mutation ($id: ID!) { deleteTodo(input: { id: $id }) { id } }', { id }),
    ).resolves.toEqual({
      deleteTodo: { id },
    })
  })

  it('custom ownerField with operations: the author creates, reads and updates, but may not delete', async () => {
    const { id } = await create(alice, 'Post', { title: 'Mine' })
    await expect(
      alice.request('mutation ($id: ID!) { updatePost(input: { id: $id, title: "Mine, edited" }) { title author } }', {
        id,
      }),
    ).resolves.toMatchObject({ updatePost: { title: 'Mine, edited', author: expect.stringMatching(/::alice$/) } })
    expect(
      await outcome(alice.request('mutation ($id: ID!) { deletePost(input: { id: $id }) { id } }', { id })),
    ).toEqual(denied)
  })
})

describe('groups', () => {
  it('static groups: an Admin may update and delete any post; others may not', async () => {
    const { id } = await create(alice, 'Post', { title: 'Moderate me' })
    expect(
      await outcome(bob.request('mutation ($id: ID!) { updatePost(input: { id: $id, title: "bob" }) { id } }', { id })),
    ).toEqual(denied)
    await expect(
      admin.request('mutation ($id: ID!) { updatePost(input: { id: $id, title: "Moderated" }) { title } }', { id }),
    ).resolves.toEqual({ updatePost: { title: 'Moderated' } })
    await expect(
      admin.request('mutation ($id: ID!) { deletePost(input: { id: $id }) { id } }', { id }),
    ).resolves.toEqual({
      deletePost: { id },
    })
  })

  it('oidc groups: members of the group in the OIDC token’s groups claim, nobody else', async () => {
    await expect(create(oidcOps, 'Runbook', { text: 'restart the thing' })).resolves.toHaveProperty('id')
    // Outside the only group allowed: AppSync's Unauthorized for the whole list, not an empty one.
    expect(await outcome(oidcUser.request('{ listRunbooks { items { id } } }'))).toEqual(denied)
    await expect(oidcOps.request('{ listRunbooks { items { text } } }')).resolves.toEqual({
      listRunbooks: { items: [{ text: 'restart the thing' }] },
    })
    expect(await outcome(oidcUser.request('mutation { createRunbook(input: { text: "x" }) { id } }'))).toEqual(denied)
    expect(await outcome(admin.request('{ listRunbooks { items { id } } }'))).toEqual(denied)
  })

  it('dynamic groups: members of a group named in the item’s groupsField', async () => {
    const created = await admin.request<{ createDoc: { id: string } }>(
      'mutation { createDoc(input: { body: "draft", editors: ["Editors"] }) { id } }',
    )
    const { id } = created.createDoc
    await expect(
      editor.request('mutation ($id: ID!) { updateDoc(input: { id: $id, body: "edited" }) { body } }', { id }),
    ).resolves.toEqual({ updateDoc: { body: 'edited' } })
    expect(await outcome(bob.request('query ($id: ID!) { getDoc(id: $id) { id } }', { id }))).toEqual(denied)
    const bobs = await bob.request<{ listDocs: { items: unknown[] } }>('{ listDocs { items { id } } }')
    expect(bobs.listDocs.items).toEqual([])
  })
})

describe('field-level rules', () => {
  it('a field with its own rules is readable by those rules only; the rest of the item by the model rules', async () => {
    const { id } = await create(alice, 'Profile', { name: 'Alice', ssn: '123-45-6789' })
    await expect(alice.request('query ($id: ID!) { getProfile(id: $id) { name ssn } }', { id })).resolves.toEqual({
      getProfile: { name: 'Alice', ssn: '123-45-6789' },
    })
    const error = await bob
      .request('query ($id: ID!) { getProfile(id: $id) { name ssn } }', { id })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'ERR_GRAPHQL',
      data: { getProfile: { name: 'Alice', ssn: null } },
      errors: [
        {
          errorType: 'Unauthorized',
          path: ['getProfile', 'ssn'],
          message: 'Not Authorized to access ssn on type Profile',
        },
      ],
    })
  })
})

describe('mutation conditions', () => {
  it('the write happens only when the stored item matches (and, or, not); otherwise ConditionalCheckFailedException', async () => {
    const { id } = await create(alice, 'Profile', { name: 'Alice', ssn: '123-45-6789' })
    const UPDATE =
      'mutation ($id: ID!, $c: ModelProfileConditionInput) { updateProfile(input: { id: $id, name: "Al" }, condition: $c) { name } }'
    const failed = { ok: false, code: 'ERR_GRAPHQL', errorTypes: ['DynamoDB:ConditionalCheckFailedException'] }
    expect(await outcome(alice.request(UPDATE, { id, c: { ssn: { beginsWith: '999' } } }))).toEqual(failed)
    expect(await outcome(alice.request(UPDATE, { id, c: { not: { name: { eq: 'Alice' } } } }))).toEqual(failed)
    await expect(
      alice.request(UPDATE, { id, c: { and: [{ name: { eq: 'Alice' } }, { ssn: { beginsWith: '123' } }] } }),
    ).resolves.toEqual({ updateProfile: { name: 'Al' } })
    const DELETE =
      'mutation ($id: ID!, $c: ModelProfileConditionInput) { deleteProfile(input: { id: $id }, condition: $c) { id } }'
    expect(await outcome(alice.request(DELETE, { id, c: { name: { eq: 'Alice' } } }))).toEqual(failed)
    await expect(alice.request(DELETE, { id, c: { name: { eq: 'Al' } } })).resolves.toEqual({ deleteProfile: { id } })
  })
})

describe('backend IAM credentials', () => {
  it('have full access to @model types, like Amplify admin roles', async () => {
    const { id } = await create(alice, 'Todo', { text: 'private to alice' })
    const all = await backend.request<{ listTodos: { items: { id: string }[] } }>('{ listTodos { items { id } } }')
    expect(all.listTodos.items.map((i) => i.id)).toContain(id)
    await expect(
      backend.request('mutation ($id: ID!) { updateTodo(input: { id: $id, text: "by backend" }) { text } }', { id }),
    ).resolves.toEqual({ updateTodo: { text: 'by backend' } })
    await expect(create(backend, 'Post', { title: 'From the backend', author: 'someone' })).resolves.toHaveProperty(
      'id',
    )
  })
})

describe('plain AppSync directives', () => {
  it('@aws_api_key, @aws_iam, @aws_cognito_user_pools(cognito_groups), @aws_oidc and the default mode', async () => {
    await expect(apiKey.request('{ hello apiKeyHello }')).resolves.toEqual({ hello: 'hello', apiKeyHello: 'hello' })
    expect(await outcome(apiKey.request('{ poolHello }'))).toEqual(denied)
    await expect(alice.request('{ poolHello }')).resolves.toEqual({ poolHello: 'hello' })
    // No directive: the default mode (API key) only.
    expect(await outcome(alice.request('{ hello }'))).toEqual(denied)
    expect(await outcome(alice.request('{ adminHello }'))).toEqual(denied)
    await expect(admin.request('{ adminHello }')).resolves.toEqual({ adminHello: 'hello' })
    await expect(backend.request('{ iamHello }')).resolves.toEqual({ iamHello: 'hello' })
    await expect(guest.request('{ iamHello }')).resolves.toEqual({ iamHello: 'hello' })
    expect(await outcome(guest.request('{ oidcHello }'))).toEqual(denied)
    await expect(oidcUser.request('{ oidcHello }')).resolves.toEqual({ oidcHello: 'hello' })
  })

  it('a denied field beside an allowed one: partial data and an Unauthorized error, HTTP 200', async () => {
    const error = await apiKey.request('{ apiKeyHello poolHello }').catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'ERR_GRAPHQL',
      data: { apiKeyHello: 'hello', poolHello: null },
      errors: [
        { errorType: 'Unauthorized', message: 'Not Authorized to access poolHello on type Query', path: ['poolHello'] },
      ],
    })
  })
})

describe('identity-pool credentials from the same server', () => {
  it('guest (public iam) and signed-in (private iam) identities, over GetId and GetCredentialsForIdentity', async () => {
    const { fromCognitoIdentityPool, createClient } = await import('@authmode/node')
    const identityPoolId = server.identityPoolId!
    const guestCredentials = fromCognitoIdentityPool({ identityPoolId, endpoint: server.url })
    const guestClient = createClient({
      endpoint: server.graphqlUrl,
      region: REGION,
      authMode: 'iam',
      credentials: guestCredentials,
      retry: false,
      logger: null,
    })
    const { id } = await create(signedInIam, 'GuestNote', { text: 'hello guests' })
    await expect(guestClient.request('query ($id: ID!) { getGuestNote(id: $id) { text } }', { id })).resolves.toEqual({
      getGuestNote: { text: 'hello guests' },
    })
    expect(await outcome(guestClient.request('mutation { createGuestNote(input: { text: "no" }) { id } }'))).toEqual(
      denied,
    )

    const issuer = pool.cognito.issuer.replace(/^https:\/\//, '')
    const aliceToken = await pool.idToken('alice')
    const signedIn = createClient({
      endpoint: server.graphqlUrl,
      region: REGION,
      authMode: 'iam',
      credentials: fromCognitoIdentityPool({ identityPoolId, endpoint: server.url, logins: { [issuer]: aliceToken } }),
      retry: false,
      logger: null,
    })
    await expect(create(signedIn, 'GuestNote', { text: 'signed in' })).resolves.toHaveProperty('id')
  })
})

describe('the AWS SDK against the same server', () => {
  it('fromCognitoIdentityPool (@aws-sdk/credential-providers) gets credentials that the GraphQL endpoint accepts', async () => {
    const { fromCognitoIdentityPool } = await import('@aws-sdk/credential-providers')
    const { createClient } = await import('@authmode/node')
    const issuer = pool.cognito.issuer.replace(/^https:\/\//, '')
    const sdkCredentials = fromCognitoIdentityPool({
      identityPoolId: server.identityPoolId!,
      logins: { [issuer]: await pool.idToken('bob') },
      clientConfig: { region: REGION, endpoint: server.url },
    })
    const viaSdk = createClient({
      endpoint: server.graphqlUrl,
      region: REGION,
      authMode: 'iam',
      credentials: sdkCredentials,
      retry: false,
      logger: null,
    })
    // Signed in through the identity pool: private iam may create; the guest rule is read-only.
    const created = await viaSdk.request<{ createGuestNote: { text: string } }>(
      'mutation { createGuestNote(input: { text: "via the AWS SDK" }) { text } }',
    )
    expect(created).toEqual({ createGuestNote: { text: 'via the AWS SDK' } })
    const issued = await sdkCredentials()
    expect(server.credentials.lookup(issued.accessKeyId)?.principal).toMatchObject({ kind: 'authenticated' })
  })
})
