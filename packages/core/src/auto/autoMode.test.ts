// `auto`'s parts without a server: the root fields of a document, the rules index of a model
// introspection schema (written from Amplify's documented format), and the plan of one call (its
// order, what it admits for which identity, and what it learns). The end-to-end proof is
// packages/local/test/auto.test.ts.
import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../client/config'
import type { ClientOptions } from '../client/options'
import { ConfigurationError } from '../errors/ConfigurationError'
import type { SkippedMode } from '../errors/NoAuthModeAvailableError'
import { prepareDocument, TOKEN } from '../graphql/document'
import { jwtClaims } from '../identity/jwt'
import { createAuto } from './autoMode'
import { rootFields } from './rootFields'
import { indexRules } from './rules'

const ENDPOINT = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
const auto = createAuto({ jwtClaims, prepareDocument, token: TOKEN, ConfigurationError })

/** An unsigned JWT with these claims (the client reads claims; the server verifies). */
const jwt = (claims: object): string =>
  `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`

const model = (name: string, rules: readonly object[] | undefined, properties: object = {}) => ({
  name,
  pluralName: `${name}s`,
  fields: {},
  attributes: [{ type: 'model', properties }, ...(rules ? [{ type: 'auth', properties: { rules } }] : [])],
})

const INTROSPECTION = {
  version: 1,
  models: {
    Post: model('Post', [
      { allow: 'public', provider: 'apiKey', operations: ['read'] },
      {
        allow: 'owner',
        provider: 'userPools',
        ownerField: 'owner',
        identityClaim: 'cognito:username',
        operations: ['create', 'read'],
      },
      {
        allow: 'groups',
        provider: 'userPools',
        groupClaim: 'cognito:groups',
        groups: ['Admin'],
        operations: ['delete', 'read'],
      },
      { allow: 'private', provider: 'iam', operations: ['read'] },
      { allow: 'public', provider: 'iam', operations: ['read'] },
    ]),
    Log: model('Log', [{ allow: 'custom', operations: ['read'] }, { allow: 'private' }]),
    Note: model('Note', undefined, { queries: { get: 'fetchNote' }, subscriptions: null }),
  },
  nonModels: {},
  enums: {},
}

describe('rootFields', () => {
  it.each<[string, string | undefined, string[] | undefined]>([
    ['{ listPosts { items { id } } }', undefined, ['listPosts']],
    [
      'query Q($a: ID = 1) @live { mine: getPost(id: $a) { id } __typename other: listPosts { x } }',
      undefined,
      ['getPost', 'listPosts'],
    ],
    [
      'mutation M { createPost(input: { title: "{ not a field }" }) @include(if: true) { id } }',
      undefined,
      ['createPost'],
    ],
    ['query A { a } query B { b c(x: [1, 2]) { d } }', 'B', ['b', 'c']],
    [
      'subscription S { onCreatePost(filter: { owner: { eq: "x" } }) { id } } fragment F on Post { id }',
      undefined,
      ['onCreatePost'],
    ],
    ['{ ...Root } fragment Root on Query { listPosts { id } }', undefined, undefined],
    ['query A { a }', 'B', undefined],
  ])('%s (%s)', (source, name, expected) => {
    expect(rootFields(source, name, TOKEN)).toEqual(expected)
  })
})

describe('indexRules', () => {
  const index = indexRules(INTROSPECTION, ConfigurationError)

  it("names each model's generated root fields and what they do", () => {
    expect(index.get('listPosts')).toMatchObject({ model: 'Post', operations: ['list', 'read'] })
    expect(index.get('getPost')?.operations).toEqual(['get', 'read'])
    expect(index.get('createPost')?.operations).toEqual(['create'])
    expect(index.get('onDeletePost')?.operations).toEqual(['listen', 'read'])
    expect(index.get('syncPosts')?.operations).toEqual(['sync', 'read'])
    // A rule without a provider gets the transformer's default.
    expect(index.get('listLogs')?.rules?.map((rule) => rule.mode)).toEqual(['lambda', 'userPool'])
  })

  it('@model(queries: { get: … }) renames and keeps only what it names; `subscriptions: null` turns them off', () => {
    expect(index.get('fetchNote')).toMatchObject({ model: 'Note', operations: ['get', 'read'], rules: undefined })
    expect(index.has('getNote')).toBe(false)
    expect(index.has('listNotes')).toBe(false)
    expect(index.has('onCreateNote')).toBe(false)
    expect(index.get('createNote')?.operations).toEqual(['create'])
  })

  it.each<[string, object, RegExp]>([
    ['no models', { version: 1 }, /it has no `models`/],
    [
      'a rule that allows nothing known',
      { models: { A: model('A', [{ allow: 'everyone' }]) } },
      /a rule of A allows "everyone"/,
    ],
    [
      'an unknown provider',
      { models: { A: model('A', [{ allow: 'public', provider: 'ldap' }]) } },
      /names the provider "ldap"/,
    ],
  ])('%s is a ConfigurationError that says what is wrong', (_, introspection, message) => {
    expect(() => indexRules(introspection, ConfigurationError)).toThrow(ConfigurationError)
    expect(() => indexRules(introspection, ConfigurationError)).toThrow(message)
  })
})

