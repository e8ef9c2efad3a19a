// End to end: the built @authmode/node client against real local peers, the Amplify AppSync
// simulator and cognito-local, both on 127.0.0.1.
//
// Known and accepted: the simulator verifies no JWT signature or expiry and no SigV4 signature
// (it checks the API key value, that a user pool token is a JWT from an https://cognito-idp.
// issuer, and that IAM requests carry a SigV4 `authorization`). These tests are about protocol
// conformance: the right headers, one mode per request, the server's real answers and the typed
// errors the client makes of them. What the client sends is checked here, over the wire.
//
// Secrets (API key, tokens, secret key, session token, signatures) are only ever compared, never
// printed: assertions on them go through `summarize`, which says what a header holds without
// its value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, GraphQLResponseError, UnauthorizedError, type Client } from '@authmode/node'
import { REGION, startPeers, type Peers } from '../src/peers'
import { AUTH_TYPE } from '../src/schema'
import { isLoopback, listeningSockets } from '../src/sockets'
import { cognitoTokenProvider, type CognitoTokenProvider } from '../src/token-provider'

type Mode = 'apiKey' | 'userPool' | 'iam'
const MODES: readonly Mode[] = ['apiKey', 'userPool', 'iam']

/** Each mode's own query, mutation and Panel field. */
const OWN = {
  apiKey: {
    query: '{ publicNotes { id text authType } }',
    queryField: 'publicNotes',
    mutation: 'mutation { postPublicNote(text: "hello") { id text authType } }',
    mutationField: 'postPublicNote',
    panelField: 'apiKeyField',
  },
  userPool: {
    query: '{ myProfile { username groups } }',
    queryField: 'myProfile',
    mutation: 'mutation { updateMyProfile(displayName: "Alice") { username displayName } }',
    mutationField: 'updateMyProfile',
    panelField: 'userPoolField',
  },
  iam: {
    query: '{ serviceHealth { status userArn } }',
    queryField: 'serviceHealth',
    mutation: 'mutation { recordServiceEvent(name: "deploy") { id name userArn } }',
    mutationField: 'recordServiceEvent',
    panelField: 'iamField',
  },
} as const

const AUTH_ROLE_ARN = 'arn:aws:sts::12345678910:assumed-role/authRole/CognitoIdentityCredentials'
const WHOAMI = '{ whoami { authType username issuer tokenUse audience groups userArn } }'

interface Caller {
  authType: string
  username: string | null
  issuer: string | null
  tokenUse: string | null
  audience: string | null
  groups: string[] | null
  userArn: string | null
}

let peers: Peers
let alice: CognitoTokenProvider
let client: Client
/** Headers of every request the shared client sent, in order. Never printed. */
const sent: Headers[] = []

beforeAll(async () => {
  peers = await startPeers([{ username: 'alice', groups: ['admins'] }, { username: 'bob' }])
  const user = peers.users['alice']
  if (!user) throw new Error('alice was not created')
  alice = cognitoTokenProvider(peers.cognito, user.username, user.password)
  client = createClient({
    endpoint: peers.simulator.url,
    region: REGION, // a 127.0.0.1 endpoint names no region; SigV4 needs one
    apiKey: peers.simulator.apiKey,
    userPool: alice,
    credentials: peers.credentials,
    authMode: 'apiKey',
    fetch: recordingFetch(sent),
  })
})

afterAll(async () => {
  // Undefined when startPeers itself failed (it then stopped whatever it had started).
  await (peers as Peers | undefined)?.stop()
})

describe('the peers', () => {
  it('listen on 127.0.0.1 only (cognito-local as a child process, the simulator in this process)', async () => {
    const cognito = await listeningSockets(peers.cognito.pid)
    expect(cognito).toEqual([{ address: '127.0.0.1', port: peers.cognito.port }])
    const here = await listeningSockets(process.pid)
    expect(here).toContainEqual({ address: '127.0.0.1', port: peers.simulator.port })
    expect(here.filter((socket) => !isLoopback(socket.address))).toEqual([])
    expect(new URL(peers.simulator.url).hostname).toBe('127.0.0.1')
    expect(new URL(peers.cognito.endpoint).hostname).toBe('127.0.0.1')
  })
})

