// Issue 15: Amplify's model introspection schema (version 1) of a local schema that uses every rule
// kind and provider. The expected JSON is written here from the format, not from the output: the
// `ModelIntrospectionSchema` of aws-amplify/amplify-codegen (appsync-modelgen-plugin,
// src/interfaces/introspection/model-schema.ts), its model introspection visitor (`id` first,
// read-only `createdAt`/`updatedAt` added, field `attributes: []`, `syncable: true`,
// `primaryKeyInfo`), and its processAuthDirective (src/utils/process-auth.ts): rules as written;
// owner rules get `provider: 'userPools'`, `ownerField: 'owner'` and `identityClaim:
// 'cognito:username'` unless written; group rules `groupClaim: 'cognito:groups'`, `provider:
// 'userPools'` and, when dynamic, `groupField: 'groups'`; every rule `operations` (default create,
// update, delete, read); public, private and custom rules no provider they did not write. As in
// amplify-js's fixtures (packages/api-graphql/__tests__/fixtures/modeled/amplifyconfiguration.ts).
import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '@authmode/core'
import { modelIntrospection, startLocalAppSync } from '@authmode/local'

const SCHEMA = /* GraphQL */ `
  enum Status {
    DRAFT
    PUBLISHED
  }
  type Meta {
    tags: [String!]
    score: Float
  }
  type Post
    @model
    @auth(
      rules: [
        { allow: owner }
        { allow: owner, ownerField: "editors", identityClaim: "sub", provider: oidc, operations: [update, read] }
        { allow: groups, groups: ["Admin"] }
        { allow: groups, groupsField: "editorGroups", operations: [get, list, update] }
        { allow: groups, groups: ["Auditors"], provider: oidc, groupClaim: "roles", operations: [read] }
        { allow: private, operations: [read] }
        { allow: private, provider: iam, operations: [read, create] }
        { allow: public, provider: apiKey, operations: [read] }
        { allow: public, provider: iam, operations: [get] }
        { allow: custom, provider: function }
        { allow: custom, operations: [read, delete] }
      ]
    ) {
    id: ID!
    title: String!
    status: Status
    meta: Meta
    tags: [String]!
    editors: [String]
    secret: String @auth(rules: [{ allow: owner }])
  }
  type Comment @model(queries: { get: "fetchComment" }) {
    body: String
  }
  type Visit
    @model
    @auth(rules: [{ allow: public, provider: identityPool }, { allow: owner, identityClaim: "username" }]) {
    id: ID!
    page: String
    updatedAt: AWSDateTime!
  }
  input PingInput {
    note: String!
    tags: [String]
  }
  type Query {
    echo(text: String!, tags: [String!]): String @aws_api_key
  }
  type Mutation {
    ping(input: PingInput!): Meta @aws_lambda
  }
`

const ALL = ['create', 'update', 'delete', 'read']
const createdAt = {
  name: 'createdAt',
  isArray: false,
  type: 'AWSDateTime',
  isRequired: false,
  attributes: [],
  isReadOnly: true,
}
const updatedAt = { ...createdAt, name: 'updatedAt' }
const primaryKeyInfo = { isCustomPrimaryKey: false, primaryKeyFieldName: 'id', sortKeyFieldNames: [] }

/** What a file holds: JSON, so no undefined keys. */
const asFile = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

