// graphql-request, authorized by createAuthFetch, against @authmode/local on 127.0.0.1: the server
// checks every API key and re-computes every SigV4 signature, and logs which caller it verified.
import { randomBytes } from 'node:crypto'
import { startLocalAppSync, type LocalAppSync } from '@authmode/local'
import { createAuthFetch, createClient, fromCognitoIdentityPool } from '@authmode/node'
import { ClientError, GraphQLClient } from 'graphql-request'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { LIST_POSTS, listPosts, postsClient, withAuthMode, type Post } from '../src/index'

const SCHEMA = /* GraphQL */ `
  type Post
    @model
    @auth(rules: [{ allow: public, operations: [read] }, { allow: public, provider: iam, operations: [read] }]) {
    id: ID!
    title: String!
  }
`
const REGION = 'us-east-1'
const TITLES = ['Hello from graphql-request', 'Signed, not parsed twice']
const backend = {
  accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString('base64'),
}

let server: LocalAppSync
let apiKey: string
/** What the server verified, one line per GraphQL request: `POST /graphql 200 apiKey`, `… iam guest`. */
const served: string[] = []

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    region: REGION,
    backendCredentials: [{ name: 'seeder', ...backend }],
    logger: { info: (line) => served.push(line) },
  })
  apiKey = server.apiKey!
  // Seeded by a backend (IAM credentials with full access): the public rules only allow reads.
  const seeder = createClient({ endpoint: server.graphqlUrl, region: REGION, authMode: 'iam', credentials: backend })
  for (const title of TITLES) {
    await seeder.request('mutation ($title: String!) { createPost(input: { title: $title }) { id } }', { title })
  }
})

beforeEach(() => {
  served.length = 0
})

afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
})

function graphqlLines(): string[] {
  return served.filter((line) => line.startsWith('POST /graphql'))
}

function titles(posts: readonly Post[]): string[] {
  return posts.map((post) => post.title).sort()
}

/** A transport that records the headers createAuthFetch sent, then sends the request. */
function recordingTransport(): { fetch: typeof globalThis.fetch; sent: Headers[] } {
  const sent: Headers[] = []
  return {
    sent,
    fetch: (input, init) => {
      sent.push(new Request(input, init).headers)
      return globalThis.fetch(input, init)
    },
  }
}

describe('graphql-request through createAuthFetch', () => {
  it('API key: x-api-key is sent and the posts come back', async () => {
    const transport = recordingTransport()
    const authFetch = createAuthFetch({
      endpoint: server.graphqlUrl,
      authMode: 'apiKey',
      apiKey,
      fetch: transport.fetch,
    })
    const data = await new GraphQLClient(server.graphqlUrl, { fetch: authFetch }).request<{
      listPosts: { items: Post[] }
    }>(LIST_POSTS)

    expect(titles(data.listPosts.items)).toEqual([...TITLES].sort())
    expect(transport.sent).toHaveLength(1)
    // Compared, not printed: a failing assertion must not show the key.
    expect(transport.sent[0]?.get('x-api-key') === apiKey).toBe(true)
    expect(transport.sent[0]?.has('authorization')).toBe(false)
    expect(graphqlLines()).toEqual(['POST /graphql 200 apiKey'])

    // The example's own function does the same.
    expect(titles(await listPosts(server.graphqlUrl, { apiKey }))).toEqual([...TITLES].sort())
  })

  it('IAM: guest credentials from the identity pool, SigV4 verified by the server', async () => {
    const credentials = fromCognitoIdentityPool({ identityPoolId: server.identityPoolId!, endpoint: server.url })
    const posts = await listPosts(server.graphqlUrl, { region: REGION, credentials })

    expect(titles(posts)).toEqual([...TITLES].sort())
    expect(graphqlLines()).toEqual(['POST /graphql 200 iam guest'])

    const transport = recordingTransport()
    const authFetch = createAuthFetch({
      endpoint: server.graphqlUrl,
      authMode: 'iam',
      region: REGION,
      credentials,
      fetch: transport.fetch,
    })
    await new GraphQLClient(server.graphqlUrl, { fetch: authFetch }).request(LIST_POSTS)
    const authorization = transport.sent[0]?.get('authorization') ?? ''
    expect(authorization.startsWith('AWS4-HMAC-SHA256 Credential=')).toBe(true)
    expect(authorization.includes(`/${REGION}/appsync/aws4_request`)).toBe(true)
    expect(transport.sent[0]?.has('x-amz-security-token')).toBe(true)
    expect(transport.sent[0]?.has('x-api-key')).toBe(false)
  })

  it('IAM credentials the server does not know are refused: graphql-request sees the 401, with no secret in its error', async () => {
    const stranger = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(64).toString('base64'),
    }
    const error = await listPosts(server.graphqlUrl, { region: REGION, credentials: stranger }).catch((e: unknown) => e)
    // createAuthFetch gives back the last 401 as fetch would; graphql-request makes it its ClientError.
    expect(error).toBeInstanceOf(ClientError)
    expect((error as ClientError).response.status).toBe(401)
    expect((error as ClientError).response.errors?.[0]).toMatchObject({ errorType: 'UnauthorizedException' })
    const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`
    for (const secret of [stranger.secretAccessKey, stranger.sessionToken]) expect(text.includes(secret)).toBe(false)
    // Refused once: plain credentials have nothing to refresh, so they are not resent (issue 19).
    expect(graphqlLines()).toEqual([expect.stringMatching(/^POST \/graphql 401 rejected: /)])
  })

  it('per-call mode: one authFetch, a graphql-request client per mode via the authMode init', async () => {
    const authFetch = createAuthFetch({
      endpoint: server.graphqlUrl,
      region: REGION,
      authMode: 'apiKey',
      apiKey,
      credentials: fromCognitoIdentityPool({ identityPoolId: server.identityPoolId!, endpoint: server.url }),
    })
    const byDefault = new GraphQLClient(server.graphqlUrl, { fetch: authFetch })
    const asGuest = new GraphQLClient(server.graphqlUrl, { fetch: withAuthMode(authFetch, 'iam') })

    const [viaKey, viaIam] = await Promise.all([
      byDefault.request<{ listPosts: { items: Post[] } }>(LIST_POSTS),
      asGuest.request<{ listPosts: { items: Post[] } }>(LIST_POSTS),
    ])
    expect(titles(viaKey.listPosts.items)).toEqual([...TITLES].sort())
    expect(titles(viaIam.listPosts.items)).toEqual([...TITLES].sort())
    expect(graphqlLines().sort()).toEqual(['POST /graphql 200 apiKey', 'POST /graphql 200 iam guest'])
  })

  it('a revoked API key surfaces as an error that does not contain the key', async () => {
    const { key, id } = server.apiKeys!.create({ description: 'revoked in this test' })
    expect(server.apiKeys!.revoke(id)).toBe(true)

    const error = await postsClient(server.graphqlUrl, { apiKey: key })
      .request(LIST_POSTS)
      .catch((e: unknown) => e)
    const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`
    expect(text.includes(key)).toBe(false)
    // createAuthFetch gives back the last 401 as fetch would; graphql-request makes it its ClientError.
    expect(error).toBeInstanceOf(ClientError)
    expect((error as ClientError).response.status).toBe(401)
    expect((error as ClientError).response.errors?.[0]).toMatchObject({ errorType: 'UnauthorizedException' })
    // Refused once: a static key cannot be refreshed, so it is not sent again (issue 19).
    expect(graphqlLines()).toEqual([expect.stringMatching(/^POST \/graphql 401 rejected: /)])
  })
})
