// The attack suite: forged, unsigned, expired and foreign tokens; expired, unknown and revoked API
// keys; SigV4 with a wrong secret, a changed body, an old signature, expired or unknown
// credentials, a signed payload hash standing in for the body, or UNSIGNED-PAYLOAD; users reaching
// for other users' items; and the cases of issue 13's outside audit (filters and conditions on
// unreadable fields, the payload hash, a JWT without exp, a second user on another's identity, a
// username spelling another's owner value, static groups on lists), named by finding. Every
// attempt is rejected and leaves the store exactly as it was. Attacks on the wire are hand-built
// where a correct client cannot make them; the rest go through @authmode/node clients. No secret
// is printed.
import { createHash, randomUUID } from 'node:crypto'
import { generateKeyPair, SignJWT, decodeProtectedHeader } from 'jose'
import aws4 from 'aws4'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Client } from '@authmode/node'
import { startLocalAppSync, type LocalAppSync, type StoreSnapshot } from '@authmode/local'
import {
  REGION,
  TestClock,
  backendKeys,
  client,
  createExtraPool,
  issue,
  outcome,
  signInWithClient,
  startTestKeys,
  startUserPool,
  userPoolConfig,
  type TestKeys,
  type UserPool,
} from './helpers'

const SCHEMA = /* GraphQL */ `
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
  type Note
    @model
    @auth(
      rules: [
        { allow: owner }
        { allow: private, operations: [read, update] }
        { allow: private, provider: iam, operations: [read, update] }
        { allow: public, operations: [read] }
      ]
    ) {
    id: ID!
    title: String
    secret: String @auth(rules: [{ allow: owner }])
  }
  type Vault @model @auth(rules: [{ allow: groups, groups: ["Admin"] }]) {
    id: ID!
    text: String
  }
`
const clock = new TestClock()
const backend = backendKeys()
let pool: UserPool
let keys: TestKeys
let server: LocalAppSync
let alice: Client
let bob: Client
let aliceTodo: { id: string; owner: string }
let alicePost: { id: string; author: string }
let bobOwner: string
let aliceNote: { id: string }
let legacyTodo: { id: string }
let before: StoreSnapshot

const unauthorized = { ok: false, code: 'ERR_UNAUTHORIZED', errorTypes: [], status: 401 }
const denied = { ok: false, code: 'ERR_GRAPHQL', errorTypes: ['Unauthorized'] }
const TODO = 'query ($id: ID!) { getTodo(id: $id) { id text owner } }'

beforeAll(async () => {
  pool = await startUserPool([{ username: 'alice' }, { username: 'bob' }, { username: 'admin', groups: ['Admin'] }])
  keys = await startTestKeys('us-east-1_TestKeys1')
  server = await startLocalAppSync({
    schema: SCHEMA,
    clock,
    userPools: [userPoolConfig(pool.cognito), keys.config],
    backendCredentials: [{ name: 'lambda', ...backend }],
  })
  alice = client(server, 'userPool', { userPool: await pool.idToken('alice') })
  bob = client(server, 'userPool', { userPool: await pool.idToken('bob') })
  aliceTodo = (
    await alice.request<{ createTodo: { id: string; owner: string } }>(
      'mutation { createTodo(input: { text: "alice only" }) { id owner } }',
    )
  ).createTodo
  alicePost = (
    await alice.request<{ createPost: { id: string; author: string } }>(
      'mutation { createPost(input: { title: "by alice" }) { id author } }',
    )
  ).createPost
  bobOwner = (
    await bob.request<{ createTodo: { owner: string } }>('mutation { createTodo(input: { text: "bob" }) { owner } }')
  ).createTodo.owner
  aliceNote = (
    await alice.request<{ createNote: { id: string } }>(
      'mutation { createNote(input: { title: "diary", secret: "s3cret-alice" }) { id } }',
    )
  ).createNote
  // Written in the legacy owner form (a plain username), as records made before `sub::username`.
  legacyTodo = (
    await client(server, 'iam', { credentials: backend }).request<{ createTodo: { id: string } }>(
      'mutation { createTodo(input: { text: "legacy", owner: "alice" }) { id } }',
    )
  ).createTodo
  await client(server, 'userPool', { userPool: await pool.idToken('admin') }).request(
    'mutation { createVault(input: { text: "admins only" }) { id } }',
  )
  before = server.store.snapshot()
})

