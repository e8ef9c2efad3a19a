// Subscription arguments against @authmode/local's real-time endpoint, through @authmode/node's
// `subscribe`: Amplify v2's `filter: ModelSubscription<T>FilterInput` (fields, `and`, `or`) and the
// owner-field argument (`author: String`), applied at delivery; bad arguments refused at start.
// Events go out in order on a connection, so "the next events are exactly these" also shows that
// the items created between them were not delivered.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { subscribe, type Client, type Subscription } from '@authmode/node'
import { startLocalAppSync, type LocalAppSync } from '@authmode/local'
import { client } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Post @model @auth(rules: [{ allow: owner, ownerField: "author" }, { allow: public }]) {
    id: ID!
    title: String!
    views: Int
    published: Boolean
  }
  type Note @model @auth(rules: [{ allow: public }]) {
    id: ID!
    text: String!
  }
`
// As Amplify's codegen writes it for a type with an owner rule on "author".
const ON_CREATE_POST = /* GraphQL */ `
  subscription OnCreatePost($filter: ModelSubscriptionPostFilterInput, $author: String) {
    onCreatePost(filter: $filter, author: $author) {
      title
    }
  }
`

interface PostEvent {
  onCreatePost: { title: string }
}

let server: LocalAppSync
let apiKeyClient: Client
const open: Subscription<unknown>[] = []

beforeAll(async () => {
  server = await startLocalAppSync({ schema: SCHEMA })
  apiKeyClient = client(server, 'apiKey', { apiKey: server.apiKey ?? '' })
})

afterEach(() => {
  for (const subscription of open.splice(0)) subscription.unsubscribe()
})

afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
})

function track<T>(subscription: Subscription<T>): Subscription<T> {
  open.push(subscription)
  return subscription
}

/** The next `count` events of a subscription, failing after 5 s instead of hanging. */
async function next<T>(subscription: Subscription<T>, count: number): Promise<T[]> {
  const iterator = subscription[Symbol.asyncIterator]()
  const out: T[] = []
  const deadline = Date.now() + 5000
  while (out.length < count) {
    let timer: ReturnType<typeof setTimeout> | undefined
    const result = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => {
            reject(new Error(`no event within 5 s (got ${String(out.length)} of ${String(count)})`))
          },
          Math.max(deadline - Date.now(), 0),
        )
      }),
    ]).finally(() => {
      clearTimeout(timer)
    })
    if (result.done) break
    out.push(result.value)
  }
  return out
}

/** Creates posts one after another (API key: the public rule lets it name any author). */
async function createPosts(
  posts: readonly { title: string; views?: number; published?: boolean; author?: string }[],
): Promise<void> {
  for (const input of posts) {
    await apiKeyClient.request('mutation ($input: CreatePostInput!) { createPost(input: $input) { id } }', { input })
  }
}

const titles = (events: readonly PostEvent[]): string[] => events.map((e) => e.onCreatePost.title)

describe('filter', () => {
  it('a filter on a field (in a variable, as Amplify sends it) delivers only matching items', async () => {
    const matching = track(
      subscribe<PostEvent>(apiKeyClient, ON_CREATE_POST, { filter: { title: { beginsWith: 'match' } } }),
    )
    const byViews = track(
      subscribe<PostEvent>(apiKeyClient, 'subscription { onCreatePost(filter: { views: { gt: 10 } }) { title } }'),
    )
    const everything = track(subscribe<PostEvent>(apiKeyClient, 'subscription { onCreatePost { title } }'))
    await Promise.all([matching.ready, byViews.ready, everything.ready])
    await createPosts([
      { title: 'other-1', views: 50 },
      { title: 'match-1', views: 5 },
      { title: 'other-2' },
      { title: 'match-2', views: 11 },
    ])
    expect(titles(await next(everything, 4))).toEqual(['other-1', 'match-1', 'other-2', 'match-2'])
    expect(titles(await next(matching, 2))).toEqual(['match-1', 'match-2'])
    expect(titles(await next(byViews, 2))).toEqual(['other-1', 'match-2'])
  })

  it('and / or combine conditions', async () => {
    const filter = {
      or: [{ views: { ge: 100 } }, { and: [{ title: { contains: 'x' } }, { published: { eq: true } }] }],
    }
    const combined = track(subscribe<PostEvent>(apiKeyClient, ON_CREATE_POST, { filter }))
    await combined.ready
    await createPosts([
      { title: 'ax', views: 5, published: false }, // neither branch
      { title: 'many views', views: 200 }, // first branch
      { title: 'x published', views: 1, published: true }, // second branch
      { title: 'y published', views: 1, published: true }, // no x
      { title: 'x last', views: 100 }, // first branch again (ge)
    ])
    expect(titles(await next(combined, 3))).toEqual(['many views', 'x published', 'x last'])
  })

  it('applies to onUpdate and onDelete as well, against the item after (update) or before (delete)', async () => {
    const onUpdate = track(
      subscribe<{ onUpdatePost: { title: string } }>(
        apiKeyClient,
        'subscription { onUpdatePost(filter: { title: { eq: "kept" } }) { title } }',
      ),
    )
    const onDelete = track(
      subscribe<{ onDeletePost: { title: string } }>(
        apiKeyClient,
        'subscription { onDeletePost(filter: { title: { eq: "kept" } }) { title } }',
      ),
    )
    await Promise.all([onUpdate.ready, onDelete.ready])
    const ids: string[] = []
    for (const title of ['a', 'b']) {
      const created = await apiKeyClient.request<{ createPost: { id: string } }>(
        'mutation ($title: String!) { createPost(input: { title: $title }) { id } }',
        { title },
      )
      ids.push(created.createPost.id)
    }
    const [a, b] = ids
    await apiKeyClient.request('mutation ($id: ID!) { updatePost(input: { id: $id, title: "dropped" }) { id } }', {
      id: a,
    })
    await apiKeyClient.request('mutation ($id: ID!) { updatePost(input: { id: $id, title: "kept" }) { id } }', {
      id: b,
    })
    await apiKeyClient.request('mutation ($id: ID!) { deletePost(input: { id: $id }) { id } }', { id: a })
    await apiKeyClient.request('mutation ($id: ID!) { deletePost(input: { id: $id }) { id } }', { id: b })
    expect(await next(onUpdate, 1)).toEqual([{ onUpdatePost: { title: 'kept' } }])
    expect(await next(onDelete, 1)).toEqual([{ onDeletePost: { title: 'kept' } }])
  })
})

describe('owner argument', () => {
  it('narrows an API-key subscriber to one owner’s items; <sub>::<username> and <username> name the same owner', async () => {
    const alice = track(subscribe<PostEvent>(apiKeyClient, ON_CREATE_POST, { author: 'alice' }))
    const bob = track(subscribe<PostEvent>(apiKeyClient, ON_CREATE_POST, { author: 'sub-b::bob' }))
    const aliceKept = track(
      subscribe<PostEvent>(apiKeyClient, ON_CREATE_POST, { author: 'alice', filter: { title: { ne: 'a2' } } }),
    )
    await Promise.all([alice.ready, bob.ready, aliceKept.ready])
    await createPosts([
      { title: 'a1', author: 'sub-a::alice' },
      { title: 'b1', author: 'sub-b::bob' },
      { title: 'a2', author: 'alice' }, // made before Amplify's sub::username change
      { title: 'c1', author: 'sub-c::carol' },
      { title: 'x1', author: 'sub-x::bob' }, // another user's sub: not bob's
      { title: 'nobody' },
      { title: 'b2', author: 'bob' },
      { title: 'a3', author: 'sub-a::alice' },
    ])
    expect(titles(await next(alice, 3))).toEqual(['a1', 'a2', 'a3'])
    expect(titles(await next(bob, 2))).toEqual(['b1', 'b2'])
    expect(titles(await next(aliceKept, 2))).toEqual(['a1', 'a3'])
  })
})

describe('bad arguments', () => {
  it('are refused at start with a BadRequestException; the connection and the server keep working', async () => {
    const refusals = [
      subscribe(apiKeyClient, 'subscription { onCreatePost(filter: { nope: { eq: "x" } }) { title } }'),
      subscribe(apiKeyClient, ON_CREATE_POST, { filter: { nope: { eq: 'x' } } }),
      subscribe(apiKeyClient, ON_CREATE_POST, { filter: { views: { eq: 'not a number' } } }),
      // Subscription filters have no `not`, and Note has no owner rule, so no owner argument.
      subscribe(apiKeyClient, 'subscription { onCreatePost(filter: { not: { views: { eq: 1 } } }) { title } }'),
      subscribe(apiKeyClient, 'subscription { onCreateNote(owner: "alice") { id } }'),
    ].map(track)
    for (const refused of refusals) {
      await expect(refused.ready).rejects.toMatchObject({
        code: 'ERR_GRAPHQL',
        errors: [
          expect.objectContaining({
            errorType: 'BadRequestException',
            message: expect.stringMatching(/^Validation error: /),
          }),
        ],
      })
    }
    const still = track(subscribe<PostEvent>(apiKeyClient, ON_CREATE_POST, { filter: { title: { eq: 'after' } } }))
    await still.ready
    await createPosts([{ title: 'before' }, { title: 'after' }])
    expect(titles(await next(still, 1))).toEqual(['after'])
  })
})
