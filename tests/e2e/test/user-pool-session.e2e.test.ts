// End to end: a Cognito user pool session (`signInWithPassword` + `fromCognitoUserPool` of the
// built @authmode/node) against cognito-local and the AppSync simulator, all on 127.0.0.1.
//
// cognito-local sits behind a counting proxy, so "exactly one refresh" is counted where it
// reaches cognito-local, not inside the client. The simulator verifies no JWT signature or expiry,
// so it sits behind a verifying front (src/appsync-front.ts) that rejects what AppSync would: a bad
// signature, another issuer or app client, an expired token. The app client here issues ID and
// access tokens that live a few seconds, so the tests really wait for them to expire.
//
// Tokens, refresh tokens and passwords are only compared, never printed: every assertion about
// them is a boolean or a count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  fromCognitoUserPool,
  memoryStorage,
  NoAuthModeAvailableError,
  signInWithPassword,
  signOut,
  TokenRefreshError,
  type Client,
  type ClientEvents,
  type CognitoTokens,
  type CognitoUserPoolSession,
  type KeyValueStorage,
} from '@authmode/node'
import { startAppSyncFront, type AppSyncFront } from '../src/appsync-front'
import { startCognitoProxy, type CognitoProxy } from '../src/cognito-proxy'
import { REGION, startPeers, type Peers, type TestUser } from '../src/peers'
import { AUTH_TYPE } from '../src/schema'

// Short enough to wait for, long enough that a slow machine still sends the first request
// before the refresh window (half the lifetime) opens.
const TOKEN_SECONDS = 6
const WHOAMI = '{ whoami { authType username tokenUse audience } }'
const MY_PROFILE = '{ myProfile { username } }'

interface Caller {
  authType: string
  username: string | null
  tokenUse: string | null
  audience: string | null
}

let peers: Peers
let user: TestUser
let clientId: string
let cognitoProxy: CognitoProxy
let front: AppSyncFront

beforeAll(async () => {
  peers = await startPeers([{ username: 'dana' }])
  const dana = peers.users['dana']
  if (!dana) throw new Error('dana was not created')
  user = dana
  ;({ clientId } = await peers.cognito.createAppClient({
    name: 'authmode-e2e-short-lived',
    tokenValiditySeconds: TOKEN_SECONDS,
  }))
  cognitoProxy = await startCognitoProxy(peers.cognito.endpoint)
  front = await startAppSyncFront({ simulatorUrl: peers.simulator.url, cognito: peers.cognito, clientIds: [clientId] })
})

afterAll(async () => {
  const running: ({ stop(): Promise<void> } | undefined)[] = [
    // Each is undefined when beforeAll failed before starting it.
    front,
    cognitoProxy,
    peers,
  ]
  await Promise.allSettled(running.map((peer) => peer?.stop() ?? Promise.resolve()))
})

function signIn(): Promise<CognitoTokens> {
  return signInWithPassword({ clientId, username: user.username, password: user.password, endpoint: cognitoProxy.url })
}

function session(tokens: CognitoTokens, extra: { use?: 'idToken' | 'accessToken'; storage?: KeyValueStorage } = {}) {
  return fromCognitoUserPool({ clientId, tokens, endpoint: cognitoProxy.url, ...extra })
}

function clientFor(userPool: CognitoUserPoolSession, authMode: 'userPool' | ['userPool', 'apiKey'] = 'userPool') {
  const client = createClient({
    endpoint: front.url,
    region: REGION,
    authMode,
    userPool,
    apiKey: peers.simulator.apiKey,
    logger: null,
  })
  const events: { name: keyof ClientEvents; payload: unknown }[] = []
  for (const name of ['tokenRefreshed', 'sessionExpired', 'unauthorizedRetry', 'authModeSkipped'] as const) {
    client.on(name, (payload) => events.push({ name, payload }))
  }
  return { client, events }
}

/** Waits until the token's `exp` has passed (plus a margin), by the wall clock. */
async function waitForExpiry(token: string): Promise<void> {
  const exp = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number }).exp
  const ms = exp * 1000 + 300 - Date.now()
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms))
  expect(Date.now()).toBeGreaterThan(exp * 1000)
}

function whoami(client: Client): Promise<Caller> {
  return client.request<{ whoami: Caller }>(WHOAMI).then((data) => data.whoami)
}