describe('modelIntrospection', () => {
  const introspection = modelIntrospection(SCHEMA)

  it('every rule kind and provider of Post, field by field as codegen writes them', () => {
    expect(asFile(introspection.models['Post']?.attributes)).toStrictEqual([
      { type: 'model', properties: {} },
      {
        type: 'auth',
        properties: {
          rules: [
            {
              provider: 'userPools',
              ownerField: 'owner',
              allow: 'owner',
              identityClaim: 'cognito:username',
              operations: ALL,
            },
            {
              provider: 'oidc',
              ownerField: 'editors',
              allow: 'owner',
              identityClaim: 'sub',
              operations: ['update', 'read'],
            },
            {
              groupClaim: 'cognito:groups',
              provider: 'userPools',
              allow: 'groups',
              groups: ['Admin'],
              operations: ALL,
            },
            {
              groupClaim: 'cognito:groups',
              provider: 'userPools',
              allow: 'groups',
              groupsField: 'editorGroups',
              groupField: 'groups',
              operations: ['get', 'list', 'update'],
            },
            { groupClaim: 'roles', provider: 'oidc', allow: 'groups', groups: ['Auditors'], operations: ['read'] },
            { allow: 'private', operations: ['read'] },
            { allow: 'private', provider: 'iam', operations: ['read', 'create'] },
            { allow: 'public', provider: 'apiKey', operations: ['read'] },
            { allow: 'public', provider: 'iam', operations: ['get'] },
            { allow: 'custom', provider: 'function', operations: ALL },
            { allow: 'custom', operations: ['read', 'delete'] },
          ],
        },
      },
    ])
  })

  it('the model: fields (id first, timestamps added read-only, field-level @auth not repeated), plural, key', () => {
    expect(asFile(introspection.models['Post'])).toStrictEqual({
      name: 'Post',
      fields: {
        id: { name: 'id', isArray: false, type: 'ID', isRequired: true, attributes: [] },
        title: { name: 'title', isArray: false, type: 'String', isRequired: true, attributes: [] },
        status: { name: 'status', isArray: false, type: { enum: 'Status' }, isRequired: false, attributes: [] },
        meta: { name: 'meta', isArray: false, type: { nonModel: 'Meta' }, isRequired: false, attributes: [] },
        tags: {
          name: 'tags',
          isArray: true,
          type: 'String',
          isRequired: false,
          attributes: [],
          isArrayNullable: false,
        },
        editors: {
          name: 'editors',
          isArray: true,
          type: 'String',
          isRequired: false,
          attributes: [],
          isArrayNullable: true,
        },
        secret: { name: 'secret', isArray: false, type: 'String', isRequired: false, attributes: [] },
        createdAt,
        updatedAt,
      },
      syncable: true,
      pluralName: 'Posts',
      attributes: introspection.models['Post']?.attributes,
      primaryKeyInfo,
    })
    // The field order codegen writes: id first, then as declared, then the added timestamps.
    expect(Object.keys(introspection.models['Post']?.fields ?? {})).toEqual([
      'id',
      'title',
      'status',
      'meta',
      'tags',
      'editors',
      'secret',
      'createdAt',
      'updatedAt',
    ])
  })

  it('a model without @auth has no auth attribute; an undeclared id is added; a declared timestamp is kept as declared', () => {
    // `@model(queries: …)` is not served here (getComment is): its arguments are not repeated.
    expect(asFile(introspection.models['Comment'])).toStrictEqual({
      name: 'Comment',
      fields: {
        id: { name: 'id', isArray: false, type: 'ID', isRequired: true, attributes: [] },
        body: { name: 'body', isArray: false, type: 'String', isRequired: false, attributes: [] },
        createdAt,
        updatedAt,
      },
      syncable: true,
      pluralName: 'Comments',
      attributes: [{ type: 'model', properties: {} }],
      primaryKeyInfo,
    })
    const visit = asFile(introspection.models['Visit']) as { fields: Record<string, unknown>; attributes: unknown }
    expect(visit.fields['updatedAt']).toStrictEqual({
      name: 'updatedAt',
      isArray: false,
      type: 'AWSDateTime',
      isRequired: true,
      attributes: [],
    })
    // Gen 2's `allow.guest()` spelling stays as written; `identityClaim: "username"` is written
    // `cognito:username`, as codegen does.
    expect(visit.attributes).toStrictEqual([
      { type: 'model', properties: {} },
      {
        type: 'auth',
        properties: {
          rules: [
            { allow: 'public', provider: 'identityPool', operations: ALL },
            {
              provider: 'userPools',
              ownerField: 'owner',
              allow: 'owner',
              identityClaim: 'cognito:username',
              operations: ALL,
            },
          ],
        },
      },
    ])
  })

  it('version, enums, non-models, the schema’s own operations and inputs (not the generated ones)', () => {
    const file = asFile(introspection) as Record<string, unknown>
    expect(Object.keys(file)).toEqual(['version', 'models', 'enums', 'nonModels', 'queries', 'mutations', 'inputs'])
    expect(file['version']).toBe(1)
    expect(Object.keys(file['models'] as object)).toEqual(['Post', 'Comment', 'Visit'])
    expect(file['enums']).toStrictEqual({ Status: { name: 'Status', values: ['DRAFT', 'PUBLISHED'] } })
    expect(file['nonModels']).toStrictEqual({
      Meta: {
        name: 'Meta',
        fields: {
          tags: {
            name: 'tags',
            isArray: true,
            type: 'String',
            isRequired: true,
            attributes: [],
            isArrayNullable: true,
          },
          score: { name: 'score', isArray: false, type: 'Float', isRequired: false, attributes: [] },
        },
      },
    })
    expect(file['queries']).toStrictEqual({
      echo: {
        name: 'echo',
        isArray: false,
        type: 'String',
        isRequired: false,
        arguments: {
          text: { name: 'text', isArray: false, type: 'String', isRequired: true },
          tags: { name: 'tags', isArray: true, type: 'String', isRequired: true, isArrayNullable: true },
        },
      },
    })
    expect(file['mutations']).toStrictEqual({
      ping: {
        name: 'ping',
        isArray: false,
        type: { nonModel: 'Meta' },
        isRequired: false,
        arguments: { input: { name: 'input', isArray: false, type: { input: 'PingInput' }, isRequired: true } },
      },
    })
    expect(file['inputs']).toStrictEqual({
      PingInput: {
        name: 'PingInput',
        attributes: {
          note: { name: 'note', isArray: false, type: 'String', isRequired: true },
          tags: { name: 'tags', isArray: true, type: 'String', isRequired: false, isArrayNullable: true },
        },
      },
    })
  })

  it('the plural names are the ones the endpoint serves (listCategories)', async () => {
    const schema = 'type Category @model @auth(rules: [{ allow: public }]) { id: ID! name: String }'
    expect(modelIntrospection(schema).models['Category']?.pluralName).toBe('Categories')
    const server = await startLocalAppSync({ schema })
    try {
      expect(server.modelIntrospection).toStrictEqual(modelIntrospection(schema))
      const answer = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey ?? '' },
        body: JSON.stringify({
          query: `{ list${server.modelIntrospection.models['Category']?.pluralName ?? ''} { items { id } } }`,
        }),
      })
      expect(await answer.json()).toEqual({ data: { listCategories: { items: [] } } })
    } finally {
      await server.stop()
    }
  })

  it('a schema the endpoint refuses is a ConfigurationError, as for startLocalAppSync', () => {
    expect(() => modelIntrospection('type A @model @auth(rules: [{ allow: everyone }]) { id: ID! }')).toThrow(
      ConfigurationError,
    )
    expect(() =>
      modelIntrospection('type A @model @auth(rules: [{ allow: custom, provider: apiKey }]) { id: ID! }'),
    ).toThrow(/allow: custom does not support provider apiKey \(use function\)/)
  })
})