describe.each(MODES)('%s mode', (mode) => {
  const own = OWN[mode]
  const others = MODES.filter((other) => other !== mode)

  it('reaches its own query', async () => {
    const data = await client.request(own.query, undefined, { authMode: mode })
    expect(data).toEqual(
      {
        apiKey: {
          publicNotes: [
            { id: 'n1', text: 'Welcome, guest', authType: AUTH_TYPE.apiKey },
            { id: 'n2', text: 'Read-only for API keys', authType: AUTH_TYPE.apiKey },
          ],
        },
        userPool: { myProfile: { username: 'alice', groups: ['admins'] } },
        iam: { serviceHealth: { status: 'ok', userArn: AUTH_ROLE_ARN } },
      }[mode],
    )
  })

  it('runs its own mutation', async () => {
    const data = await client.request<Record<string, Record<string, unknown>>>(own.mutation, undefined, {
      authMode: mode,
    })
    const result = data[own.mutationField]
    expect(result).toMatchObject(
      {
        apiKey: { text: 'hello', authType: AUTH_TYPE.apiKey },
        userPool: { username: 'alice', displayName: 'Alice' },
        iam: { name: 'deploy', userArn: AUTH_ROLE_ARN },
      }[mode],
    )
  })

  it("reads its own Panel field and gets field-level denials (HTTP 200, errorType Unauthorized) for the others'", async () => {
    const fields = MODES.map((m) => OWN[m].panelField)
    const error = await graphQLError(
      client.request(`{ panel { id ${fields.join(' ')} } }`, undefined, { authMode: mode }),
    )
    // Partial data: the allowed fields resolve, each denied one is null with its own error.
    expect(error.data).toEqual({
      panel: {
        id: 'panel-1',
        apiKeyField: mode === 'apiKey' ? 'for API keys' : null,
        userPoolField: mode === 'userPool' ? 'for signed-in users' : null,
        iamField: mode === 'iam' ? 'for IAM callers' : null,
      },
    })
    expect(error.errors.map((e) => ({ errorType: e.errorType, path: e.path, message: e.message }))).toEqual(
      others.map((other) => ({
        errorType: 'Unauthorized',
        path: ['panel', OWN[other].panelField],
        message: `Not Authorized to access ${OWN[other].panelField} on type Panel`,
      })),
    )
  })

  it.each(others)(
    "is denied %s mode's query and mutation (field-level: HTTP 200, errorType Unauthorized)",
    async (other) => {
      for (const [document, field] of [
        [OWN[other].query, OWN[other].queryField],
        [OWN[other].mutation, OWN[other].mutationField],
      ] as const) {
        const error = await graphQLError(client.request(document, undefined, { authMode: mode }))
        expect(error.errors).toHaveLength(1)
        expect(error.errors[0]).toMatchObject({
          errorType: 'Unauthorized',
          path: [field],
          message: `Not Authorized to access ${field} on type ${document.startsWith('mutation') ? 'Mutation' : 'Query'}`,
        })
        // A nullable field is nulled; `publicNotes` is non-null, so the null reaches `data` itself.
        expect(error.data).toEqual(field === 'publicNotes' ? null : { [field]: null })
      }
    },
  )
})

describe('one client, many modes', () => {
  it('switches authMode per request, and the default comes back after an override', async () => {
    const before = sent.length
    const order: (Mode | undefined)[] = [undefined, 'userPool', 'iam', 'apiKey', 'iam', undefined]
    const seen: string[] = []
    for (const authMode of order) {
      const { whoami } = await client.request<{ whoami: Caller }>(WHOAMI, undefined, authMode ? { authMode } : {})
      seen.push(whoami.authType)
    }
    expect(seen).toEqual([
      AUTH_TYPE.apiKey,
      AUTH_TYPE.userPool,
      AUTH_TYPE.iam,
      AUTH_TYPE.apiKey,
      AUTH_TYPE.iam,
      AUTH_TYPE.apiKey,
    ])
    // Over the wire: exactly one mode's credentials per request, as each mode must send them.
    const summaries = sent.slice(before).map((headers) => summarize(headers))
    const expected = order.map((m) => expectedHeaders(m ?? 'apiKey'))
    expect(summaries).toEqual(expected)
  })

  it('user-pool mode sends the raw ID token cognito-local issued (no Bearer prefix)', async () => {
    const before = sent.length
    const { whoami } = await client.request<{ whoami: Caller }>(WHOAMI, undefined, { authMode: 'userPool' })
    const headers = sent[before]
    if (!headers) throw new Error('no request was sent')
    // Compared, never printed.
    const idToken = alice.current()?.idToken
    expect(idToken !== undefined && headers.get('authorization') === idToken).toBe(true)
    expect(summarize(headers).authorization).toBe('raw ID token')
    // The server decoded that same token: an ID token of this pool's app client.
    expect(whoami).toEqual({
      authType: AUTH_TYPE.userPool,
      username: 'alice',
      issuer: peers.cognito.issuer,
      tokenUse: 'id',
      audience: peers.cognito.clientId,
      groups: ['admins'],
      userArn: null,
    })
  })

  it('iam mode is seen as the authenticated role of the credentials it signed with', async () => {
    const { whoami } = await client.request<{ whoami: Caller }>(WHOAMI, undefined, { authMode: 'iam' })
    expect(whoami).toMatchObject({ authType: AUTH_TYPE.iam, userArn: AUTH_ROLE_ARN, username: null })
  })

  it('with a mode list, a query denied to the first mode is answered with the next', async () => {
    const before = sent.length
    const data = await client.request(OWN.userPool.query, undefined, { authMode: ['apiKey', 'userPool'] })
    expect(data).toEqual({ myProfile: { username: 'alice', groups: ['admins'] } })
    expect(sent.slice(before).map((headers) => summarize(headers).authorization)).toEqual(['absent', 'raw ID token'])
  })
})

