// Issue 15: AppSync's AWS_LAMBDA mode on @authmode/local, end to end with @authmode/node clients in
// the `lambda` mode (the token in `authorization`): the authorizer gets AppSync's event, its answer
// decides (isAuthorized), reaches resolvers (resolverContext), nulls fields (deniedFields, also as a
// field ARN) and is kept for its ttlOverride; `allow: custom` and `@aws_lambda` admit Lambda callers
// only; a JWT of the user pool on the same `authorization` header is verified as a JWT, never handed
// to the authorizer; subscriptions are authorized by it at connect and start; no token in the log.
import { generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, fromCognitoUserPool, signInWithPassword, subscribe, type Client } from '@authmode/node'
import {
  startLocalAppSync,
  type LambdaAuthorizerEvent,
  type LambdaAuthorizerResult,
  type LocalAppSync,
} from '@authmode/local'
import { outcome } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Ticket @model @auth(rules: [{ allow: custom }, { allow: owner, operations: [read] }]) {
    id: ID!
    title: String
    secret: String
  }
  type Note @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String
  }
  type Query {
    whoami: String @aws_lambda
    motd: String @aws_api_key
  }
`
const CREATE =
  'mutation Create($title: String) { createTicket(input: { title: $title, secret: "s3cret" }) { id title } }'
const GET = 'query Get($id: ID!) { getTicket(id: $id) { id title secret } }'

const events: LambdaAuthorizerEvent[] = []
const logs: string[] = []
let server: LocalAppSync
const PASSWORD = 'Local-Pw-1!'

function answer(token: string): LambdaAuthorizerResult {
  if (token.startsWith('custom-throw-')) throw new Error(`bad token ${token}`)
  switch (token) {
    case 'custom-allow':
      return { isAuthorized: true, resolverContext: { tenant: 'acme' } }
    case 'custom-limited':
      return {
        isAuthorized: true,
        deniedFields: [
          'Ticket.secret',
          'arn:aws:appsync:us-east-1:000000000000:apis/local/types/Mutation/fields/deleteTicket',
        ],
      }
    case 'custom-kept':
      return { isAuthorized: true, ttlOverride: 60 }
    default:
      return { isAuthorized: false }
  }
}

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    userPool: { users: [{ username: 'alice', password: PASSWORD }] },
    lambdaAuthorizer: async (event) => {
      events.push(event)
      await Promise.resolve()
      return answer(event.authorizationToken)
    },
    resolvers: {
      Query: {
        whoami: (_source, _args, { caller }) =>
          caller.mode === 'lambda' ? String(caller.resolverContext['tenant']) : null,
        motd: () => 'hello',
      },
    },
    logger: { info: (line) => logs.push(line), warn: (line) => logs.push(line) },
  })
})

afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
  // Whatever happened, no token reached the log.
  expect(logs.join('\n')).not.toMatch(/custom-(allow|limited|kept|deny|throw)/)
})

const lambdaClient = (token: string): Client =>
  createClient({ endpoint: server.graphqlUrl, authMode: 'lambda', lambda: token, retry: false, logger: null })
const seen = (token: string): LambdaAuthorizerEvent[] => events.filter((e) => e.authorizationToken === token)

describe('the Lambda authorizer', () => {
  it('authorizes a request; allow: custom admits it; resolverContext reaches resolvers; AppSync’s event', async () => {
    const client = lambdaClient('custom-allow')
    const created = await client.request<{ createTicket: { id: string; title: string } }>(CREATE, { title: 'first' })
    expect(created.createTicket.title).toBe('first')
    expect(await client.request(GET, { id: created.createTicket.id })).toEqual({
      getTicket: { id: created.createTicket.id, title: 'first', secret: 's3cret' },
    })
    expect(await client.request('{ whoami }')).toEqual({ whoami: 'acme' })

    const [event] = seen('custom-allow')
    expect(event).toMatchObject({
      authorizationToken: 'custom-allow',
      requestContext: {
        apiId: 'local',
        accountId: '000000000000',
        queryString: CREATE,
        operationName: 'Create',
        variables: { title: 'first' },
      },
      requestHeaders: { authorization: 'custom-allow', 'content-type': 'application/json; charset=UTF-8' },
    })
    expect(event?.requestContext.requestId).toMatch(/^local-\d+$/)
    expect(logs).toContain('POST /graphql 200 lambda')
  })

  it('rules and directives for other modes do not admit a Lambda caller: owner rule, @aws_api_key', async () => {
    const client = lambdaClient('custom-allow')
    expect(await outcome(client.request('{ listNotes { items { id } } }'))).toMatchObject({
      ok: false,
      code: 'ERR_GRAPHQL',
      errorTypes: ['Unauthorized'],
    })
    expect(await outcome(client.request('{ motd }'))).toMatchObject({ ok: false, errorTypes: ['Unauthorized'] })
    // …and @aws_lambda admits no one else.
    const apiKey = createClient({
      endpoint: server.graphqlUrl,
      authMode: 'apiKey',
      apiKey: server.apiKey ?? '',
      retry: false,
      logger: null,
    })
    expect(await apiKey.request('{ motd }')).toEqual({ motd: 'hello' })
    expect(await outcome(apiKey.request('{ whoami }'))).toMatchObject({ ok: false, errorTypes: ['Unauthorized'] })
    expect(await outcome(apiKey.request('{ listTickets { items { id } } }'))).toMatchObject({
      ok: false,
      errorTypes: ['Unauthorized'],
    })
  })

  it('isAuthorized false: 401 UnauthorizedException before any resolver; the token is not logged', async () => {
    const from = logs.length
    const refused = await outcome(lambdaClient('custom-deny').request(CREATE, { title: 'no' }))
    expect(refused).toMatchObject({ ok: false, code: 'ERR_UNAUTHORIZED', status: 401 })
    expect(logs.slice(from)).toContain('POST /graphql 401 rejected: You are not authorized to make this call.')
    const all = await lambdaClient('custom-allow').request<{ listTickets: { items: { title: string }[] } }>(
      '{ listTickets { items { title } } }',
    )
    expect(all.listTickets.items.map((t) => t.title)).not.toContain('no')
  })

  it('deniedFields: Type.field answers null with Unauthorized; a field ARN denies a mutation, which writes nothing', async () => {
    const { createTicket } = await lambdaClient('custom-allow').request<{ createTicket: { id: string } }>(CREATE, {
      title: 'kept',
    })
    const limited = lambdaClient('custom-limited')
    const read = await outcome(limited.request(GET, { id: createTicket.id }))
    expect(read).toMatchObject({ ok: false, code: 'ERR_GRAPHQL', errorTypes: ['Unauthorized'] })
    const error = await limited.request(GET, { id: createTicket.id }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      data: { getTicket: { id: createTicket.id, title: 'kept', secret: null } },
      errors: [
        {
          errorType: 'Unauthorized',
          path: ['getTicket', 'secret'],
          message: 'Not Authorized to access secret on type Ticket',
        },
      ],
    })

    const deleted = await outcome(
      limited.request('mutation ($id: ID!) { deleteTicket(input: { id: $id }) { id } }', { id: createTicket.id }),
    )
    expect(deleted).toMatchObject({ ok: false, errorTypes: ['Unauthorized'] })
    expect(await lambdaClient('custom-allow').request(GET, { id: createTicket.id })).toMatchObject({
      getTicket: { id: createTicket.id, title: 'kept' },
    })
  })

  it('ttlOverride keeps the answer for that token; without it the authorizer runs for every request', async () => {
    const kept = lambdaClient('custom-kept')
    await kept.request('{ listTickets { items { id } } }')
    await kept.request('{ listTickets { items { id } } }')
    expect(seen('custom-kept')).toHaveLength(1)
    const before = seen('custom-allow').length
    const fresh = lambdaClient('custom-allow')
    await fresh.request('{ whoami }')
    await fresh.request('{ whoami }')
    expect(seen('custom-allow')).toHaveLength(before + 2)
  })

  it('an authorizer that throws: 401 with its message, the token in it replaced', async () => {
    const from = logs.length
    const token = 'custom-throw-7f3a'
    expect(await outcome(lambdaClient(token).request('{ whoami }'))).toMatchObject({ ok: false, status: 401 })
    expect(logs.slice(from)).toContain('POST /graphql 401 rejected: The Lambda authorizer failed: bad token [token]')
  })
})

describe('lambda as the default mode', () => {
  it('a @model without @auth, and fields without directives, admit Lambda callers only', async () => {
    const api = await startLocalAppSync({
      schema: 'type Memo @model { id: ID! text: String } type Query { ping: String }',
      defaultAuthMode: 'lambda',
      lambdaAuthorizer: ({ authorizationToken }) => ({ isAuthorized: authorizationToken === 'custom-allow' }),
      resolvers: { Query: { ping: () => 'pong' } },
    })
    try {
      const fn = createClient({
        endpoint: api.graphqlUrl,
        authMode: 'lambda',
        lambda: 'custom-allow',
        retry: false,
        logger: null,
      })
      const key = createClient({
        endpoint: api.graphqlUrl,
        authMode: 'apiKey',
        apiKey: api.apiKey ?? '',
        retry: false,
        logger: null,
      })
      expect(await fn.request('mutation { createMemo(input: { text: "m" }) { text } }')).toEqual({
        createMemo: { text: 'm' },
      })
      expect(await fn.request('{ ping }')).toEqual({ ping: 'pong' })
      expect(await outcome(key.request('{ listMemos { items { text } } }'))).toMatchObject({
        ok: false,
        errorTypes: ['Unauthorized'],
      })
      expect(await outcome(key.request('{ ping }'))).toMatchObject({ ok: false, errorTypes: ['Unauthorized'] })
      expect(api.amplifyOutputs().data.default_authorization_type).toBe('AWS_LAMBDA')
    } finally {
      await api.stop()
    }
  })
})

describe('one authorization header, three readings', () => {
  it('a JWT of the local user pool is verified as a user pool token and never reaches the authorizer', async () => {
    const { endpoint, clientId } = server.userPool ?? { endpoint: '', clientId: '' }
    const tokens = await signInWithPassword({ endpoint, clientId, username: 'alice', password: PASSWORD })
    const before = events.length
    const alice = createClient({
      endpoint: server.graphqlUrl,
      authMode: 'userPool',
      userPool: fromCognitoUserPool({ endpoint, clientId, tokens }),
      retry: false,
      logger: null,
    })
    expect(await alice.request('mutation { createNote(input: { text: "mine" }) { text } }')).toEqual({
      createNote: { text: 'mine' },
    })
    // The same ID token sent in the lambda mode is still read as the pool's JWT.
    const asLambda = lambdaClient(tokens.idToken)
    expect(await asLambda.request('{ listNotes { items { text } } }')).toEqual({
      listNotes: { items: [{ text: 'mine' }] },
    })
    // …so allow: custom does not admit it.
    expect(await outcome(asLambda.request('{ whoami }'))).toMatchObject({ ok: false, errorTypes: ['Unauthorized'] })
    expect(events).toHaveLength(before)
  })

  it('a JWT of an issuer the API does not trust goes to the Lambda authorizer', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    const jwt = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer('https://issuer.example.com/')
      .sign(privateKey)
    expect(await outcome(lambdaClient(jwt).request('{ whoami }'))).toMatchObject({ ok: false, status: 401 })
    expect(seen(jwt).length).toBeGreaterThan(0)
  })

  it('without a Lambda authorizer, a token that is no JWT is refused as an invalid JWT', async () => {
    const plain = await startLocalAppSync({ schema: SCHEMA, userPool: { users: [] } })
    try {
      const answer = await fetch(plain.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'custom-allow' },
        body: JSON.stringify({ query: '{ whoami }' }),
      })
      expect(answer.status).toBe(401)
      expect(await answer.json()).toEqual({
        errors: [{ errorType: 'UnauthorizedException', message: 'Invalid JWT token: not a JWT.' }],
      })
    } finally {
      await plain.stop()
    }
  })
})

describe('subscriptions in the lambda mode', () => {
  it('the connection and the start are authorized by the authorizer; allow: custom lets events through', async () => {
    const client = lambdaClient('custom-allow')
    const from = events.length
    const onCreate = subscribe<{ onCreateTicket: { title: string } }>(
      client,
      'subscription { onCreateTicket { title } }',
    )
    try {
      await onCreate.ready
      const asked = events.slice(from).map((e) => e.requestContext.queryString)
      expect(asked).toEqual(['', 'subscription { onCreateTicket { title } }'])
      const iterator = onCreate[Symbol.asyncIterator]()
      const next = iterator.next()
      await client.request(CREATE, { title: 'live' })
      expect((await next).value).toEqual({ onCreateTicket: { title: 'live' } })
    } finally {
      onCreate.unsubscribe()
    }
  })

  it('a token the authorizer refuses: the connection fails (SubscriptionError)', async () => {
    const refused = subscribe(lambdaClient('custom-deny'), 'subscription { onCreateTicket { title } }')
    await expect(refused.ready).rejects.toMatchObject({ code: 'ERR_SUBSCRIPTION' })
    refused.unsubscribe()
  })
})