describe('a user pool session against cognito-local', () => {
  it('signs in, calls a user-pool-only field, and after the ID token expired 100 concurrent requests make exactly 1 refresh', async () => {
    const before = { signIns: cognitoProxy.count('InitiateAuth', 'USER_PASSWORD_AUTH'), seen: front.seen.length }
    const tokens = await signIn()
    expect(cognitoProxy.count('InitiateAuth', 'USER_PASSWORD_AUTH')).toBe(before.signIns + 1)
    const storage = memoryStorage()
    const dana = session(tokens, { storage })
    const { client, events } = clientFor(dana)

    // The user-pool-only field, with the ID token (sent by default).
    expect(await client.request(MY_PROFILE)).toEqual({ myProfile: { username: 'dana' } })
    expect(await whoami(client)).toEqual({
      authType: AUTH_TYPE.userPool,
      username: 'dana',
      tokenUse: 'id',
      audience: clientId,
    })
    const refreshesBefore = cognitoProxy.count('InitiateAuth', 'REFRESH_TOKEN_AUTH')
    const triesBefore = cognitoProxy.count('GetTokensFromRefreshToken')

    await waitForExpiry(tokens.idToken)
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => whoami(client)))

    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(0)
    for (const result of results) {
      expect(result.status === 'fulfilled' && result.value).toEqual({
        authType: AUTH_TYPE.userPool,
        username: 'dana',
        tokenUse: 'id',
        audience: clientId,
      })
    }
    expect(cognitoProxy.count('InitiateAuth', 'REFRESH_TOKEN_AUTH') - refreshesBefore).toBe(1)
    // cognito-local has no GetTokensFromRefreshToken (CognitoLocal#Unsupported): tried once, then the fallback.
    expect(cognitoProxy.count('GetTokensFromRefreshToken') - triesBefore).toBe(1)
    // What the front saw: every request carried a verified, unexpired ID token; none was rejected.
    const seen = front.seen.slice(before.seen)
    expect(seen).toHaveLength(102)
    expect(seen.every((s) => s.verified && s.tokenUse === 'id')).toBe(true)
    expect(events.filter((e) => e.name === 'unauthorizedRetry')).toHaveLength(0)
    // The burst used one new ID token, stored; the refresh token was kept (no rotation here).
    const current = await dana.currentTokens()
    expect(current !== undefined && current.idToken !== tokens.idToken).toBe(true)
    expect(current?.refreshToken === tokens.refreshToken).toBe(true)
    expect(new Set(seen.slice(2).map((s) => s.exp)).size).toBe(1)
    // In Amplify's layout, under the user's name.
    expect(await storage.getItem(`CognitoIdentityServiceProvider.${clientId}.LastAuthUser`)).toBe('dana')
    const stored = await storage.getItem(`CognitoIdentityServiceProvider.${clientId}.dana.idToken`)
    expect(stored === current?.idToken).toBe(true)
    expect(events.filter((e) => e.name === 'tokenRefreshed')).toHaveLength(2)
  })

  it("sends the access token with use: 'accessToken', before and after a refresh", async () => {
    const tokens = await signIn()
    const dana = session(tokens, { use: 'accessToken' })
    const { client } = clientFor(dana)
    const seenBefore = front.seen.length

    expect(await whoami(client)).toMatchObject({ authType: AUTH_TYPE.userPool, username: 'dana', tokenUse: 'access' })
    const refreshesBefore = cognitoProxy.count('InitiateAuth', 'REFRESH_TOKEN_AUTH')
    await waitForExpiry(tokens.accessToken)
    expect(await whoami(client)).toMatchObject({ tokenUse: 'access' })
    expect(cognitoProxy.count('InitiateAuth', 'REFRESH_TOKEN_AUTH') - refreshesBefore).toBe(1)
    expect(front.seen.slice(seenBefore).map((s) => [s.tokenUse, s.verified])).toEqual([
      ['access', true],
      ['access', true],
    ])
  })

  it('a refresh token revoked elsewhere ends the session: TokenRefreshError and sessionExpired after exactly 1 refresh attempt', async () => {
    const tokens = await signIn()
    const storage = memoryStorage()
    const here = session(tokens, { storage })
    const { client, events } = clientFor(here)
    expect(await client.request(MY_PROFILE)).toEqual({ myProfile: { username: 'dana' } })

    // "Sign out everywhere" from another device: its own session over the same tokens revokes them.
    const revokesBefore = cognitoProxy.count('RevokeToken')
    await signOut(session(tokens))
    expect(cognitoProxy.count('RevokeToken')).toBe(revokesBefore + 1)

    await waitForExpiry(tokens.idToken)
    const refreshesBefore = cognitoProxy.count('InitiateAuth', 'REFRESH_TOKEN_AUTH')
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.request(MY_PROFILE)))

    expect(cognitoProxy.count('InitiateAuth', 'REFRESH_TOKEN_AUTH') - refreshesBefore).toBe(1)
    for (const result of results) {
      const error = result.status === 'rejected' ? (result.reason as unknown) : undefined
      expect(error).toBeInstanceOf(TokenRefreshError)
      expect(error).toMatchObject({ sessionEnded: true, retryable: false, errorType: 'NotAuthorizedException' })
    }
    expect(events.filter((e) => e.name === 'sessionExpired').map((e) => e.payload)).toEqual([
      { mode: 'userPool', reason: 'NotAuthorizedException' },
    ])
    expect(await storage.getItem(`CognitoIdentityServiceProvider.${clientId}.LastAuthUser`)).toBeUndefined()
    expect(await storage.getItem(`CognitoIdentityServiceProvider.${clientId}.dana.refreshToken`)).toBeUndefined()

    // Nobody is signed in now: no further refresh attempt, no second event.
    expect(await client.request(MY_PROFILE).catch((e: unknown) => e)).toBeInstanceOf(NoAuthModeAvailableError)
    expect(cognitoProxy.count('InitiateAuth', 'REFRESH_TOKEN_AUTH') - refreshesBefore).toBe(1)
    expect(events.filter((e) => e.name === 'sessionExpired')).toHaveLength(1)
  })

  it('signOut revokes the refresh token at cognito-local, and a mode list falls back at once', async () => {
    const tokens = await signIn()
    const dana = session(tokens)
    const { client } = clientFor(dana, ['userPool', 'apiKey'])
    expect((await whoami(client)).authType).toBe(AUTH_TYPE.userPool)

    const revokesBefore = cognitoProxy.count('RevokeToken')
    await signOut(dana)
    expect(cognitoProxy.count('RevokeToken')).toBe(revokesBefore + 1)
    expect(await dana.currentTokens()).toBeUndefined()
    // The ID token is still unexpired, but the client no longer sends it.
    expect((await whoami(client)).authType).toBe(AUTH_TYPE.apiKey)
    // cognito-local itself no longer takes the refresh token (asked directly, not through the proxy).
    const refused = await peers.cognito.refresh(tokens.refreshToken ?? '').catch((e: unknown) => e)
    expect(refused instanceof Error && refused.message.includes('NotAuthorizedException')).toBe(true)
  })
})
