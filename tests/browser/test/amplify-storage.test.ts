// Sessions shared through Amplify's storage layout (issue 16): amazon-cognito-identity-js
// (CognitoUser.authenticateUser / cacheTokens / getSession / refreshSession) and Amplify v6
// (@aws-amplify/auth's signIn / fetchAuthSession / signOut over its DefaultTokenStore), each with
// its own code, over the same storage as fromCognitoUserPool of the built @authmode/browser; all
// against @authmode/local's user pool and API on 127.0.0.1, in Node. Tokens are compared, never
// printed.
/* eslint-disable @typescript-eslint/no-deprecated -- amazon-cognito-identity-js is deprecated in favour of
   Amplify v6; apps still on it share sessions with us all the same. */
import { Amplify, ConsoleLogger } from '@aws-amplify/core'
import { fetchAuthSession, getCurrentUser, signIn as amplifySignIn, signOut as amplifySignOut } from '@aws-amplify/auth'
import { cognitoUserPoolsTokenProvider } from '@aws-amplify/auth/cognito'
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createClient,
  fromCognitoUserPool,
  NoIdentityError,
  signInWithPassword,
  signOut,
  type CognitoUserPoolSession,
} from '@authmode/browser'
import { startLocalAppSync, type LocalAppSync, type LocalUserPool } from '@authmode/local'

const SCHEMA = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String!
  }