describe('user pool groups', () => {
  it('cognito_groups: an admin reads adminField; a signed-in user outside the group is denied it', async () => {
    const adminData = await client.request('{ panel { adminField } }', undefined, { authMode: 'userPool' })
    expect(adminData).toEqual({ panel: { adminField: 'for admins' } })

    const user = peers.users['bob']
    if (!user) throw new Error('bob was not created')
    const bob = createClient({
      endpoint: peers.simulator.url,
      userPool: cognitoTokenProvider(peers.cognito, user.username, user.password),
      authMode: 'userPool',
    })
    expect(await bob.request('{ myProfile { username groups } }')).toEqual({
      myProfile: { username: 'bob', groups: null },
    })
    const error = await graphQLError(bob.request('{ panel { id adminField } }'))
    expect(error.data).toEqual({ panel: { id: 'panel-1', adminField: null } })
    expect(error.errors.map((e) => [e.errorType, e.path])).toEqual([['Unauthorized', ['panel', 'adminField']]])
  })
})

describe('request-level denials and recovery', () => {
  it('a wrong API key: HTTP 401 UnauthorizedException; one forced refresh and retry, then UnauthorizedError', async () => {
    const requests: Headers[] = []
    let keyCalls = 0
    const wrongKey = createClient({
      endpoint: peers.simulator.url,
      apiKey: () => {
        keyCalls++
        return Promise.resolve({ apiKey: 'da2-thisisnotthekey0000000000' })
      },
      authMode: 'apiKey',
      fetch: recordingFetch(requests),
    })
    const error = await wrongKey.request(WHOAMI).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UnauthorizedError)
    const unauthorized = error as UnauthorizedError
    expect(unauthorized.code).toBe('ERR_UNAUTHORIZED')
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.mode).toBe('apiKey')
    expect(unauthorized.serverMessages).toEqual(['UnauthorizedException: Invalid API key'])
    expect(requests).toHaveLength(2)
    expect(keyCalls).toBe(2)
  })

  it('a rejected user pool token is replaced by a forced refresh and the request retried once', async () => {
    const user = peers.users['alice']
    if (!user) throw new Error('alice was not created')
    const fresh = cognitoTokenProvider(peers.cognito, user.username, user.password)
    const forced: boolean[] = []
    const requests: Headers[] = []
    const recovering = createClient({
      endpoint: peers.simulator.url,
      // First a token the server rejects (not a JWT: HTTP 401 "Invalid JWT token"), then, when the
      // client forces a refresh, a real one from cognito-local.
      userPool: async (options) => {
        forced.push(options?.forceRefresh === true)
        return options?.forceRefresh ? fresh({}) : { token: 'not-a-jwt', expiration: new Date(Date.now() + 3_600_000) }
      },
      authMode: 'userPool',
      fetch: recordingFetch(requests),
    })
    const { whoami } = await recovering.request<{ whoami: Caller }>(WHOAMI)
    expect(whoami).toMatchObject({ authType: AUTH_TYPE.userPool, username: 'alice', tokenUse: 'id' })
    expect(forced).toEqual([false, true])
    expect(requests.map((headers) => headers.get('authorization') === 'not-a-jwt')).toEqual([true, false])
  })

  it('a token that is not a JWT, with no better one to refresh to: UnauthorizedError (401, "Invalid JWT token")', async () => {
    const notAJwt = createClient({ endpoint: peers.simulator.url, userPool: 'not-a-jwt', authMode: 'userPool' })
    const error = await notAJwt.request(WHOAMI).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UnauthorizedError)
    expect(error).toMatchObject({
      status: 401,
      mode: 'userPool',
      serverMessages: ['UnauthorizedException: Invalid JWT token'],
    })
  })
})