afterEach(() => {
  // Every attack leaves the data as it was; the clock goes back to real time.
  clock.offsetMs = 0
  expect(server.store.snapshot()).toEqual(before)
})

afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
  await (keys as TestKeys | undefined)?.stop()
  await (pool as UserPool | undefined)?.stop()
})

/** A user pool client whose "token" is whatever the attacker made. */
const withToken = (token: string): Client => client(server, 'userPool', { userPool: token })
const UPDATE_TODO = 'mutation ($id: ID!) { updateTodo(input: { id: $id, text: "pwned" }) { id } }'

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

describe('JWTs', () => {
  it('a real token whose claims were changed (forged signature) is rejected', async () => {
    const [header, payload, signature] = (await pool.idToken('bob')).split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>
    const forged = `${header!}.${b64url({ ...claims, 'cognito:groups': ['Admin'], sub: aliceTodo.owner.split('::')[0], 'cognito:username': 'alice' })}.${signature!}`
    expect(await outcome(withToken(forged).request(UPDATE_TODO, { id: aliceTodo.id }))).toEqual(unauthorized)
  })

  it('a token signed with another key under the pool’s key id is rejected', async () => {
    const real = await pool.idToken('alice')
    const claims = JSON.parse(Buffer.from(real.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>
    const { privateKey } = await generateKeyPair('RS256')
    const forged = await new SignJWT({ ...claims, 'cognito:groups': ['Admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(real).kid ?? 'CognitoLocal' })
      .sign(privateKey)
    expect(
      await outcome(
        withToken(forged).request('mutation ($id: ID!) { deletePost(input: { id: $id }) { id } }', {
          id: alicePost.id,
        }),
      ),
    ).toEqual(unauthorized)
  })

  it('alg: none and HS256 tokens are rejected', async () => {
    const claims = JSON.parse(
      Buffer.from((await pool.idToken('alice')).split('.')[1]!, 'base64url').toString('utf8'),
    ) as object
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, 'cognito:groups': ['Admin'] })}.`
    expect(await outcome(withToken(none).request(UPDATE_TODO, { id: aliceTodo.id }))).toEqual(unauthorized)
    const hs256 = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(32)))
    expect(await outcome(withToken(hs256).request(UPDATE_TODO, { id: aliceTodo.id }))).toEqual(unauthorized)
  })

  it('an expired token is rejected (the server’s clock is a day ahead)', async () => {
    const token = await pool.idToken('alice')
    clock.advance(25 * 60 * 60 * 1000)
    expect(await outcome(withToken(token).request(UPDATE_TODO, { id: aliceTodo.id }))).toEqual(unauthorized)
  })

  it('a token from another user pool is rejected', async () => {
    const other = await createExtraPool(pool.cognito, ['mallory'])
    expect(await outcome(withToken(await other.idToken('mallory')).request(TODO, { id: aliceTodo.id }))).toEqual(
      unauthorized,
    )
  })

  it('a token issued to another app client of the same pool is rejected', async () => {
    const app = await pool.cognito.call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
      UserPoolId: pool.cognito.userPoolId,
      ClientName: 'not-this-api',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    })
    const token = await signInWithClient(pool.cognito, app.UserPoolClient.ClientId, 'alice', pool.password('alice'))
    expect(await outcome(withToken(token).request(UPDATE_TODO, { id: aliceTodo.id }))).toEqual(unauthorized)
  })
})

describe('API keys', () => {
  const CREATE_POST = 'mutation { createPost(input: { title: "spam" }) { id } }'
  const LIST = '{ listPosts { items { id } } }'

  it('a key that never existed is rejected', async () => {
    expect(await outcome(client(server, 'apiKey', { apiKey: 'da2-thiskeywasneverissued0000' }).request(LIST))).toEqual(
      unauthorized,
    )
  })

  it('an expired key is rejected; a key that expires in 30 days by default still works', async () => {
    const short = server.apiKeys!.create({ expires: new Date(clock.now() + 60_000) })
    const normal = server.apiKeys!.create()
    expect(normal.expires.getTime() - clock.now()).toBeGreaterThan(29.9 * 24 * 60 * 60 * 1000)
    await expect(client(server, 'apiKey', { apiKey: short.key }).request(LIST)).resolves.toHaveProperty('listPosts')
    clock.advance(2 * 60_000)
    expect(await outcome(client(server, 'apiKey', { apiKey: short.key }).request(LIST))).toEqual(unauthorized)
    await expect(client(server, 'apiKey', { apiKey: normal.key }).request(LIST)).resolves.toHaveProperty('listPosts')
    expect(await outcome(client(server, 'apiKey', { apiKey: normal.key }).request(CREATE_POST))).toEqual(denied)
    server.apiKeys!.revoke(normal.id)
    server.apiKeys!.revoke(short.id)
  })

  it('a revoked key is rejected at once (rotation)', async () => {
    const old = server.apiKeys!.create()
    const next = server.apiKeys!.create()
    expect(server.apiKeys!.revoke(old.key)).toBe(true)
    expect(await outcome(client(server, 'apiKey', { apiKey: old.key }).request(LIST))).toEqual(unauthorized)
    await expect(client(server, 'apiKey', { apiKey: next.key }).request(LIST)).resolves.toHaveProperty('listPosts')
    server.apiKeys!.revoke(next.id)
  })
})

/** A SigV4 request made by hand with aws4 (a correct client cannot make these). */
async function signedPost(
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined },
  options: {
    body?: string
    sendBody?: string
    date?: Date
    service?: string
    headers?: Record<string, string>
  } = {},
): Promise<{ status: number; errorType: string | null; message: string; date: string | null }> {
  const url = new URL(server.graphqlUrl)
  const body = options.body ?? JSON.stringify({ query: '{ listTodos { items { id } } }' })
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8', ...options.headers }
  if (options.date) headers['X-Amz-Date'] = options.date.toISOString().replace(/[:-]|\.\d{3}/g, '')
  const signed = aws4.sign(
    {
      host: url.host,
      path: url.pathname,
      method: 'POST',
      headers,
      body,
      service: options.service ?? 'appsync',
      region: REGION,
    },
    {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
  )
  const sent: Record<string, string> = {}
  for (const [name, value] of Object.entries(signed.headers ?? {})) {
    if (!['host', 'content-length'].includes(name.toLowerCase())) sent[name] = String(value)
  }
  const response = await fetch(url, { method: 'POST', headers: sent, body: options.sendBody ?? body })
  const json = (await response.json()) as { errors?: { errorType?: string; message?: string }[] }
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    message: json.errors?.[0]?.message ?? '',
    date: response.headers.get('date'),
  }
}

describe('SigV4', () => {
  it('the signature is verified: a correctly signed hand-built request passes (control)', async () => {
    expect(await signedPost(backend)).toMatchObject({ status: 200 })
  })

  it('a wrong secret is rejected', async () => {
    const wrong = client(server, 'iam', {
      credentials: { accessKeyId: backend.accessKeyId, secretAccessKey: 'wrong'.repeat(8) },
    })
    expect(await outcome(wrong.request(UPDATE_TODO, { id: aliceTodo.id }))).toMatchObject({
      ok: false,
      code: 'ERR_HTTP',
      status: 403,
    })
    expect(await signedPost({ ...backend, secretAccessKey: 'x'.repeat(40) })).toMatchObject({
      status: 403,
      errorType: 'InvalidSignatureException',
    })
  })

  it('a body changed after signing is rejected', async () => {
    const body = JSON.stringify({ query: '{ listTodos { items { id } } }' })
    const changed = JSON.stringify({
      query: `mutation { deleteTodo(input: { id: "${aliceTodo.id}" }) { id } }`,
    })
    // Of the same length, so that the signed content-length does not give the change away.
    const answer = await signedPost(backend, { body: body.padEnd(changed.length), sendBody: changed })
    expect(answer).toMatchObject({ status: 403, errorType: 'InvalidSignatureException' })
    expect(answer.message).toMatch(/signature we calculated does not match/)
  })

  it('a signature older than 5 minutes is rejected with the server’s time, as AppSync does', async () => {
    const answer = await signedPost(backend, {
      body: JSON.stringify({ query: `mutation { deleteTodo(input: { id: "${aliceTodo.id}" }) { id } }` }),
      date: new Date(clock.now() - 6 * 60_000),
    })
    expect(answer).toMatchObject({ status: 403, errorType: 'InvalidSignatureException' })
    expect(answer.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    )
    expect(Math.abs(Date.parse(answer.date ?? '') - clock.now())).toBeLessThan(2000)
  })

  it('expired temporary credentials are rejected', async () => {
    const credentials = issue(server.credentials, 'authenticated', { sub: 'x' }, 60)
    clock.advance(2 * 60_000)
    expect(await outcome(client(server, 'iam', { credentials }).request('{ listTodos { items { id } } }'))).toEqual(
      unauthorized,
    )
  })

  it('unknown access keys, a wrong session token, or the wrong service name are rejected', async () => {
    expect(await signedPost(backendKeys())).toMatchObject({ status: 401, errorType: 'UnauthorizedException' })
    const issued = issue(server.credentials, 'authenticated', { sub: 'x' })
    expect(await signedPost({ ...issued, sessionToken: 'not-the-token' })).toMatchObject({ status: 401 })
    expect(await signedPost({ ...issued, sessionToken: undefined })).toMatchObject({ status: 401 })
    expect(await signedPost(backend, { service: 'appsync-api' })).toMatchObject({
      status: 403,
      errorType: 'InvalidSignatureException',
    })
  })
})

describe('SigV4 payload (issue 13 #9)', () => {
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')
  const listing = JSON.stringify({ query: '{ listTodos { items { id } } }' })

  it('issue 13 #9: a signed x-amz-content-sha256 does not stand in for the body: signed over body A, sent with body B → refused', async () => {
    const deleting = JSON.stringify({ query: `mutation { deleteTodo(input: { id: "${aliceTodo.id}" }) { id } }` })
    // Of the same length, so that the signed content-length does not give the change away.
    const padded = listing.padEnd(deleting.length)
    const answer = await signedPost(backend, {
      body: padded,
      sendBody: deleting,
      headers: { 'X-Amz-Content-Sha256': sha256(padded) },
    })
    expect(answer).toMatchObject({ status: 403, errorType: 'InvalidSignatureException' })
    // The same header over the body actually sent is accepted (control).
    expect(
      await signedPost(backend, { body: listing, headers: { 'X-Amz-Content-Sha256': sha256(listing) } }),
    ).toMatchObject({ status: 200 })
  })

  it('issue 13 #9: UNSIGNED-PAYLOAD is refused (AppSync signs bodies), even over the body sent', async () => {
    const answer = await signedPost(backend, { body: listing, headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } })
    expect(answer).toMatchObject({ status: 403, errorType: 'InvalidSignatureException' })
  })
})

describe('other users’ items', () => {
  it('reading another user’s owner-protected item is denied, and lists leave it out', async () => {
    expect(await outcome(bob.request(TODO, { id: aliceTodo.id }))).toEqual(denied)
    const list = await bob.request<{ listTodos: { items: { id: string }[] } }>('{ listTodos { items { id } } }')
    expect(list.listTodos.items.map((i) => i.id)).not.toContain(aliceTodo.id)
  })

  it('updating or deleting another user’s item is denied', async () => {
    expect(await outcome(bob.request(UPDATE_TODO, { id: aliceTodo.id }))).toEqual(denied)
    expect(
      await outcome(bob.request('mutation ($id: ID!) { deleteTodo(input: { id: $id }) { id } }', { id: aliceTodo.id })),
    ).toEqual(denied)
    expect(
      await outcome(
        bob.request('mutation ($id: ID!) { updatePost(input: { id: $id, title: "mine now" }) { id } }', {
          id: alicePost.id,
        }),
      ),
    ).toEqual(denied)
  })

  it('taking over an item by setting oneself as its owner is denied', async () => {
    expect(
      await outcome(
        bob.request('mutation ($id: ID!, $me: String) { updateTodo(input: { id: $id, owner: $me }) { id } }', {
          id: aliceTodo.id,
          me: bobOwner,
        }),
      ),
    ).toEqual(denied)
  })

  it('creating an item with someone else as its owner is denied', async () => {
    expect(
      await outcome(
        alice.request('mutation ($o: String) { createTodo(input: { text: "framed", owner: $o }) { id } }', {
          o: bobOwner,
        }),
      ),
    ).toEqual(denied)
    expect(
      await outcome(
        bob.request('mutation ($a: String) { createPost(input: { title: "as alice", author: $a }) { id } }', {
          a: alicePost.author,
        }),
      ),
    ).toEqual(denied)
  })

  it('a non-member cannot use a group rule (Admin-only delete)', async () => {
    expect(
      await outcome(bob.request('mutation ($id: ID!) { deletePost(input: { id: $id }) { id } }', { id: alicePost.id })),
    ).toEqual(denied)
    expect(
      await outcome(
        alice.request('mutation ($id: ID!) { deletePost(input: { id: $id }) { id } }', { id: alicePost.id }),
      ),
    ).toEqual(denied)
  })
})

/** One call to the identity-pool endpoint of the same server, as the AWS SDK makes it. */
async function identityPool(
  operation: 'GetId' | 'GetCredentialsForIdentity',
  body: Record<string, unknown>,
): Promise<{ status: number; type: string | null; message: string; identityId: unknown; issued: boolean }> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityService.${operation}`,
    },
    body: JSON.stringify(body),
  })
  const json = (await response.json()) as { message?: string; IdentityId?: unknown; Credentials?: unknown }
  return {
    status: response.status,
    type: response.headers.get('x-amzn-errortype'),
    message: json.message ?? '',
    identityId: json.IdentityId,
    issued: json.Credentials !== undefined,
  }
}

describe('issue 13 (outside audit): @authmode/local as strict as AppSync', () => {
  const NOTES = 'query ($filter: ModelNoteFilterInput) { listNotes(filter: $filter) { items { id } } }'
  const ids = (data: unknown): string[] =>
    (data as { listNotes: { items: { id: string }[] } }).listNotes.items.map((item) => item.id)

  it('issue 13 #8: a list filter on a field the caller may not read is Unauthorized, never an oracle for its value', async () => {
    const byKey = client(server, 'apiKey', { apiKey: server.apiKey! })
    // The API key reads the note, but its secret is the owner's only: null and Unauthorized.
    expect(
      await outcome(byKey.request('query ($id: ID!) { getNote(id: $id) { title secret } }', { id: aliceNote.id })),
    ).toEqual(denied)
    // Filtering on it is refused as a whole, however the filter is nested.
    for (const filter of [
      { secret: { beginsWith: 's3' } },
      { title: { eq: 'diary' }, secret: { eq: 's3cret-alice' } },
      { or: [{ title: { eq: 'nothing' } }, { secret: { contains: 'alice' } }] },
      { not: { secret: { beginsWith: 'x' } } },
    ]) {
      expect(await outcome(byKey.request(NOTES, { filter }))).toEqual(denied)
    }
    // A filter on readable fields still works for the key; the owner may filter on her secret.
    expect(ids(await byKey.request(NOTES, { filter: { title: { eq: 'diary' } } }))).toContain(aliceNote.id)
    expect(ids(await alice.request(NOTES, { filter: { secret: { beginsWith: 's3' } } }))).toContain(aliceNote.id)
    // Bob reads the note (private read) but not its secret: no filter on the secret ever matches it.
    expect(ids(await bob.request(NOTES, { filter: { title: { eq: 'diary' } } }))).toContain(aliceNote.id)
    for (const filter of [{ secret: { beginsWith: 's3' } }, { not: { secret: { beginsWith: 's3' } } }]) {
      expect(ids(await bob.request(NOTES, { filter }))).not.toContain(aliceNote.id)
    }
  })

  it('issue 13 #8: a mutation condition on a field the caller may not read is Unauthorized, never an oracle for its value', async () => {
    const UPDATE =
      'mutation ($id: ID!, $c: ModelNoteConditionInput) { updateNote(input: { id: $id, title: "diary" }, condition: $c) { id } }'
    const DELETE =
      'mutation ($id: ID!, $c: ModelNoteConditionInput) { deleteNote(input: { id: $id }, condition: $c) { id } }'
    const signedInIam = client(server, 'iam', { credentials: issue(server.credentials, 'authenticated', { sub: 'x' }) })
    const failed = { ok: false, code: 'ERR_GRAPHQL', errorTypes: ['DynamoDB:ConditionalCheckFailedException'] }
    // Bob and signed-in IAM callers may update the note but not read its secret (IAM never can):
    // a condition on it is refused whether it matches or not.
    for (const c of [
      { secret: { beginsWith: 's3' } },
      { secret: { beginsWith: 'zz' } },
      { or: [{ title: { eq: 'x' } }, { secret: { contains: 'alice' } }] },
      { not: { secret: { eq: 'x' } } },
    ]) {
      for (const caller of [bob, signedInIam]) {
        expect(await outcome(caller.request(UPDATE, { id: aliceNote.id, c }))).toEqual(denied)
      }
    }
    // A condition on a field they may read is evaluated (it does not match here: nothing is written),
    // and so is the owner's on her secret.
    expect(await outcome(bob.request(UPDATE, { id: aliceNote.id, c: { title: { eq: 'other' } } }))).toEqual(failed)
    expect(await outcome(alice.request(UPDATE, { id: aliceNote.id, c: { secret: { eq: 'wrong' } } }))).toEqual(failed)
    expect(await outcome(alice.request(DELETE, { id: aliceNote.id, c: { secret: { eq: 'wrong' } } }))).toEqual(failed)
  })

  it('issue 13 #10: a user pool JWT without exp is rejected (Cognito never issues one)', async () => {
    const claims = { sub: randomUUID(), 'cognito:username': 'noexp' }
    const LIST = '{ listPosts { items { id } } }'
    // Control: the same key and claims with an exp are accepted.
    const withExp = await keys.sign({ ...claims, exp: Math.floor(clock.now() / 1000) + 600 })
    await expect(withToken(withExp).request(LIST)).resolves.toHaveProperty('listPosts')
    expect(await outcome(withToken(await keys.sign(claims)).request(LIST))).toEqual(unauthorized)
  })

  it('issue 13 #11: the identity pool binds an identity to its login: Bob’s logins do not get Alice’s identity', async () => {
    const provider = pool.cognito.issuer.replace(/^https:\/\//, '')
    const IdentityPoolId = server.identityPoolId!
    const aliceLogins = { [provider]: await pool.idToken('alice') }
    const bobLogins = { [provider]: await pool.idToken('bob') }
    const { identityId } = await identityPool('GetId', { IdentityPoolId, Logins: aliceLogins })
    expect(
      await identityPool('GetCredentialsForIdentity', { IdentityId: identityId, Logins: aliceLogins }),
    ).toMatchObject({ status: 200, issued: true })
    // Bob, who never asked for an identity of his own, presents his logins with Alice's identity id.
    expect(await identityPool('GetCredentialsForIdentity', { IdentityId: identityId, Logins: bobLogins })).toEqual({
      status: 400,
      type: 'NotAuthorizedException',
      message: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
      identityId: undefined,
      issued: false,
    })
    // Nothing was linked: Bob gets an identity of his own, Alice keeps hers.
    const bobs = await identityPool('GetId', { IdentityPoolId, Logins: bobLogins })
    expect(bobs).toMatchObject({ status: 200 })
    expect(bobs.identityId).not.toBe(identityId)
    expect(
      await identityPool('GetCredentialsForIdentity', { IdentityId: identityId, Logins: aliceLogins }),
    ).toMatchObject({ status: 200, issued: true })
  })

  it('issue 13 #12: a username equal to another user’s stored <sub>::<username> owner does not own their items; legacy plain owners still match', async () => {
    // Cognito usernames may contain "::": Mallory signs up with Alice's stored owner value as her username.
    const password = `Pw-${randomUUID()}-aA1!`
    await pool.cognito.createUser(aliceTodo.owner, password)
    const mallory = withToken((await pool.cognito.signIn(aliceTodo.owner, password)).idToken)
    expect(await outcome(mallory.request(TODO, { id: aliceTodo.id }))).toEqual(denied)
    expect(await outcome(mallory.request(UPDATE_TODO, { id: aliceTodo.id }))).toEqual(denied)
    const listed = await mallory.request<{ listTodos: { items: { id: string }[] } }>('{ listTodos { items { id } } }')
    expect(listed.listTodos.items.map((i) => i.id)).not.toContain(aliceTodo.id)
    // Alice still owns both her item and the one stored in the legacy form (`owner: "alice"`).
    await expect(alice.request(TODO, { id: aliceTodo.id })).resolves.toMatchObject({ getTodo: { id: aliceTodo.id } })
    await expect(alice.request(TODO, { id: legacyTodo.id })).resolves.toEqual({
      getTodo: { id: legacyTodo.id, text: 'legacy', owner: 'alice' },
    })
    expect(await outcome(bob.request(TODO, { id: legacyTodo.id }))).toEqual(denied)
  })

  it('issue 13 #13: a signed-in user outside the only allowed group gets Unauthorized for listX, not an empty list', async () => {
    const LIST = '{ listVaults { items { text } } }'
    const admin = withToken(await pool.idToken('admin'))
    await expect(admin.request(LIST)).resolves.toEqual({ listVaults: { items: [{ text: 'admins only' }] } })
    expect(await outcome(bob.request(LIST))).toEqual(denied)
    expect(await outcome(bob.request('{ getVault(id: "no-such-id") { id } }'))).toEqual(denied)
  })
})