`
const PASSWORD = 'Interop-Passw0rd!'
const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => error,
  )

// Amplify warns on every call that the endpoint is not AWS's: it is meant to be local here.
ConsoleLogger.LOG_LEVEL = 'ERROR'

let server: LocalAppSync
let pool: LocalUserPool
/** App clients: without rotation (amazon-cognito-identity-js refreshes with REFRESH_TOKEN_AUTH), and rotating with a grace period of 0. */
let plainClient: string
let rotatingClient: string

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    apiKeys: false,
    userPool: {
      users: [{ username: 'alice', password: PASSWORD }],
      clients: [{}, { refreshTokenRotation: { retryGracePeriodSeconds: 0 } }],
    },
  })
  pool = server.userPool as LocalUserPool
  plainClient = pool.clients[0]?.clientId ?? ''
  rotatingClient = pool.clients[1]?.clientId ?? ''
})

afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
})

/** One browser profile's localStorage: synchronous, as amazon-cognito-identity-js needs it. */
function sharedStorage(): ICognitoStorage & { items: Map<string, string> } {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    clear: () => {
      items.clear()
    },
  }
}

let counts: Record<string, number>
beforeEach(() => {
  counts = { ...pool.handler.counts() }
})
/** Calls of `operation` at the local pool since the test began. */
const calls = (operation: 'InitiateAuth' | 'GetTokensFromRefreshToken' | 'RevokeToken'): number =>
  pool.handler.counts()[operation] - (counts[operation] ?? 0)

/** Ours, over `storage`, as a web app makes it on load (no tokens: what storage holds). */
function ours(clientId: string, storage: ICognitoStorage): CognitoUserPoolSession {
  return fromCognitoUserPool({ clientId, endpoint: pool.endpoint, storage })
}

/** The owner the local API records for a note created with `session`: whose token it sent. */
async function owner(session: CognitoUserPoolSession): Promise<string> {
  const client = createClient({ endpoint: server.graphqlUrl, authMode: 'userPool', userPool: session })
  const data = await client.request<{ createNote: { owner: string } }>(
    'mutation { createNote(input: { text: "hello" }) { owner } }',
  )
  return data.createNote.owner
}

describe('amazon-cognito-identity-js 6.3 and fromCognitoUserPool over one storage', () => {
  function library(storage: ICognitoStorage): CognitoUserPool {
    return new CognitoUserPool({
      UserPoolId: pool.userPoolId,
      ClientId: plainClient,
      endpoint: pool.endpoint,
      Storage: storage,
    })
  }

  function getSession(user: CognitoUser): Promise<CognitoUserSession> {
    return new Promise((resolve, reject) => {
      user.getSession((error: Error | null, session: CognitoUserSession | null) => {
        if (error || !session) reject(error ?? new Error('no session'))
        else resolve(session)
      })
    })
  }

  it('a session the library signed in (its cacheTokens) is ours; our refresh is what its getSession reads', async () => {
    const storage = sharedStorage()
    const user = new CognitoUser({ Username: 'alice', Pool: library(storage), Storage: storage })
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH')
    await new Promise<void>((resolve, reject) => {
      user.authenticateUser(new AuthenticationDetails({ Username: 'alice', Password: PASSWORD }), {
        onSuccess: () => {
          resolve()
        },
        onFailure: (error: unknown) => {
          reject(new Error(`sign-in failed: ${(error as { code?: string }).code ?? 'unknown'}`))
        },
      })
    })
    const theirs = user.getSignInUserSession()
    const session = ours(plainClient, storage)
    expect((await session.currentTokens())?.idToken === theirs?.getIdToken().getJwtToken()).toBe(true)
    expect(await owner(session)).toContain('alice')

    const refreshed = await session({ forceRefresh: true })
    expect(calls('GetTokensFromRefreshToken')).toBe(1)
    expect(refreshed.token === theirs?.getIdToken().getJwtToken()).toBe(false)
    // The library, loading the current user anew (a reload), reads our tokens: valid, no refresh of its own.
    const current = library(storage).getCurrentUser()
    expect(current?.getUsername()).toBe('alice')
    const loaded = current && (await getSession(current))
    expect(loaded?.getIdToken().getJwtToken() === refreshed.token).toBe(true)
    expect(loaded?.isValid()).toBe(true)
    // Our clockDrift (Amplify v6's milliseconds) is 0 where clocks agree: the library's seconds too,
    // not minutes of drift that would make it refresh early.
    // (getClockDrift is the library's, missing from its types.)
    expect((loaded as unknown as { getClockDrift(): number } | null)?.getClockDrift()).toBe(0)
    expect(calls('InitiateAuth')).toBe(1) // the sign-in only: no REFRESH_TOKEN_AUTH
  })

  it('a session we signed in is the library’s; its refresh is ours, and a sign-out on either side is the other’s', async () => {
    const storage = sharedStorage()
    const tokens = await signInWithPassword({
      endpoint: pool.endpoint,
      clientId: plainClient,
      username: 'alice',
      password: PASSWORD,
    })
    const session = fromCognitoUserPool({ clientId: plainClient, endpoint: pool.endpoint, storage, tokens })
    expect(await owner(session)).toContain('alice')

    const current = library(storage).getCurrentUser()
    expect(current?.getUsername()).toBe('alice')
    const loaded = current && (await getSession(current))
    expect(loaded?.getIdToken().getJwtToken() === tokens.idToken).toBe(true)
    expect(loaded?.getRefreshToken().getToken() === tokens.refreshToken).toBe(true)
    expect(loaded?.isValid()).toBe(true)

    // The library refreshes (REFRESH_TOKEN_AUTH) and caches its tokens; a session loaded now uses them.
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) => {
      current?.refreshSession(loaded!.getRefreshToken(), (error: unknown, next: CognitoUserSession | null) => {
        if (error || !next) reject(new Error('refresh failed'))
        else resolve(next)
      })
    })
    expect(calls('InitiateAuth')).toBe(2)
    const reloaded = ours(plainClient, storage)
    expect((await reloaded.currentTokens())?.idToken === refreshed.getIdToken().getJwtToken()).toBe(true)
    // The session that signed in adopts them at its next refresh, without a call of its own.
    expect((await session({ forceRefresh: true })).token === refreshed.getIdToken().getJwtToken()).toBe(true)
    expect(calls('GetTokensFromRefreshToken')).toBe(0)

    // The library signs out (its keys removed): our sessions find nobody at their next refresh.
    current?.signOut()
    expect(library(storage).getCurrentUser()).toBeNull()
    expect(await settle(session({ forceRefresh: true }))).toBeInstanceOf(NoIdentityError)
    expect(await ours(plainClient, storage).currentTokens()).toBeUndefined()

    // And ours: sign in again here, sign out here; the library finds nobody.
    const again = fromCognitoUserPool({
      clientId: plainClient,
      endpoint: pool.endpoint,
      storage,
      tokens: await signInWithPassword({
        endpoint: pool.endpoint,
        clientId: plainClient,
        username: 'alice',
        password: PASSWORD,
      }),
    })
    await again.currentTokens()
    expect(library(storage).getCurrentUser()?.getUsername()).toBe('alice')
    await signOut(again)
    expect(library(storage).getCurrentUser()).toBeNull()
    expect(storage.items.size).toBe(0)
  })
})

describe('Amplify v6 (@aws-amplify/auth 6.21) and fromCognitoUserPool over one storage, on a rotating app client', () => {
  let storage: ReturnType<typeof sharedStorage>

  beforeEach(() => {
    storage = sharedStorage()
    // What `aws-amplify`'s Amplify.configure wires for the Auth category, with our storage (Amplify's is async).
    Amplify.configure(
      {
        Auth: {
          Cognito: { userPoolId: pool.userPoolId, userPoolClientId: rotatingClient, userPoolEndpoint: pool.endpoint },
        },
      },
      { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } },
    )
    const auth = Amplify.getConfig().Auth
    if (!auth) throw new Error('Amplify has no Auth config')
    cognitoUserPoolsTokenProvider.setAuthConfig(auth)
    cognitoUserPoolsTokenProvider.setKeyValueStorage({
      getItem: (key) => Promise.resolve(storage.getItem(key)),
      setItem: (key, value) => {
        storage.setItem(key, value)
        return Promise.resolve()
      },
      removeItem: (key) => {
        storage.removeItem(key)
        return Promise.resolve()
      },
      clear: () => {
        storage.clear()
        return Promise.resolve()
      },
    })
  })

  /** Amplify's current ID token (`fetchAuthSession`, which refreshes when it must or is told to). */
  async function amplifyIdToken(forceRefresh = false): Promise<string | undefined> {
    return (await fetchAuthSession({ forceRefresh })).tokens?.idToken?.toString()
  }

  it('a session Amplify signed in is ours: refreshes alternate between the two, each with the latest rotated refresh token', async () => {
    const result = await amplifySignIn({
      username: 'alice',
      password: PASSWORD,
      options: { authFlowType: 'USER_PASSWORD_AUTH' },
    })
    expect(result.isSignedIn).toBe(true)
    const signInDetails = storage.items.get(`CognitoIdentityServiceProvider.${rotatingClient}.alice.signInDetails`)
    expect(signInDetails).toContain('alice')

    const session = ours(rotatingClient, storage)
    const first = await amplifyIdToken()
    expect((await session.currentTokens())?.idToken === first).toBe(true)
    expect(await owner(session)).toContain('alice')

    const refreshTokens = new Set([(await session.currentTokens())?.refreshToken])
    for (let round = 0; round < 3; round++) {
      // Ours rotates the refresh token; Amplify reads the result without a call of its own.
      const mine = await session({ forceRefresh: true })
      expect(await amplifyIdToken()).toBe(mine.token)
      refreshTokens.add((await session.currentTokens())?.refreshToken)
      // Amplify refreshes with the refresh token we stored (the old one is refused with grace 0).
      const its = await amplifyIdToken(true)
      expect(its === mine.token).toBe(false)
      // Ours adopts Amplify's tokens at its next refresh instead of using a rotated-out token.
      const adopted = await session({ forceRefresh: true })
      expect(adopted.token === its).toBe(true)
      refreshTokens.add((await session.currentTokens())?.refreshToken)
    }
    // 3 of ours and 3 of Amplify's, every one accepted, each with a new refresh token.
    expect(calls('GetTokensFromRefreshToken')).toBe(6)
    expect(refreshTokens.size).toBe(7)
    expect(await owner(session)).toContain('alice')
    // Amplify's sign-in details are its own: kept by our refreshes.
    expect(storage.items.get(`CognitoIdentityServiceProvider.${rotatingClient}.alice.signInDetails`)).toBe(
      signInDetails,
    )

    // Our sign-out revokes and removes the session: Amplify finds nobody signed in.
    await signOut(session)
    expect(calls('RevokeToken')).toBe(1)
    expect(await settle(getCurrentUser())).toMatchObject({ name: 'UserUnAuthenticatedException' })
    expect(storage.items.size).toBe(0)
  })

  it('a session we signed in is Amplify’s, and Amplify’s sign-out ends ours', async () => {
    const tokens = await signInWithPassword({
      endpoint: pool.endpoint,
      clientId: rotatingClient,
      username: 'alice',
      password: PASSWORD,
    })
    const session = fromCognitoUserPool({ clientId: rotatingClient, endpoint: pool.endpoint, storage, tokens })
    await session.currentTokens()
    expect((await getCurrentUser()).username).toBe('alice')
    expect((await amplifyIdToken()) === tokens.idToken).toBe(true)

    // Amplify's refresh rotates the refresh token we stored; ours, loaded anew, uses its result.
    const its = await amplifyIdToken(true)
    expect(calls('GetTokensFromRefreshToken')).toBe(1)
    const reloaded = ours(rotatingClient, storage)
    expect((await reloaded.currentTokens())?.idToken === its).toBe(true)
    expect((await reloaded.currentTokens())?.refreshToken === tokens.refreshToken).toBe(false)

    await amplifySignOut()
    // Amplify revoked the refresh token (the access token has origin_jti) and removed its keys.
    expect(calls('RevokeToken')).toBe(1)
    expect(storage.items.size).toBe(0)
    expect(await settle(session({ forceRefresh: true }))).toBeInstanceOf(NoIdentityError)
    expect(await ours(rotatingClient, storage).currentTokens()).toBeUndefined()
  })
})
