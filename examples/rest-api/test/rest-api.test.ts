// The example against @authmode/local on 127.0.0.1: its API Gateway-shaped route (service
// `execute-api`) and Lambda URL-shaped route (service `lambda`) re-sign every request with the AWS
// SDK's signer, and the GraphQL route checks the same guest credentials. @authmode/* resolve to
// their built packages (run `pnpm build` first), as in a deployment.
import { createHash } from 'node:crypto'
import { startLocalAppSync, type LocalAppSync } from '@authmode/local'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { guestApis, readJson, type GuestApis } from '../src/index'

const SCHEMA =
  'type Post @model @auth(rules: [{ allow: public, provider: iam, operations: [read] }]) { id: ID! title: String! }'
const REGION = 'eu-west-1'

interface Echo {
  service: string
  method: string
  path: string
  query: Record<string, string | string[]>
  contentType: string | null
  bodyBytes: number
  bodySha256: string
  caller: { kind: string; identityId?: string }
}

let server: LocalAppSync
let apis: GuestApis
let restApiUrl: string
let functionUrl: string
const served: string[] = []

beforeAll(async () => {
  server = await startLocalAppSync({ schema: SCHEMA, region: REGION, logger: { info: (line) => served.push(line) } })
  restApiUrl = `${server.executeApiUrl!}/prod`
  functionUrl = server.lambdaUrl!
  apis = guestApis({
    graphqlEndpoint: server.graphqlUrl,
    region: REGION,
    restApiUrl,
    functionUrl,
    identityPoolId: server.identityPoolId!,
    identityPoolEndpoint: server.url,
  })
})

beforeEach(() => {
  served.length = 0
})

afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
})

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex')

describe('guest REST calls through createAuthFetch', () => {
  it('API Gateway: GET with a query, then POST JSON and PUT bytes, each verified for execute-api', async () => {
    const listed = await readJson<Echo>(await apis.restApi(`${restApiUrl}/items?limit=10&tag=new&tag=sale`))
    expect(listed).toMatchObject({
      service: 'execute-api',
      method: 'GET',
      path: '/_aws/execute-api/prod/items',
      query: { limit: '10', tag: ['new', 'sale'] },
      caller: { kind: 'guest' },
    })

    const item = JSON.stringify({ title: 'Hello from a guest', price: 12.5 })
    const created = await readJson<Echo>(
      await apis.restApi(`${restApiUrl}/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: item,
      }),
    )
    expect(created).toMatchObject({ method: 'POST', contentType: 'application/json', bodySha256: sha256(item) })

    const image = new Uint8Array(Array.from({ length: 1024 }, (_, i) => (i * 7) % 256))
    const uploaded = await readJson<Echo>(
      await apis.restApi(`${restApiUrl}/items/1/image`, {
        method: 'PUT',
        headers: { 'content-type': 'image/png' },
        body: image,
      }),
    )
    expect(uploaded).toMatchObject({ method: 'PUT', bodyBytes: 1024, bodySha256: sha256(image) })
    expect(served.filter((line) => line.includes('/_aws/'))).toEqual([
      'GET /_aws/execute-api/prod/items 200 iam guest',
      'POST /_aws/execute-api/prod/items 200 iam guest',
      'PUT /_aws/execute-api/prod/items/1/image 200 iam guest',
    ])
  })

  it('Lambda function URL: POST JSON verified for lambda', async () => {
    const job = JSON.stringify({ resize: { width: 640 } })
    const echo = await readJson<Echo>(await apis.functionUrl(`${functionUrl}/jobs`, { method: 'POST', body: job }))
    expect(echo).toMatchObject({
      service: 'lambda',
      method: 'POST',
      path: '/_aws/lambda-url/jobs',
      bodySha256: sha256(job),
    })
  })

  it('one guest identity for AppSync and both REST APIs', async () => {
    const posts = await apis.client.request<{ listPosts: { items: unknown[] } }>('{ listPosts { items { id } } }')
    expect(posts.listPosts.items).toEqual([])
    const rest = await readJson<Echo>(await apis.restApi(`${restApiUrl}/me`))
    const lambda = await readJson<Echo>(await apis.functionUrl(`${functionUrl}/me`))
    expect(rest.caller.identityId).toBeDefined()
    expect(lambda.caller.identityId).toBe(rest.caller.identityId)
    expect(server.identityPool!.identities(server.identityPoolId!)).toHaveLength(1)
    expect(served).toContain('POST /graphql 200 iam guest')
  })

  it('signed for the wrong service, the API refuses it with 403, and the example says why', async () => {
    // The function URL's fetch (service lambda) sent to the REST API's origin and path.
    const response = await apis.functionUrl(`${restApiUrl}/items`)
    expect(response.status).toBe(403)
    await expect(readJson(response)).rejects.toThrow(
      "403 Credential should be scoped to correct service: 'execute-api'.",
    )
  })
})
