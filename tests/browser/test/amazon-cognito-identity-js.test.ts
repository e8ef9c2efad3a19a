// The amazon-cognito-identity-js adapter (the built `@authmode/browser/amazon-cognito-identity-js`
// entry) with the real library, signing in with USER_PASSWORD_AUTH against cognito-local through a
// counting proxy, then used as the `userPool` provider of a client calling the AppSync simulator.
// Tokens are compared and their claims read; none is ever printed.
/* eslint-disable @typescript-eslint/no-deprecated -- the library is deprecated in favour of Amplify v6; the
   adapter exists for the apps still on it. */
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type ICognitoStorage } from 'amazon-cognito-identity-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, NoIdentityError, TokenRefreshError } from '@authmode/browser'
import { fromAmazonCognitoIdentityJs } from '@authmode/browser/amazon-cognito-identity-js'
import { startSimulator, type RunningSimulator } from '../../e2e/src/simulator'
import {
  claims,
  createTestUser,
  shortLivedClient,
  startCognitoLocal,
  type CognitoLocal,
  type TestUser,
} from '../src/cognito'
import { countingProxy, type CountingProxy } from '../src/servers'

const LIFETIME_S = 3
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
/** 'resolved' or the error: a failed assertion must never print a token. */
const settle = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => error,
  )

let cognito: CognitoLocal
let proxy: CountingProxy
let simulator: RunningSimulator
let clientId: string
let alice: TestUser

beforeAll(async () => {
  cognito = await startCognitoLocal()
  proxy = await countingProxy(cognito.endpoint)
  clientId = await shortLivedClient(cognito, LIFETIME_S)
  alice = await createTestUser(cognito, 'alice')
  simulator = await startSimulator({ userPool: { userPoolId: cognito.userPoolId, clientId } })
})

afterAll(async () => {
  // Each is undefined when beforeAll failed before starting it.
  await Promise.allSettled([
    (simulator as RunningSimulator | undefined)?.stop(),
    (proxy as CountingProxy | undefined)?.close(),
  ])
  await (cognito as CognitoLocal | undefined)?.stop()
})

/** A pool of the library, talking to cognito-local through the proxy, with its own storage (as one browser profile's). */
function libraryPool(): CognitoUserPool {
  const items = new Map<string, string>()
  const storage: ICognitoStorage = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    clear: () => {
      items.clear()
    },
  }
  const pool = new CognitoUserPool({
    UserPoolId: cognito.userPoolId,
    ClientId: clientId,
    endpoint: proxy.endpoint,
    Storage: storage,
  })
  storages.set(pool, storage)
  return pool
}
const storages = new WeakMap<CognitoUserPool, ICognitoStorage>()

function signIn(pool: CognitoUserPool, user: TestUser): Promise<CognitoUser> {
  // The pool's users share its storage: that is where the library keeps the session.
  const cognitoUser = new CognitoUser({ Username: user.username, Pool: pool, Storage: storages.get(pool)! })
  cognitoUser.setAuthenticationFlowType('USER_PASSWORD_AUTH')
  return new Promise((resolve, reject) => {
    cognitoUser.authenticateUser(new AuthenticationDetails({ Username: user.username, Password: user.password }), {
      onSuccess: () => {
        resolve(cognitoUser)
      },
      onFailure: (error: unknown) => {
        reject(new Error(`sign-in failed: ${(error as { code?: string }).code ?? 'unknown'}`))
      },
    })
  })
}