// ---------------------------------------------------------------------------------------------

async function graphQLError(promise: Promise<unknown>): Promise<GraphQLResponseError<Record<string, unknown>>> {
  const outcome = await promise.then(
    (data: unknown) => ({ data }),
    (error: unknown) => ({ error }),
  )
  if (!('error' in outcome))
    throw new Error(`expected a GraphQLResponseError, got data: ${JSON.stringify(outcome.data)}`)
  expect(outcome.error).toBeInstanceOf(GraphQLResponseError)
  const error = outcome.error as GraphQLResponseError<Record<string, unknown>>
  expect(error.code).toBe('ERR_GRAPHQL')
  return error
}

function recordingFetch(into: Headers[]): typeof fetch {
  return (input, init) => {
    into.push(new Headers(init?.headers))
    return fetch(input, init)
  }
}

interface HeaderSummary {
  apiKey: 'absent' | 'the API key' | 'another value'
  authorization: 'absent' | 'raw ID token' | 'Bearer token' | 'SigV4' | 'other'
  securityToken: 'absent' | 'the session token' | 'another value'
  amzDate: 'absent' | 'YYYYMMDDTHHMMSSZ' | 'malformed'
  /** SigV4 only: the credential scope, with the key id replaced by whether it is ours. */
  scope?: string
  signedHeaders?: string
}

/** What the credential headers of a request hold, without their values. */
function summarize(headers: Headers): HeaderSummary {
  const authorization = headers.get('authorization')
  const apiKey = headers.get('x-api-key')
  const securityToken = headers.get('x-amz-security-token')
  const amzDate = headers.get('x-amz-date')
  const summary: HeaderSummary = {
    apiKey: apiKey === null ? 'absent' : apiKey === peers.simulator.apiKey ? 'the API key' : 'another value',
    authorization:
      authorization === null
        ? 'absent'
        : authorization === alice.current()?.idToken
          ? 'raw ID token'
          : authorization.startsWith('Bearer ')
            ? 'Bearer token'
            : authorization.startsWith('AWS4-HMAC-SHA256 ')
              ? 'SigV4'
              : 'other',
    securityToken:
      securityToken === null
        ? 'absent'
        : securityToken === peers.credentials.sessionToken
          ? 'the session token'
          : 'another value',
    amzDate: amzDate === null ? 'absent' : /^\d{8}T\d{6}Z$/.test(amzDate) ? 'YYYYMMDDTHHMMSSZ' : 'malformed',
  }
  if (summary.authorization === 'SigV4' && authorization) {
    const credential = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization)
    const signed = /SignedHeaders=([^,]+)/.exec(authorization)
    summary.scope = credential
      ? `${credential[1] === peers.credentials.accessKeyId ? '<our key id>' : '<another key id>'}/${
          credential[2] === amzDate?.slice(0, 8) ? '<x-amz-date day>' : '<another day>'
        }/${credential[3] ?? ''}/${credential[4] ?? ''}/aws4_request`
      : 'unparsed'
    summary.signedHeaders = signed?.[1] ?? 'unparsed'
  }
  return summary
}

function expectedHeaders(mode: Mode): HeaderSummary {
  switch (mode) {
    case 'apiKey':
      return { apiKey: 'the API key', authorization: 'absent', securityToken: 'absent', amzDate: 'absent' }
    case 'userPool':
      return { apiKey: 'absent', authorization: 'raw ID token', securityToken: 'absent', amzDate: 'absent' }
    case 'iam':
      return {
        apiKey: 'absent',
        authorization: 'SigV4',
        securityToken: 'the session token',
        amzDate: 'YYYYMMDDTHHMMSSZ',
        scope: `<our key id>/<x-amz-date day>/${REGION}/appsync/aws4_request`,
        signedHeaders: 'accept;content-type;host;x-amz-date;x-amz-security-token',
      }
  }
}
