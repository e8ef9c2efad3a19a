// The identity-pool handler on the wire, as Cognito Identity speaks it (AWS JSON 1.1), called with
// Web Requests. Login tokens are real RS256 JWTs checked by a jose-based verifyLogin.
import { beforeAll, describe, expect, it } from 'vitest'
import { ConfigurationError } from '@authmode/core'
import { createCredentialStore } from './credentialStore'
import { createIdentityPoolHandler, type IdentityPoolHandler, type IdentityPoolHandlerOptions } from './handler'
import { createLoginTokens, type LoginTokens } from './testing/loginTokens'
import type { CredentialStore } from './types'

const POOL = 'us-east-1:0f3c1e2a-5b6d-4e7f-8a9b-0c1d2e3f4a5b'
const CLOSED_POOL = 'eu-west-1:9a8b7c6d-0000-4000-8000-000000000001'
const T0 = Date.parse('2026-11-26T04:00:00Z')

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly body: Record<string, unknown>
}

let tokens: LoginTokens

beforeAll(async () => {
  tokens = await createLoginTokens()
})

function setup(options: Partial<IdentityPoolHandlerOptions> = {}): {
  handler: IdentityPoolHandler
  store: CredentialStore
} {
  const clock = { now: () => T0 }
  const store = createCredentialStore({ clock })
  const handler = createIdentityPoolHandler({
    identityPools: [
      { identityPoolId: POOL, allowUnauthenticated: true, loginProviders: [tokens.providerName] },
      { identityPoolId: CLOSED_POOL, allowUnauthenticated: false, loginProviders: [tokens.providerName] },
    ],
    store,
    verifyLogin: tokens.verifyLogin,
    clock,
    ...options,
  })
  return { handler, store }
}

async function call(
  handler: IdentityPoolHandler,
  operation: string,
  body: unknown,
  init: { method?: string; target?: string | null; rawBody?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' }
  const target = init.target === undefined ? `AWSCognitoIdentityService.${operation}` : init.target
  if (target !== null) headers['x-amz-target'] = target
  const method = init.method ?? 'POST'
  const response = await handler(
    new Request('http://127.0.0.1/', {
      method,
      headers,
      ...(method === 'GET' ? {} : { body: init.rawBody ?? JSON.stringify(body) }),
    }),
  )
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  }
}

const getId = (handler: IdentityPoolHandler, body: Record<string, unknown>): Promise<Answer> =>
  call(handler, 'GetId', body)
const getCredentials = (handler: IdentityPoolHandler, body: Record<string, unknown>): Promise<Answer> =>
  call(handler, 'GetCredentialsForIdentity', body)

function expectError(answer: Answer, type: string, message?: string | RegExp): void {
  expect(answer.status).toBe(400)
  expect(answer.body['__type']).toBe(type)
  expect(answer.headers.get('x-amzn-errortype')).toBe(type)
  expect(answer.headers.get('content-type')).toBe('application/x-amz-json-1.1')
  if (message !== undefined) expect(answer.body['message']).toMatch(message)
}

