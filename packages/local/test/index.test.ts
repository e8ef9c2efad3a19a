// `@index`: secondary indexes and their query fields, as Amplify generates them (the items with
// one partition key, in sort key order, with a sort key condition, a direction, a filter and
// pages), authorized as the model's list is, and written into the model introspection as `key`
// attributes, which `auto` reads. Through @authmode/node clients against a running endpoint with
// its own user pool.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigurationError, createClient, signInWithPassword, type AuthMode, type Client } from '@authmode/node'
import { modelIntrospection, startLocalAppSync, type LocalAppSync, type LocalUserPool } from '@authmode/local'
import { REGION } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: owner }, { allow: public, operations: [read] }]) {
    id: ID!
    category: String! @index(name: "byCategory", queryField: "notesByCategory", sortKeyFields: ["rank"])
    rank: Int
    tag: String
      @index(name: "byTag")
      @index(name: "byTagAndTime", sortKeyFields: ["createdAt"], queryField: "notesByTag")
    secret: String @auth(rules: [{ allow: owner }])
  }
`
const PASSWORD = 'Index-Pw-1!'
const BY_CATEGORY = /* GraphQL */ `
  query (
    $category: String!
    $rank: ModelIntKeyConditionInput
    $sortDirection: ModelSortDirection
    $filter: ModelNoteFilterInput
    $limit: Int
    $nextToken: String
  ) {
    notesByCategory(
      category: $category
      rank: $rank
      sortDirection: $sortDirection
      filter: $filter
      limit: $limit
      nextToken: $nextToken
    ) {
      items {
        rank
      }
      nextToken
    }
  }
