// Issue 15: `authMode: 'auto'` on @authmode/local, with a schema that uses every rule kind and
// provider (owner, static groups, private, public; user pools, OIDC, IAM guests and signed-in
// identities, the API key) and a custom query without rules. The model introspection schema is
// written here from Amplify's documented format (what `npx ampx generate outputs` puts in
// `data.model_introspection`). One client per caller, all with `authMode: 'auto'`: a guest, users
// signing in and out (their own `keepsSession` provider, asked on every request), a group member,
// an OIDC user and a backend. Which mode reached the server, and how often, is read from its log.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  fromCognitoIdentityPool,
  fromCognitoUserPool,
  NoAuthModeAvailableError,
  NoIdentityError,
  signInWithPassword,
  subscribe,
  type AuthMode,
  type ClientOptions,
  type CognitoUserPoolSession,
  type SessionTokenProvider,
} from '@authmode/node'
import { startLocalAppSync, type LocalAppSync, type LocalUserPool } from '@authmode/local'
import { backendKeys, outcome, REGION, startTestKeys, type TestKeys } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Post
    @model
    @auth(
      rules: [
        { allow: owner, operations: [create, read, update, delete] }
        { allow: groups, groups: ["Admin"], operations: [read, update, delete] }
        { allow: private, provider: iam, operations: [read] }
        { allow: public, provider: iam, operations: [read] }
        { allow: public, provider: apiKey, operations: [read] }
      ]
    ) {
    id: ID!
    title: String
    owner: String
  }

  type Audit @model @auth(rules: [{ allow: groups, groups: ["Admin"] }]) {
    id: ID!
    text: String
  }

  type Memo
    @model
    @auth(
      rules: [
        { allow: owner, provider: oidc, identityClaim: "sub" }
        { allow: private, provider: oidc, operations: [read] }
      ]
    ) {
    id: ID!
    text: String
    owner: String
  }

  type Query {
    echo(text: String): String @aws_api_key @aws_iam
    fail: String @aws_api_key @aws_iam @aws_cognito_user_pools
  }