describe('guests', () => {
  it('GetId then GetCredentialsForIdentity: an identity id, and ASIA… credentials whose Expiration is epoch seconds', async () => {
    const { handler, store } = setup()
    const id = await getId(handler, { IdentityPoolId: POOL })
    expect(id.status).toBe(200)
    expect(id.headers.get('content-type')).toBe('application/x-amz-json-1.1')
    expect(id.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    const identityId = id.body['IdentityId'] as string
    expect(identityId).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)

    const answer = await getCredentials(handler, { IdentityId: identityId })
    expect(answer.status).toBe(200)
    const credentials = answer.body['Credentials'] as Record<string, unknown>
    expect(answer.body['IdentityId']).toBe(identityId)
    expect(Object.keys(credentials).sort()).toEqual(['AccessKeyId', 'Expiration', 'SecretKey', 'SessionToken'])
    expect(credentials['AccessKeyId']).toMatch(/^ASIA[A-Z2-7]{16}$/)
    expect(credentials['Expiration']).toBe(T0 / 1000 + 3600)
    const issued = store.lookup(credentials['AccessKeyId'] as string)
    expect(issued?.secretAccessKey).toBe(credentials['SecretKey'])
    expect(issued?.sessionToken).toBe(credentials['SessionToken'])
    expect(issued?.principal).toEqual({ kind: 'guest', identityPoolId: POOL, identityId })
  })

  it('each GetId without Logins is a new guest; `credentialLifetimeSeconds` sets the expiry', async () => {
    const { handler } = setup({ credentialLifetimeSeconds: 120 })
    const a = (await getId(handler, { IdentityPoolId: POOL })).body['IdentityId']
    const b = (await getId(handler, { IdentityPoolId: POOL, Logins: {} })).body['IdentityId']
    expect(a).not.toBe(b)
    const answer = await getCredentials(handler, { IdentityId: a })
    expect((answer.body['Credentials'] as Record<string, unknown>)['Expiration']).toBe(T0 / 1000 + 120)
    expect(handler.identities(POOL)).toHaveLength(2)
    expect(handler.counts()).toEqual({ GetId: 2, GetCredentialsForIdentity: 1, other: 0 })
  })

  it('a pool without unauthenticated access refuses guests', async () => {
    const { handler } = setup()
    expectError(
      await getId(handler, { IdentityPoolId: CLOSED_POOL }),
      'NotAuthorizedException',
      'Unauthenticated access is not supported for this identity pool.',
    )
  })

  it('a deleted identity is ResourceNotFoundException; an unknown pool too', async () => {
    const { handler } = setup()
    const identityId = (await getId(handler, { IdentityPoolId: POOL })).body['IdentityId'] as string
    expect(handler.deleteIdentity(identityId)).toBe(true)
    expect(handler.deleteIdentity(identityId)).toBe(false)
    expectError(
      await getCredentials(handler, { IdentityId: identityId }),
      'ResourceNotFoundException',
      `Identity '${identityId}' not found.`,
    )
    expectError(
      await getId(handler, { IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000' }),
      'ResourceNotFoundException',
      /^IdentityPool 'us-east-1:0{8}-0000-4000-8000-0{12}' not found\.$/,
    )
  })
})

describe('signed-in users', () => {
  it('a verified ID token gets its own identity (the same one each time) and authenticated credentials with its claims', async () => {
    const { handler, store } = setup()
    const alice = await tokens.idToken('alice-sub', { claims: { 'cognito:groups': ['admins'] } })
    const Logins = { [tokens.providerName]: alice }
    const first = (await getId(handler, { IdentityPoolId: POOL, Logins })).body['IdentityId']
    const again = (
      await getId(handler, {
        IdentityPoolId: POOL,
        Logins: { [tokens.providerName]: await tokens.idToken('alice-sub') },
      })
    ).body['IdentityId']
    const bob = (
      await getId(handler, { IdentityPoolId: POOL, Logins: { [tokens.providerName]: await tokens.idToken('bob-sub') } })
    ).body['IdentityId']
    expect(again).toBe(first)
    expect(bob).not.toBe(first)

    const answer = await getCredentials(handler, { IdentityId: first, Logins })
    expect(answer.status).toBe(200)
    const issued = store.lookup((answer.body['Credentials'] as Record<string, string>)['AccessKeyId'] ?? '')
    expect(issued?.principal).toMatchObject({ kind: 'authenticated', identityPoolId: POOL, identityId: first })
    const claims = issued?.principal.kind === 'authenticated' ? issued.principal.claims : {}
    expect(claims).toMatchObject({ sub: 'alice-sub', 'cognito:groups': ['admins'], token_use: 'id' })
    expect(handler.identities(POOL)).toEqual(
      expect.arrayContaining([
        { identityId: first, authenticated: true },
        { identityId: bob, authenticated: true },
      ]),
    )
  })

  it("a user's identity is forbidden without Logins, or with another user's token", async () => {
    const { handler } = setup()
    const Logins = { [tokens.providerName]: await tokens.idToken('alice-sub') }
    const identityId = (await getId(handler, { IdentityPoolId: POOL, Logins })).body['IdentityId'] as string
    const forbidden = `Access to Identity '${identityId}' is forbidden.`
    expectError(await getCredentials(handler, { IdentityId: identityId }), 'NotAuthorizedException', forbidden)
    await getId(handler, { IdentityPoolId: POOL, Logins: { [tokens.providerName]: await tokens.idToken('bob-sub') } })
    expectError(
      await getCredentials(handler, {
        IdentityId: identityId,
        Logins: { [tokens.providerName]: await tokens.idToken('bob-sub') },
      }),
      'NotAuthorizedException',
      forbidden,
    )
  })

  it('a guest identity that signs in becomes that user’s (as in Cognito) and is closed to guests', async () => {
    const { handler } = setup()
    const identityId = (await getId(handler, { IdentityPoolId: POOL })).body['IdentityId'] as string
    const Logins = { [tokens.providerName]: await tokens.idToken('carol-sub') }
    expect((await getCredentials(handler, { IdentityId: identityId, Logins })).status).toBe(200)
    expect((await getId(handler, { IdentityPoolId: POOL, Logins })).body['IdentityId']).toBe(identityId)
    expectError(await getCredentials(handler, { IdentityId: identityId }), 'NotAuthorizedException', /is forbidden/)
  })

  it('an expired, forged or foreign token is NotAuthorizedException, and the answer never quotes it', async () => {
    const { handler } = setup()
    const expired = await tokens.idToken('alice-sub', { lifetimeSeconds: -60 })
    const other = await createLoginTokens() // same provider name, another key: a forged signature
    const forged = await other.idToken('alice-sub')
    for (const token of [expired, forged, 'not-a-jwt']) {
      const answer = await getId(handler, { IdentityPoolId: POOL, Logins: { [tokens.providerName]: token } })
      expectError(answer, 'NotAuthorizedException', /^Invalid login token\. /)
      expect(JSON.stringify(answer.body)).not.toContain(token)
    }
    expectError(
      await getId(handler, { IdentityPoolId: POOL, Logins: { 'accounts.google.com': forged } }),
      'NotAuthorizedException',
      'Token is not from a supported provider of this identity pool.',
    )
  })
})

describe('the protocol', () => {
  it('refuses what is not an AWS JSON 1.1 call of a supported operation, with Cognito-style errors', async () => {
    const { handler } = setup()
    expectError(await call(handler, 'GetId', {}, { target: null }), 'UnknownOperationException')
    expectError(
      await call(handler, 'GetOpenIdToken', { IdentityId: 'us-east-1:1' }),
      'UnknownOperationException',
      /GetOpenIdToken/,
    )
    expectError(await call(handler, 'GetId', undefined, { rawBody: '{"IdentityPoolId":' }), 'SerializationException')
    expectError(await call(handler, 'GetId', undefined, { rawBody: '[1]' }), 'SerializationException')
    expectError(await getId(handler, {}), 'InvalidParameterException', /identityPoolId/)
    expectError(await getCredentials(handler, { IdentityId: 42 }), 'InvalidParameterException', /identityId/)
    expectError(await getId(handler, { IdentityPoolId: POOL, Logins: 'token' }), 'InvalidParameterException')
    const get = await call(handler, 'GetId', undefined, { method: 'GET' })
    expect([get.status, get.body['__type']]).toEqual([405, 'UnknownOperationException'])
    expect(handler.counts()).toEqual({ GetId: 5, GetCredentialsForIdentity: 1, other: 2 })
  })

  it('answers CORS preflights so browsers can call it', async () => {
    const { handler } = setup()
    const response = await handler(
      new Request('http://127.0.0.1/', {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:5173',
          'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent',
        },
      }),
    )
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type,x-amz-target,x-amz-user-agent')
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
  })

  it('checks its configuration', () => {
    const base = { store: createCredentialStore(), verifyLogin: tokens.verifyLogin }
    const pool = { identityPoolId: POOL, allowUnauthenticated: true, loginProviders: [] }
    expect(() => createIdentityPoolHandler({ ...base, identityPools: [] })).toThrow(ConfigurationError)
    expect(() =>
      createIdentityPoolHandler({ ...base, identityPools: [{ ...pool, identityPoolId: 'pool-1' }] }),
    ).toThrow(/<region>:<uuid>/)
    expect(() => createIdentityPoolHandler({ ...base, identityPools: [pool, pool] })).toThrow(/listed twice/)
    expect(() => createIdentityPoolHandler({ ...base, identityPools: [{ ...pool, loginProviders: [''] }] })).toThrow(
      /loginProviders/,
    )
    expect(() => createIdentityPoolHandler({ ...base, identityPools: [pool], credentialLifetimeSeconds: 0 })).toThrow(
      /credentialLifetimeSeconds/,
    )
  })
})