describe('fromAmazonCognitoIdentityJs with amazon-cognito-identity-js against cognito-local', () => {
  it('nobody signed in: NoIdentityError, so a mode list moves on to the next mode', async () => {
    const provider = fromAmazonCognitoIdentityJs(libraryPool())
    expect(await settle(provider())).toBeInstanceOf(NoIdentityError)
    const client = createClient({
      endpoint: simulator.url,
      authMode: ['userPool', 'apiKey'],
      userPool: provider,
      apiKey: simulator.apiKey,
    })
    const data = await client.request<{ whoami: { authType: string } }>('{ whoami { authType } }')
    expect(data.whoami.authType).toBe('API Key Authorization')
  })

  it('signs in (USER_PASSWORD_AUTH), calls a user-pool-only field, and refreshes through the library once the token expired', async () => {
    const pool = libraryPool()
    proxy.reset()
    await signIn(pool, alice)
    expect(proxy.count('USER_PASSWORD_AUTH')).toBe(1)

    const provider = fromAmazonCognitoIdentityJs(pool)
    const first = await provider()
    expect(claims(first.token)).toMatchObject({ token_use: 'id', 'cognito:username': 'alice', aud: clientId })
    expect(first.expiration?.getTime()).toBe((claims(first.token)['exp'] as number) * 1000)

    const client = createClient({ endpoint: simulator.url, authMode: 'userPool', userPool: provider })
    const profile = await client.request<{ myProfile: { username: string } }>('{ myProfile { username } }')
    expect(profile.myProfile.username).toBe('alice')
    expect(proxy.count('REFRESH_TOKEN_AUTH')).toBe(0)

    await sleep(LIFETIME_S * 1000 + 1100)
    // 20 requests at once after expiry: the library refreshes once, through its own refreshSession.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => client.request<{ whoami: { username: string } }>('{ whoami { username } }')),
    )
    expect(answers.every((answer) => answer.whoami.username === 'alice')).toBe(true)
    expect(proxy.count('REFRESH_TOKEN_AUTH')).toBe(1)
    expect(proxy.count('USER_PASSWORD_AUTH')).toBe(1)
    const second = await provider()
    expect(second.token === first.token).toBe(false) // compared, never printed
    expect((claims(second.token)['exp'] as number) > (claims(first.token)['exp'] as number)).toBe(true)
  })

  it('forceRefresh (after AppSync rejected a token) refreshes once; use: accessToken sends the access token', async () => {
    const pool = libraryPool()
    await signIn(pool, alice)
    proxy.reset()
    const provider = fromAmazonCognitoIdentityJs(pool, { use: 'accessToken' })
    const first = await provider()
    expect(claims(first.token)).toMatchObject({ token_use: 'access', username: 'alice' })
    // Within one second cognito-local would issue identical tokens (same iat and exp).
    await sleep(1100)
    const forced = await Promise.all([provider({ forceRefresh: true }), provider({ forceRefresh: true })])
    expect(proxy.count('REFRESH_TOKEN_AUTH')).toBe(1)
    expect(forced[0].token === first.token).toBe(false)
    expect(forced[1].token === forced[0].token).toBe(true)
  })

  it('a revoked refresh token ends the session: TokenRefreshError with sessionEnded', async () => {
    const pool = libraryPool()
    const user = await signIn(pool, alice)
    const refreshToken = user.getSignInUserSession()?.getRefreshToken().getToken()
    expect(typeof refreshToken).toBe('string')
    await cognito.call('RevokeToken', { ClientId: clientId, Token: refreshToken })
    proxy.reset()
    const provider = fromAmazonCognitoIdentityJs(pool)
    // The token handed out is still valid; AppSync rejecting it makes the client force a refresh.
    await provider()
    const error = await settle(provider({ forceRefresh: true }))
    expect(error).toBeInstanceOf(TokenRefreshError)
    expect(error).toMatchObject({ sessionEnded: true, errorType: 'NotAuthorizedException' })
    // The library itself retries every failed call with backoff before giving up; every attempt was rejected.
    expect(proxy.count('REFRESH_TOKEN_AUTH')).toBeGreaterThanOrEqual(1)
    expect(proxy.calls.every((call) => call.status === 400)).toBe(true)
    // And it forgot the user, so the next call says nobody is signed in.
    expect(await settle(provider())).toBeInstanceOf(NoIdentityError)
  })
})