`

let server: LocalAppSync
let alice: Client
let bob: Client
let guest: Client

async function userClient(username: string): Promise<Client> {
  const pool = server.userPool as LocalUserPool
  const tokens = await signInWithPassword({
    endpoint: pool.endpoint,
    clientId: pool.clientId,
    username,
    password: PASSWORD,
  })
  return createClient({
    endpoint: server.graphqlUrl,
    region: REGION,
    userPool: tokens.idToken,
    retry: false,
    logger: null,
  })
}

interface Page {
  notesByCategory: { items: { rank: number | null }[]; nextToken: string | null }
}
const ranks = async (client: Client, variables: Record<string, unknown>): Promise<(number | null)[]> =>
  (await client.request<Page>(BY_CATEGORY, variables)).notesByCategory.items.map((item) => item.rank)

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    userPool: {
      users: [
        { username: 'alice', password: PASSWORD },
        { username: 'bob', password: PASSWORD },
      ],
    },
  })
  alice = await userClient('alice')
  bob = await userClient('bob')
  guest = createClient({
    endpoint: server.graphqlUrl,
    region: REGION,
    apiKey: server.apiKey,
    retry: false,
    logger: null,
  })
  const create = 'mutation ($input: CreateNoteInput!) { createNote(input: $input) { id } }'
  for (const [category, rank] of [
    ['a', 3],
    ['b', 1],
    ['a', 1],
    ['a', 2],
    ['a', null],
  ] as const) {
    await alice.request(create, { input: { category, rank, secret: 's' } })
  }
  // Two tagged notes a clock tick apart (createdAt is the server's time, to the millisecond).
  await alice.request(create, { input: { category: 'c', rank: 10, tag: 't' } })
  await new Promise((resolve) => setTimeout(resolve, 5))
  await alice.request(create, { input: { category: 'c', rank: 20, tag: 't' } })
})

afterAll(async () => {
  await server.stop()
})

describe('an index query', () => {
  it('returns the items with its partition key in sort key order, leaving out items without a sort key', async () => {
    expect(await ranks(alice, { category: 'a' })).toEqual([1, 2, 3])
    expect(await ranks(alice, { category: 'a', sortDirection: 'DESC' })).toEqual([3, 2, 1])
    expect(await ranks(alice, { category: 'b' })).toEqual([1])
    expect(await ranks(alice, { category: 'none' })).toEqual([])
  })

  it('may sort by a timestamp the model gets without declaring it (createdAt), with a string condition', async () => {
    const byTag =
      'query ($createdAt: ModelStringKeyConditionInput) { notesByTag(tag: "t", createdAt: $createdAt, sortDirection: DESC) { items { rank createdAt } } }'
    interface Tagged {
      notesByTag: { items: { rank: number; createdAt: string }[] }
    }
    const items = (await alice.request<Tagged>(byTag)).notesByTag.items
    expect(items.map((item) => item.rank)).toEqual([20, 10])
    const [newer] = items
    const since = await alice.request<Tagged>(byTag, { createdAt: { ge: newer?.createdAt } })
    expect(since.notesByTag.items.map((item) => item.rank)).toEqual([20])
    expect((await alice.request<Tagged>(byTag, { createdAt: { beginsWith: '19' } })).notesByTag.items).toEqual([])
  })

  it('takes a sort key condition (between, gt, eq), a filter, and pages', async () => {
    expect(await ranks(alice, { category: 'a', rank: { between: [2, 3] } })).toEqual([2, 3])
    expect(await ranks(alice, { category: 'a', rank: { gt: 1 } })).toEqual([2, 3])
    expect(await ranks(alice, { category: 'a', rank: { eq: 1 } })).toEqual([1])
    expect(await ranks(alice, { category: 'a', filter: { rank: { ne: 2 } } })).toEqual([1, 3])
    const first = (await alice.request<Page>(BY_CATEGORY, { category: 'a', limit: 2 })).notesByCategory
    expect(first.items.map((item) => item.rank)).toEqual([1, 2])
    expect(first.nextToken).toEqual(expect.any(String))
    const second = await alice.request<Page>(BY_CATEGORY, { category: 'a', limit: 2, nextToken: first.nextToken })
    expect(second.notesByCategory).toEqual({ items: [{ rank: 3 }], nextToken: null })
  })

  it('is authorized as the list is: the public reads, another user sees none of the owner’s items', async () => {
    expect(await ranks(guest, { category: 'a' })).toEqual([1, 2, 3])
    expect(await ranks(bob, { category: 'a' })).toEqual([])
    // A filter on a field the caller may not read is refused, as on the list.
    await expect(ranks(guest, { category: 'a', filter: { secret: { eq: 's' } } })).rejects.toThrow(/Unauthorized/)
  })

  it('is chosen by `auto` from the model introspection (the `key` attribute names its query field)', async () => {
    const pool = server.userPool as LocalUserPool
    const tokens = await signInWithPassword({
      endpoint: pool.endpoint,
      clientId: pool.clientId,
      username: 'bob',
      password: PASSWORD,
    })
    const client = createClient({
      endpoint: server.graphqlUrl,
      region: REGION,
      authMode: 'auto',
      apiKey: server.apiKey,
      userPool: tokens.idToken,
      modelIntrospection: modelIntrospection(SCHEMA),
      retry: false,
      logger: null,
    })
    const chosen: { mode: AuthMode; reason: string }[] = []
    client.on('authModeChosen', (event) => chosen.push(event))
    await client.request(BY_CATEGORY, { category: 'a' })
    expect(chosen).toHaveLength(1)
    expect(chosen[0]?.reason).toMatch(/Note/)
  })
})

describe('the schema', () => {
  it('writes each index into the model introspection as codegen does, with its query field when it has one', () => {
    const attributes = modelIntrospection(SCHEMA).models['Note']?.attributes ?? []
    expect(attributes.filter((attribute) => attribute.type === 'key')).toEqual([
      { type: 'key', properties: { name: 'byCategory', queryField: 'notesByCategory', fields: ['category', 'rank'] } },
      { type: 'key', properties: { name: 'byTag', fields: ['tag'] } },
      { type: 'key', properties: { name: 'byTagAndTime', queryField: 'notesByTag', fields: ['tag', 'createdAt'] } },
    ])
  })

  it.each([
    [
      'a composite sort key',
      'type T @model { id: ID! a: String @index(name: "x", sortKeyFields: ["b", "c"], queryField: "q") b: String c: String }',
      'T.a: @index: a composite sort key (b, c) is not supported here yet; use one sort key field.',
    ],
    [
      'an index off a @model type',
      'type Query { x: String } type T { a: String @index(name: "x") }',
      'T.a: @index is supported on fields of @model types.',
    ],
    [
      'a list key',
      'type T @model { id: ID! a: [String] @index(name: "x", queryField: "q") }',
      'T.a: @index: the key field a must be a field of T with one scalar value (ID, String, Int, Float or an AWS scalar).',
    ],
    [
      'a sort key that is not a field',
      'type T @model { id: ID! a: String @index(name: "x", sortKeyFields: ["nope"], queryField: "q") }',
      'T.a: @index: the key field nope must be a field of T with one scalar value (ID, String, Int, Float or an AWS scalar).',
    ],
  ])('refuses %s with a ConfigurationError that says what to change', (_, schema, message) => {
    expect(() => modelIntrospection(schema)).toThrow(ConfigurationError)
    expect(() => modelIntrospection(schema)).toThrow(message)
  })
})
