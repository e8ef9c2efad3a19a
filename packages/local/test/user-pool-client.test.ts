// Signing in locally is one option and a few lines: @authmode/node's signInWithPassword and
// fromCognitoUserPool against the local user pool (app clients with and without rotation and a
// secret; sessions refresh with GetTokensFromRefreshToken), the API accepting its tokens and enforcing group rules with
// `cognito:groups`, the identity pool accepting its ID token as a login, and the attacks: a
// tampered token, a token of another pool, a token signed with another key, an expired token.
import { decodeJwt, generateKeyPair, SignJWT, decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  fromCognitoIdentityPool,
  fromCognitoUserPool,
  signInWithPassword,
  signOut,
  SignInError,
  TokenRefreshError,
  type Client,
  type CognitoTokens,
} from '@authmode/node'
import { startLocalAppSync, type LocalAppSync, type LocalUserPool } from '@authmode/local'
import { REGION, TestClock, outcome } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Post
    @model
    @auth(
      rules: [
        { allow: owner, ownerField: "author", operations: [create, read, update] }
        { allow: groups, groups: ["Admin"], operations: [read, update, delete] }
      ]
    ) {
    id: ID!
    title: String!
    author: String
  }
`
const PASSWORD = 'Local-Passw0rd!'
const USERS = [
  { username: 'alice', password: PASSWORD, groups: ['Admin'] },
  { username: 'bob', password: PASSWORD },
  { username: 'carol', password: PASSWORD },
]

const clock = new TestClock()
let server: LocalAppSync
let pool: LocalUserPool
let other: LocalAppSync

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    clock,
    apiKeys: false,
    userPool: {
      users: USERS,
      clients: [{}, { clientSecret: true }, { refreshTokenRotation: { retryGracePeriodSeconds: 0 } }],
    },
  })
  pool = server.userPool as LocalUserPool
  // Another local endpoint whose pool has the same id: its tokens name another issuer (port).
  other = await startLocalAppSync({
    schema: SCHEMA,
    apiKeys: false,
    userPool: { userPoolId: pool.userPoolId, users: USERS, clients: [{ clientId: pool.clientId }] },
  })
})

afterAll(async () => {
  await Promise.all([server.stop(), other.stop()])
})

function signIn(username: string, at: LocalAppSync = server): Promise<CognitoTokens> {
  const local = at.userPool as LocalUserPool
  return signInWithPassword({ endpoint: local.endpoint, clientId: local.clientId, username, password: PASSWORD })
}

function api(token: string): Client {
  return createClient({
    endpoint: server.graphqlUrl,
    authMode: 'userPool',
    userPool: token,
    retry: false,
    logger: null,
  })
}

const CREATE = 'mutation($title: String!) { createPost(input: { title: $title }) { id author } }'
const UPDATE = 'mutation($id: ID!, $title: String!) { updatePost(input: { id: $id, title: $title }) { id title } }'

describe('signing in locally', () => {
  // Issue 19: clientId, region and endpoint need not be repeated: one pool configuration object,
  // spread into both (the types accept it under the project's strict settings).
  it('one pool configuration object serves signInWithPassword and fromCognitoUserPool', async () => {
    const userPoolConfig = { clientId: pool.clientId, region: REGION, endpoint: pool.endpoint } as const
    const tokens = await signInWithPassword({ ...userPoolConfig, username: 'carol', password: PASSWORD })
    const session = fromCognitoUserPool({ ...userPoolConfig, tokens })
    const client = createClient({ endpoint: server.graphqlUrl, userPool: session, retry: false, logger: null })
    const created = await client.request<{ createPost: { author: string } }>(CREATE, { title: 'One config' })
    expect(created.createPost.author).toBe(`${decodeJwt(tokens.idToken).sub ?? ''}::carol`)
  })

  it('signInWithPassword + fromCognitoUserPool: requests carry the ID token; a refresh (GetTokensFromRefreshToken) happens ahead of its exp, and signOut revokes the refresh token', async () => {
    // Ids made as Cognito makes them when none are given.
    expect(pool.userPoolId).toMatch(new RegExp(`^${REGION}_[A-Z][0-9A-Za-z]{8}$`))
    expect(pool.clientId).toMatch(/^[a-z0-9]{26}$/)
    const tokens = await signIn('bob')
    const session = fromCognitoUserPool({ clientId: pool.clientId, endpoint: pool.endpoint, tokens })
    const client = createClient({
      endpoint: server.graphqlUrl,
      authMode: 'userPool',
      userPool: session,
      clock,
      retry: false,
      logger: null,
    })
    const created = await client.request<{ createPost: { id: string; author: string } }>(CREATE, { title: 'Hi' })
    expect(created.createPost.author).toBe(`${decodeJwt(tokens.idToken).sub ?? ''}::bob`)

    const before = pool.handler.counts()
    clock.advance(56 * 60_000) // within the 5 minutes before exp: the session refreshes first
    try {
      await client.request(UPDATE, { id: created.createPost.id, title: 'Hi again' })
      const held = await session.currentTokens()
      expect(pool.handler.counts()).toMatchObject({
        GetTokensFromRefreshToken: before.GetTokensFromRefreshToken + 1,
        InitiateAuth: before.InitiateAuth,
      })
      expect(held?.idToken).not.toBe(tokens.idToken)
      expect(held?.refreshToken).toBe(tokens.refreshToken) // no rotation: the same refresh token
      expect(decodeJwt(held?.idToken ?? '').exp).toBeGreaterThan(Math.floor(clock.now() / 1000) + 3000)
    } finally {
      clock.advance(-56 * 60_000)
    }

    await signOut(session)
    const refused = await fetch(pool.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
      },
      body: JSON.stringify({ ClientId: pool.clientId, RefreshToken: tokens.refreshToken }),
    })
    expect(await refused.json()).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    })
  })

  it('an app client with a secret: sign-in and refresh send SECRET_HASH (never the secret)', async () => {
    const app = pool.clients[1]
    const clientId = app?.clientId ?? ''
    const clientSecret = app?.clientSecret ?? ''
    expect(clientSecret).not.toBe('')
    const tokens = await signInWithPassword({
      endpoint: pool.endpoint,
      clientId,
      clientSecret,
      username: 'carol',
      password: PASSWORD,
    })
    const session = fromCognitoUserPool({ clientId, clientSecret, endpoint: pool.endpoint, tokens, clock })
    clock.advance(56 * 60_000)
    try {
      const { token } = await session()
      expect(token).not.toBe(tokens.idToken)
      expect(decodeJwt(token)['cognito:username']).toBe('carol')
    } finally {
      clock.advance(-56 * 60_000)
    }
    const missing = await signInWithPassword({
      endpoint: pool.endpoint,
      clientId,
      username: 'carol',
      password: PASSWORD,
    }).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(SignInError)
    expect((missing as SignInError).message).toContain('SECRET_HASH was not received')
    expect((missing as SignInError).message).not.toContain(clientSecret)
  })

  it('an app client with rotation (grace 0): each refresh stores a new refresh token; the rotated-out one ends the session that reuses it', async () => {
    const clientId = pool.clients[2]?.clientId ?? ''
    const tokens = await signInWithPassword({ endpoint: pool.endpoint, clientId, username: 'bob', password: PASSWORD })
    const session = fromCognitoUserPool({ clientId, endpoint: pool.endpoint, tokens, clock })
    const before = pool.handler.counts()
    const seen = new Set([tokens.refreshToken])
    for (let i = 0; i < 5; i++) {
      const { token } = await session({ forceRefresh: true })
      const held = await session.currentTokens()
      expect(held?.idToken).toBe(token)
      expect(seen.has(held?.refreshToken)).toBe(false)
      seen.add(held?.refreshToken)
    }
    expect(pool.handler.counts()).toMatchObject({
      GetTokensFromRefreshToken: before.GetTokensFromRefreshToken + 5,
      InitiateAuth: before.InitiateAuth,
    })
    // The token the session had at sign-in, rotated out: refused, and that session is over.
    const stale = fromCognitoUserPool({ clientId, endpoint: pool.endpoint, tokens, clock })
    const refused = await stale({ forceRefresh: true }).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(TokenRefreshError)
    expect(refused).toMatchObject({ sessionEnded: true, errorType: 'RefreshTokenReuseException' })
    expect(await stale.currentTokens()).toBeUndefined()
    // The one holding the newest token keeps going.
    await expect(session({ forceRefresh: true })).resolves.toMatchObject({ token: expect.any(String) })
  })

  it('a wrong password and an unknown user are the same SignInError (NotAuthorizedException)', async () => {
    const attempts = [
      signInWithPassword({ endpoint: pool.endpoint, clientId: pool.clientId, username: 'bob', password: 'nope-123' }),
      signInWithPassword({ endpoint: pool.endpoint, clientId: pool.clientId, username: 'mallory', password: PASSWORD }),
    ]
    for (const attempt of attempts) {
      const error = await attempt.catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SignInError)
      expect(error).toMatchObject({ errorType: 'NotAuthorizedException' })
      expect((error as Error).message).toContain('Incorrect username or password.')
      expect((error as Error).message).not.toContain('nope-123')
    }
  })
})

describe('the API trusts the local pool', () => {
  it('enforces group rules with cognito:groups: an Admin updates anyone’s post, another user may not; ID and access tokens both work', async () => {
    const [alice, bob, carol] = await Promise.all([signIn('alice'), signIn('bob'), signIn('carol')])
    expect(decodeJwt(alice.idToken)['cognito:groups']).toEqual(['Admin'])
    const post = (await api(bob.idToken).request<{ createPost: { id: string } }>(CREATE, { title: 'Bob’s' })).createPost
    const byCarol = await outcome(api(carol.idToken).request(UPDATE, { id: post.id, title: 'Carol was here' }))
    expect(byCarol).toMatchObject({ ok: false, errorTypes: ['Unauthorized'] })
    const byAlice = await api(alice.accessToken).request<{ updatePost: { title: string } }>(UPDATE, {
      id: post.id,
      title: 'Moderated',
    })
    expect(byAlice.updatePost.title).toBe('Moderated')
    expect(server.store.snapshot()).toMatchObject({
      Post: { [post.id]: expect.objectContaining({ title: 'Moderated' }) },
    })
  })

  it('the identity pool accepts its ID token as a login (provider name: the issuer without http://)', async () => {
    const tokens = await signIn('carol')
    const credentials = fromCognitoIdentityPool({
      identityPoolId: server.identityPoolId ?? '',
      endpoint: server.url,
      logins: () => ({ [pool.issuer.replace(/^https?:\/\//, '')]: tokens.idToken }),
    })
    const issued = await credentials()
    expect(server.credentials.lookup(issued.accessKeyId)?.principal).toMatchObject({
      kind: 'authenticated',
      claims: { 'cognito:username': 'carol' },
    })
  })

  it('refuses a tampered token, a token of another pool with the same id, one signed with another key, and an expired one', async () => {
    const bob = await signIn('bob')
    const [header, payload, signature] = bob.idToken.split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>
    const promoted = Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['Admin'] })).toString('base64url')
    const tampered = `${header ?? ''}.${promoted}.${signature ?? ''}`

    const foreign = (await signIn('bob', other)).idToken
    expect(decodeJwt(foreign).iss).not.toBe(pool.issuer)

    const { privateKey } = await generateKeyPair('RS256')
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(bob.idToken).kid ?? '' })
      .sign(privateKey)

    const expectations: [string, RegExp][] = [
      [tampered, /signature verification failed/],
      [foreign, /unknown issuer/],
      [forged, /signature verification failed/],
    ]
    for (const [token, reason] of expectations) {
      const answer = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: token },
        body: JSON.stringify({ query: '{ listPosts { items { id } } }' }),
      })
      expect(answer.status).toBe(401)
      const text = await answer.text()
      expect(text).toMatch(reason)
      expect(text).not.toContain(token)
    }
    clock.advance(3_600_000)
    try {
      expect(await outcome(api(bob.idToken).request('{ listPosts { items { id } } }'))).toMatchObject({
        ok: false,
        status: 401,
      })
    } finally {
      clock.advance(-3_600_000)
    }
  })
})