function config(options: Partial<ClientOptions> = {}) {
  return resolveConfig({
    endpoint: ENDPOINT,
    authMode: 'auto',
    apiKey: 'da2-key',
    userPool: 'token',
    lambda: 'token',
    apiAuthModes: ['apiKey', 'userPool', 'lambda', 'iam'],
    modelIntrospection: INTROSPECTION,
    logger: null,
    ...options,
  })
}

describe('the plan of one call', () => {
  it('with rules: the modes of the rules that allow it, most specific first; the others with their reason', () => {
    const reasons: SkippedMode[] = []
    const plan = auto.plan(config(), { query: '{ listPosts { items { id } } }' }, reasons)
    // owner (userPool), then private (iam: the rule for signed-in identities), then public (apiKey).
    expect(plan.modes).toEqual(['userPool', 'iam', 'apiKey'])
    expect(reasons).toEqual([{ mode: 'lambda', reason: 'no @auth rule of Post allows list (listPosts) with it' }])
    // A retry of the same call (after a network error) shares its reasons: each mode once.
    auto.plan(config(), { query: '{ listPosts { items { id } } }' }, reasons)
    expect(reasons).toHaveLength(1)
  })

  it('names every rule that admits the identity in the chosen event', () => {
    const cfg = config()
    const chosen: string[] = []
    cfg.events.on('authModeChosen', ({ reason }) => chosen.push(reason))
    const plan = auto.plan(cfg, { query: '{ listPosts { items { id } } }' }, [])
    plan.admit('userPool', { token: jwt({ 'cognito:username': 'carol', 'cognito:groups': ['Admin'] }) })
    expect(chosen).toEqual([
      'Post: allow owner (userPools) or allow groups [Admin] (userPools) for list (listPosts); carol',
    ])
  })

  it('admits an identity only where a rule speaks to it: groups by the claim, IAM by who the credentials are', () => {
    const plan = auto.plan(config(), { query: 'mutation { deletePost(input: { id: "1" }) { id } }' }, [])
    expect(plan.modes).toEqual(['userPool', 'iam'])
    expect(plan.admit('userPool', { token: jwt({ 'cognito:username': 'bob', 'cognito:groups': ['Staff'] }) })).toBe(
      'bob may not delete (deletePost) Post: allow groups [Admin] (userPools): needs cognito:groups to hold one of them',
    )
    expect(
      plan.admit('userPool', { token: jwt({ 'cognito:username': 'alice', 'cognito:groups': ['Admin'] }) }),
    ).toBeUndefined()
    const guest = { accessKeyId: 'AKID', secretAccessKey: 's', identityId: 'us-east-1:1', authenticated: false }
    expect(plan.admit('iam', guest)).toBe('a guest may not delete (deletePost) Post: no rule for this mode')
    // Backend credentials (not an identity pool's) are granted by IAM policy, not by @auth.
    expect(plan.admit('iam', { accessKeyId: 'AKID', secretAccessKey: 's' })).toBeUndefined()
  })

  it('reads a createAuthFetch body as the GraphQL request it is', () => {
    const body = new TextEncoder().encode(JSON.stringify({ query: 'query Q { listLogs { items { id } } }' }))
    const plan = auto.plan(config(), { key: 'POST https://x/graphql', body }, [])
    // custom (the Lambda authorizer), then private (the user pool; IAM, for backend credentials).
    expect(plan.modes).toEqual(['lambda', 'userPool', 'iam'])
  })

  it('without rules: the API modes in order; a refusal is learned per operation and identity, and forgotten when an identity changes', () => {
    const cfg = config({ modelIntrospection: undefined })
    const operation = { query: 'query Echo { echo }' }
    const alice = { token: jwt({ sub: 'a', 'cognito:username': 'alice' }) }
    const first = auto.plan(cfg, operation, [])
    expect(first.modes).toEqual(['apiKey', 'userPool', 'lambda', 'iam'])
    expect(first.admit('apiKey', { apiKey: 'da2-key' })).toBeUndefined()
    first.refused('apiKey', { apiKey: 'da2-key' })
    expect(first.admit('userPool', alice)).toBeUndefined()

    const second = auto.plan(cfg, operation, [])
    expect(second.admit('apiKey', { apiKey: 'da2-key' })).toMatch(/^the API refused query echo with the API key before/)
    // Another operation learned nothing.
    expect(auto.plan(cfg, { query: '{ other }' }, []).admit('apiKey', { apiKey: 'da2-key' })).toBeUndefined()

    // alice signs out: what was learned is forgotten, and the identity watchers hear of it.
    let changes = 0
    cfg.identityWatchers.add(() => changes++)
    const third = auto.plan(cfg, operation, [])
    third.admit('userPool', undefined)
    expect(changes).toBe(1)
    expect(third.admit('apiKey', { apiKey: 'da2-key' })).toBeUndefined()
  })
})