`

const all = ['create', 'update', 'delete', 'read']
/** `data.model_introspection` as Amplify's codegen writes it for SCHEMA (the parts `auto` reads, and the rest of each model's shape). */
const MODEL_INTROSPECTION = {
  version: 1,
  models: {
    Post: model(
      'Post',
      'Posts',
      ['title', 'owner'],
      [
        {
          provider: 'userPools',
          ownerField: 'owner',
          allow: 'owner',
          identityClaim: 'cognito:username',
          operations: all,
        },
        {
          groupClaim: 'cognito:groups',
          provider: 'userPools',
          allow: 'groups',
          groups: ['Admin'],
          operations: ['read', 'update', 'delete'],
        },
        { allow: 'private', provider: 'iam', operations: ['read'] },
        { allow: 'public', provider: 'iam', operations: ['read'] },
        { allow: 'public', provider: 'apiKey', operations: ['read'] },
      ],
    ),
    Audit: model(
      'Audit',
      'Audits',
      ['text'],
      [{ groupClaim: 'cognito:groups', provider: 'userPools', allow: 'groups', groups: ['Admin'], operations: all }],
    ),
    Memo: model(
      'Memo',
      'Memos',
      ['text', 'owner'],
      [
        { provider: 'oidc', ownerField: 'owner', allow: 'owner', identityClaim: 'sub', operations: all },
        { allow: 'private', provider: 'oidc', operations: ['read'] },
      ],
    ),
  },
  enums: {},
  nonModels: {},
  queries: {
    echo: {
      name: 'echo',
      isArray: false,
      type: 'String',
      isRequired: false,
      arguments: { text: { name: 'text', isArray: false, type: 'String', isRequired: false } },
    },
  },
}

function model(name: string, pluralName: string, fields: readonly string[], rules: readonly object[]): object {
  const field = (fieldName: string, type: string, isRequired = false, isReadOnly = false) => ({
    name: fieldName,
    isArray: false,
    type,
    isRequired,
    attributes: [],
    ...(isReadOnly && { isReadOnly }),
  })
  return {
    name,
    fields: {
      id: field('id', 'ID', true),
      ...Object.fromEntries(fields.map((f) => [f, field(f, 'String')])),
      createdAt: field('createdAt', 'AWSDateTime', false, true),
      updatedAt: field('updatedAt', 'AWSDateTime', false, true),
    },
    syncable: true,
    pluralName,
    attributes: [
      { type: 'model', properties: {} },
      { type: 'auth', properties: { rules } },
    ],
    primaryKeyInfo: { isCustomPrimaryKey: false, primaryKeyFieldName: 'id', sortKeyFieldNames: [] },
  }
}

const PASSWORD = `Local-${randomBytes(6).toString('hex')}-Pw1!`
const LIST_POSTS = '{ listPosts { items { title } } }'
const CREATE_POST = 'mutation ($title: String) { createPost(input: { title: $title }) { title } }'
const LIST_AUDITS = '{ listAudits { items { text } } }'
const ECHO = 'query Echo($text: String) { echo(text: $text) }'

const log: string[] = []
const keys = backendKeys()
let server: LocalAppSync
let pool: LocalUserPool
let oidc: TestKeys

beforeAll(async () => {
  oidc = await startTestKeys('us-east-1_OidcPool')
  server = await startLocalAppSync({
    schema: SCHEMA,
    region: REGION,
    defaultAuthMode: 'userPool',
    userPool: {
      users: [
        { username: 'alice', password: PASSWORD, groups: ['Admin'] },
        { username: 'bob', password: PASSWORD },
      ],
    },
    oidc: [oidc.config],
    backendCredentials: [{ name: 'lambda', ...keys }],
    resolvers: {
      Query: {
        echo: (_source, args) => args['text'],
        fail: () => {
          throw new Error('the resolver failed')
        },
      },
    },
    realtime: { keepAliveIntervalMs: 200, connectionTimeoutMs: 5000 },
    logger: { info: (line) => log.push(line) },
  })
  pool = server.userPool as LocalUserPool
})

afterAll(async () => {
  await server.stop()
  await oidc.stop()
})

/** What the server saw during `run`: "200 iam guest", "200 userPool bob", "401 …" (never a credential). */
async function seenBy(run: () => Promise<unknown>): Promise<string[]> {
  const from = log.length
  await run().catch(() => undefined)
  return log
    .slice(from)
    .filter((line) => line.startsWith('POST /graphql '))
    .map((line) => line.slice('POST /graphql '.length))
}

/**
 * A browser-like caller: the API key, a user pool session that signs in and out (the app's own
 * provider, marked `keepsSession`: asked on every request), and identity-pool credentials that are
 * a guest's until someone signs in.
 */
function webCaller() {
  let session: CognitoUserPoolSession | undefined
  const userPool: SessionTokenProvider = Object.assign(
    (options?: Parameters<SessionTokenProvider>[0]) =>
      session ? session(options) : Promise.reject(new NoIdentityError('userPool: nobody is signed in.')),
    { keepsSession: true as const },
  )
  const issuer = pool.issuer.replace(/^https?:\/\//, '')
  const credentials = fromCognitoIdentityPool({
    identityPoolId: server.identityPoolId ?? '',
    endpoint: server.url,
    logins: async () => {
      const tokens = await session?.currentTokens()
      return tokens ? { [issuer]: tokens.idToken } : undefined
    },
  })
  const chosen: { mode: AuthMode; reason: string }[] = []
  const client = createClient({ ...apiOptions(), userPool, credentials, apiKey: server.apiKey })
  client.on('authModeChosen', (event) => chosen.push(event))
  return {
    client,
    chosen,
    async signIn(username: string) {
      const tokens = await signInWithPassword({
        endpoint: pool.endpoint,
        clientId: pool.clientId,
        username,
        password: PASSWORD,
      })
      session = fromCognitoUserPool({ endpoint: pool.endpoint, clientId: pool.clientId, tokens })
    },
    signOut() {
      session = undefined
    },
  }
}

function apiOptions(): ClientOptions {
  return {
    endpoint: server.graphqlUrl,
    region: REGION,
    authMode: 'auto',
    apiAuthModes: ['userPool', 'iam', 'apiKey', 'oidc'],
    modelIntrospection: MODEL_INTROSPECTION,
    retry: false,
    logger: null,
  }
}

describe("authMode: 'auto' with the models' rules", () => {
  it('a guest: reads with guest IAM at the first attempt; what only users may do is a typed error, with nothing sent', async () => {
    const guest = webCaller()
    expect(await seenBy(() => guest.client.request(LIST_POSTS))).toEqual(['200 iam guest'])
    expect(guest.chosen.at(-1)).toMatchObject({
      mode: 'iam',
      reason: expect.stringContaining('Post: allow public (iam)'),
    })

    for (const document of [CREATE_POST, LIST_AUDITS]) {
      let error: unknown
      expect(await seenBy(() => guest.client.request(document).catch((e: unknown) => (error = e)))).toEqual([])
      expect(error).toBeInstanceOf(NoAuthModeAvailableError)
      const reasons = Object.fromEntries((error as NoAuthModeAvailableError).reasons.map((r) => [r.mode, r.reason]))
      // Each mode considered, and why it was not used.
      expect(reasons).toMatchObject({
        userPool: expect.stringContaining('nobody is signed in'),
        apiKey: expect.stringMatching(/^no @auth rule of (Post|Audit) allows/),
        oidc: expect.stringMatching(/^no @auth rule of (Post|Audit) allows/),
        iam: expect.stringContaining('a guest may not'),
      })
    }
  })

  it('signed-in users and group members: the user pool at the first attempt, group rules only for members', async () => {
    const caller = webCaller()
    await caller.signIn('bob')
    expect(await seenBy(() => caller.client.request(LIST_POSTS))).toEqual(['200 userPool bob'])
    expect(await seenBy(() => caller.client.request(CREATE_POST, { title: 'by bob' }))).toEqual(['200 userPool bob'])
    expect(caller.chosen.at(-1)?.reason).toMatch(/Post: allow owner \(userPools\) for create \(createPost\); bob$/)
    // bob is not in Admin, and no other mode may read audits: nothing is sent.
    const denied = await outcome(caller.client.request(LIST_AUDITS))
    expect(denied).toMatchObject({ ok: false, code: 'ERR_NO_AUTH_MODE' })

    const admin = webCaller()
    await admin.signIn('alice')
    expect(await seenBy(() => admin.client.request(LIST_AUDITS))).toEqual(['200 userPool alice'])
    expect(admin.chosen.at(-1)?.reason).toContain('Audit: allow groups [Admin] (userPools)')
  })

  it('an OIDC user and a backend: their one mode, at the first attempt', async () => {
    const token = await oidc.sign({
      sub: 'olga-sub',
      'cognito:username': 'olga',
      exp: Math.floor(Date.now() / 1000) + 600,
    })
    const olga = createClient({ ...apiOptions(), oidc: token })
    expect(await seenBy(() => olga.request('mutation { createMemo(input: { text: "hi" }) { text } }'))).toEqual([
      '200 oidc olga',
    ])
    expect(await seenBy(() => olga.request('{ listMemos { items { text } } }'))).toEqual(['200 oidc olga'])

    const backend = createClient({ ...apiOptions(), credentials: keys, apiKey: server.apiKey })
    for (const document of [LIST_POSTS, CREATE_POST, LIST_AUDITS])
      expect(
        await seenBy(() => backend.request(document, document === CREATE_POST ? { title: 'from the backend' } : {})),
      ).toEqual(['200 iam backend lambda'])
  })

  it('a validation error and a resolver error are returned after exactly one attempt', async () => {
    const caller = webCaller()
    await caller.signIn('bob')
    const invalid = await seenBy(() => caller.client.request('{ listPosts { nope } }'))
    expect(invalid).toHaveLength(1)
    expect(await outcome(caller.client.request('{ listPosts { nope } }'))).toMatchObject({
      ok: false,
      code: 'ERR_GRAPHQL',
    })
    // `fail` has no rules (a custom query): the user pool first, which it allows; its resolver throws.
    expect(await seenBy(() => caller.client.request('{ fail }'))).toEqual(['200 userPool bob errors: error'])
    expect(await outcome(caller.client.request('{ fail }'))).toMatchObject({ ok: false, code: 'ERR_GRAPHQL' })
  })
})

describe("authMode: 'auto' without rules (a custom query)", () => {
  it('learns the mode after one fallback, then goes there first; forgets it when the identity changes', async () => {
    const caller = webCaller()
    await caller.signIn('bob')
    // `echo` allows the API key and IAM, not the user pool: refused once, then signed-in IAM.
    const first = await seenBy(() => caller.client.request(ECHO, { text: 'a' }))
    expect(first).toEqual(['200 userPool bob errors: Unauthorized', '200 iam authenticated'])
    expect(await caller.client.request(ECHO, { text: 'b' })).toEqual({ echo: 'b' })
    expect(await seenBy(() => caller.client.request(ECHO, { text: 'c' }))).toEqual(['200 iam authenticated'])

    // Another user: nothing learned for bob is used for alice.
    await caller.signIn('alice')
    expect(await seenBy(() => caller.client.request(ECHO, { text: 'd' }))).toEqual([
      '200 userPool alice errors: Unauthorized',
      '200 iam authenticated',
    ])
    // Signed out: guest IAM, at once (the user pool has no identity).
    caller.signOut()
    expect(await seenBy(() => caller.client.request(ECHO, { text: 'e' }))).toEqual(['200 iam guest'])
  })
})

describe("authMode: 'auto' follows sign-in and sign-out between calls", () => {
  it('requests switch mode with no stale choice; a live subscription moves with them', async () => {
    const caller = webCaller()
    expect(await seenBy(() => caller.client.request(LIST_POSTS))).toEqual(['200 iam guest'])

    let reconnected = 0
    const onPost = subscribe<{ onCreatePost: { title: string } }>(
      caller.client,
      'subscription { onCreatePost { title } }',
      {},
      {
        authMode: 'auto',
        onReconnected: () => {
          reconnected++
        },
      },
    )
    await onPost.ready
    const modesOfSubscription = () => caller.chosen.filter((c) => c.reason.includes('onCreatePost')).map((c) => c.mode)
    expect(modesOfSubscription().at(-1)).toBe('iam')

    await caller.signIn('bob')
    expect(await seenBy(() => caller.client.request(LIST_POSTS))).toEqual(['200 userPool bob'])
    // The subscription was started again, now as bob.
    await expect.poll(() => reconnected, { timeout: 5000 }).toBe(1)
    expect(modesOfSubscription().at(-1)).toBe('userPool')
    // Live as bob: his own new post reaches him.
    const iterator = onPost[Symbol.asyncIterator]()
    await caller.client.request(CREATE_POST, { title: 'by bob, live' })
    expect((await iterator.next()).value).toEqual({ onCreatePost: { title: 'by bob, live' } })

    // Signed out, with no call at all: a keep-alive is when auto looks again.
    caller.signOut()
    await expect.poll(() => reconnected, { timeout: 5000 }).toBe(2)
    expect(modesOfSubscription().at(-1)).toBe('iam')
    expect(await seenBy(() => caller.client.request(LIST_POSTS))).toEqual(['200 iam guest'])
    onPost.unsubscribe()
  })
})
