import type { GraphQLInputObjectType, GraphQLObjectType } from 'graphql'
import { describe, expect, it } from 'vitest'
import { buildLocalSchema } from './generate'
import { pluralize } from './model'

describe('buildLocalSchema', () => {
  it('generates Amplify-style operations, inputs and fields for @model types', () => {
    const built = buildLocalSchema(`
      type Post @model @auth(rules: [{ allow: owner, ownerField: "author" }, { allow: groups, groupsField: "editors" }]) {
        title: String!
      }
      type Category @model { name: String }
    `)
    const query = built.schema.getQueryType()!.getFields()
    const mutation = built.schema.getMutationType()!.getFields()
    expect(Object.keys(query).sort()).toEqual(['getCategory', 'getPost', 'listCategories', 'listPosts'])
    expect(Object.keys(mutation).sort()).toEqual([
      'createCategory',
      'createPost',
      'deleteCategory',
      'deletePost',
      'updateCategory',
      'updatePost',
    ])
    const post = built.schema.getType('Post') as GraphQLObjectType
    expect(Object.keys(post.getFields()).sort()).toEqual(['author', 'createdAt', 'editors', 'id', 'title', 'updatedAt'])
    expect(String(post.getFields()['id']!.type)).toBe('ID!')
    const create = built.schema.getType('CreatePostInput') as GraphQLInputObjectType
    // The owner field is optional on create: it is filled in from the caller.
    expect(String(create.getFields()['author']!.type)).toBe('String')
    expect(String(create.getFields()['title']!.type)).toBe('String!')
    expect(create.getFields()['createdAt']).toBeUndefined()
    const update = built.schema.getType('UpdatePostInput') as GraphQLInputObjectType
    expect(String(update.getFields()['id']!.type)).toBe('ID!')
    expect(String(update.getFields()['title']!.type)).toBe('String')
  })

  it('keeps the schema’s own directive declarations and AWS scalars', () => {
    const built = buildLocalSchema(`
      directive @aws_api_key on OBJECT | FIELD_DEFINITION
      scalar AWSDateTime
      type Query { now: AWSDateTime @aws_api_key }
    `)
    expect(built.schema.getQueryType()!.getFields()['now']).toBeDefined()
    expect(built.info.types.get('Query')!.fields.get('now')!.plain!.modes).toEqual(new Set(['apiKey']))
  })

  it('reads rules with Amplify’s defaults', () => {
    const built = buildLocalSchema(
      'type T @model @auth(rules: [{ allow: owner }, { allow: groups, groups: ["A"], operations: [read] }]) { x: String }',
    )
    const [owner, groups] = built.models.get('T')!.info.rules!
    expect(owner).toMatchObject({
      allow: 'owner',
      provider: 'userPools',
      ownerField: 'owner',
      identityClaim: 'sub::username',
    })
    expect([...owner!.operations].sort()).toEqual(['create', 'delete', 'get', 'list', 'update'])
    expect(groups).toMatchObject({
      allow: 'groups',
      provider: 'userPools',
      groupClaim: 'cognito:groups',
      groups: ['A'],
    })
    expect([...groups!.operations].sort()).toEqual(['get', 'list'])
  })

  it('gives subscriptions Amplify v2’s arguments: filter, and one per type-level owner rule that grants read', () => {
    const built = buildLocalSchema(`
      type Post @model @auth(rules: [
        { allow: owner, ownerField: "author" },
        { allow: owner, ownerField: "editors", operations: [update] },
        { allow: public, operations: [read] }
      ]) { title: String! views: Int tags: [String] }
      type Note @model { text: String }
    `)
    const subscription = built.schema.getSubscriptionType()!.getFields()
    const args = (field: string): string[] => subscription[field]!.args.map((arg) => `${arg.name}: ${String(arg.type)}`)
    for (const field of ['onCreatePost', 'onUpdatePost', 'onDeletePost']) {
      expect(args(field)).toEqual(['filter: ModelSubscriptionPostFilterInput', 'author: String'])
    }
    expect(args('onCreateNote')).toEqual(['filter: ModelSubscriptionNoteFilterInput'])
    expect(built.subscriptions.get('onCreatePost')).toEqual({
      model: 'Post',
      kind: 'create',
      ownerArguments: ['author'],
    })
    const filter = built.schema.getType('ModelSubscriptionPostFilterInput') as GraphQLInputObjectType
    // The list filter's scalar inputs, `and`/`or` of itself, no `not`; list fields are not filterable.
    expect(Object.fromEntries(Object.entries(filter.getFields()).map(([name, f]) => [name, String(f.type)]))).toEqual({
      id: 'ModelIDInput',
      title: 'ModelStringInput',
      views: 'ModelIntInput',
      author: 'ModelStringInput',
      editors: 'ModelStringInput',
      and: '[ModelSubscriptionPostFilterInput]',
      or: '[ModelSubscriptionPostFilterInput]',
    })
  })
})

describe('pluralize', () => {
  it.each([
    ['Post', 'Posts'],
    ['Category', 'Categories'],
    ['Address', 'Addresses'],
    ['Day', 'Days'],
    ['Box', 'Boxes'],
  ])('%s → %s', (name, plural) => {
    expect(pluralize(name)).toBe(plural)
  })
})
