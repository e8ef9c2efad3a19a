// The browser's fromAmplifyConfig: what the file's Cognito resources become (a session read from
// localStorage, identity-pool credentials that follow it), and your options winning. The parsing
// is the core's (packages/core/test/amplify-config.test.ts); requests against @authmode/local in
// packages/local/test/amplify-config.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { NoIdentityError, type AmplifyOutputs, type AwsExports, type TokenProvider } from '@authmode/core'
import { fromAmplifyConfig, fromCognitoUserPool, signOut } from '../src/index'
import outputs from '../../core/test/fixtures/amplify/amplify_outputs.json'
import awsExports from '../../core/test/fixtures/amplify/aws-exports.js'
import { fakeLocalStorage } from './fakeLocalStorage'

afterEach(() => {
  vi.unstubAllGlobals()
})

const CLIENT_ID = outputs.auth.user_pool_client_id
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${outputs.auth.user_pool_id}`
const KEY = `CognitoIdentityServiceProvider.${CLIENT_ID}.LastAuthUser`

// Unsigned JWT-shaped tokens: the session and the logins read only their claims.
const jwt = (claims: Record<string, unknown>): string =>
  ['{"alg":"none"}', JSON.stringify(claims)].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.'
const exp = Math.floor(Date.now() / 1000) + 3600
const tokens = {
  idToken: jwt({ token_use: 'id', iss: ISSUER, sub: 'user-1', exp, iat: exp - 3600 }),
  accessToken: jwt({ token_use: 'access', iss: ISSUER, sub: 'user-1', username: 'user-1', exp, iat: exp - 3600 }),
  refreshToken: 'opaque-refresh-token',
}

/** A stand-in identity pool recording the `Logins` of each GetId. */
function identityPool(): { fetch: typeof globalThis.fetch; logins: unknown[] } {
  const logins: unknown[] = []
  const fetch: typeof globalThis.fetch = (_input, init) => {
    const operation = new Headers(init?.headers).get('x-amz-target')?.split('.').pop()
    const request = JSON.parse(String(init?.body)) as { IdentityId?: string; Logins?: unknown }
    if (operation === 'GetId') logins.push(request.Logins)
    const body =
      operation === 'GetId'
        ? { IdentityId: `us-east-1:00000000-0000-4000-8000-00000000000${String(logins.length)}` }
        : {
            IdentityId: request.IdentityId,
            Credentials: {
              AccessKeyId: 'ASIAEXAMPLE',
              SecretKey: 'example-secret',
              SessionToken: 'example-session',
              Expiration: Math.floor(Date.now() / 1000) + 3600,
            },
          }
    return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }))
  }
  return { fetch, logins }
}

describe('fromAmplifyConfig of @authmode/browser', () => {
  it('reads the file as the core does, and wires its user pool and identity pool', () => {
    vi.stubGlobal('localStorage', fakeLocalStorage())
    const options = fromAmplifyConfig(outputs)
    expect(options).toMatchObject({
      endpoint: outputs.data.url,
      region: 'us-east-1',
      authMode: ['userPool', 'apiKey', 'iam'],
      apiKey: outputs.data.api_key,
      modelIntrospection: outputs.data.model_introspection,
    })
    expect(options.userPool).toBe(options.session)
    expect(typeof options.session?.currentTokens).toBe('function')
    expect((options.credentials as { keepsSession?: unknown }).keepsSession).toBe(true)
  })

  it('the session is the one stored by an earlier sign-in (localStorage); its ID token is the identity pool login', async () => {
    const local = fakeLocalStorage()
    vi.stubGlobal('localStorage', local)
    // An earlier visit signed in: a session of the same app client stored its tokens.
    await fromCognitoUserPool({ clientId: CLIENT_ID, tokens }).currentTokens()
    expect(local.items.has(KEY)).toBe(true)
    const pool = identityPool()
    const options = fromAmplifyConfig(outputs, { cognitoIdentityPool: { fetch: pool.fetch } })
    expect(await options.session?.currentTokens()).toEqual(tokens)
    await expect((options.userPool as TokenProvider)()).resolves.toMatchObject({ token: tokens.idToken })
    await (options.credentials as () => Promise<unknown>)()
    // The provider name as Amplify forms it: the ID token's issuer without its scheme.
    expect(pool.logins).toEqual([{ [ISSUER.replace('https://', '')]: tokens.idToken }])
  })

  it('nobody signed in and guests allowed: guest credentials (no logins)', async () => {
    vi.stubGlobal('localStorage', fakeLocalStorage())
    const pool = identityPool()
    const options = fromAmplifyConfig(outputs, { cognitoIdentityPool: { fetch: pool.fetch } })
    await expect((options.userPool as TokenProvider)()).rejects.toBeInstanceOf(NoIdentityError)
    await expect((options.credentials as () => Promise<unknown>)()).resolves.toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
    })
    expect(pool.logins).toEqual([undefined])
  })

  it('nobody signed in and no guests: the identity pool has no identity (NoIdentityError, so a mode list moves on)', async () => {
    vi.stubGlobal('localStorage', fakeLocalStorage())
    const pool = identityPool()
    const noGuests = { ...outputs, auth: { ...outputs.auth, unauthenticated_identities_enabled: false } }
    const options = fromAmplifyConfig(noGuests, { cognitoIdentityPool: { fetch: pool.fetch } })
    await expect((options.credentials as () => Promise<unknown>)()).rejects.toBeInstanceOf(NoIdentityError)
    expect(pool.logins).toEqual([])
  })

  it('after signOut of the session, the identity pool is asked as a guest', async () => {
    vi.stubGlobal('localStorage', fakeLocalStorage())
    await fromCognitoUserPool({ clientId: CLIENT_ID, tokens }).currentTokens()
    const pool = identityPool()
    const options = fromAmplifyConfig(outputs, { cognitoIdentityPool: { fetch: pool.fetch } })
    const credentials = options.credentials as () => Promise<unknown>
    await credentials()
    await signOut(options.session!, { revoke: false })
    await credentials()
    expect(pool.logins).toEqual([{ [ISSUER.replace('https://', '')]: tokens.idToken }, undefined])
  })

  it('Gen 1: guests unless `aws_mandatory_sign_in` is "enable", as aws-amplify reads it', async () => {
    vi.stubGlobal('localStorage', fakeLocalStorage())
    const pool = identityPool()
    const guest = fromAmplifyConfig(awsExports, { cognitoIdentityPool: { fetch: pool.fetch } })
    expect(guest.userPool).toBe(guest.session)
    await (guest.credentials as () => Promise<unknown>)()
    expect(pool.logins).toEqual([undefined])
    const mandatory: AwsExports = { ...awsExports, aws_mandatory_sign_in: 'enable' }
    const signInFirst = fromAmplifyConfig(mandatory, { cognitoIdentityPool: { fetch: pool.fetch } })
    await expect((signInFirst.credentials as () => Promise<unknown>)()).rejects.toBeInstanceOf(NoIdentityError)
  })

  it('a session you pass after a sign-in is the userPool, and gives the identity pool its logins', async () => {
    vi.stubGlobal('localStorage', fakeLocalStorage())
    const pool = identityPool()
    const session = fromCognitoUserPool({ clientId: CLIENT_ID, tokens })
    const options = fromAmplifyConfig(outputs, { userPool: session, cognitoIdentityPool: { fetch: pool.fetch } })
    expect(options.userPool).toBe(session)
    expect(options.session).toBeUndefined()
    await (options.credentials as () => Promise<unknown>)()
    expect(pool.logins).toEqual([{ [ISSUER.replace('https://', '')]: tokens.idToken }])
  })

  it('options you pass win: your userPool and credentials replace what would be made', () => {
    vi.stubGlobal('localStorage', fakeLocalStorage())
    const userPool: TokenProvider = () => Promise.resolve({ token: 'mine' })
    const credentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example-secret' }
    const options = fromAmplifyConfig(outputs, { userPool, credentials, authMode: 'iam' })
    expect(options.userPool).toBe(userPool)
    expect(options.credentials).toBe(credentials)
    expect(options.session).toBeUndefined()
    expect(options.authMode).toBe('iam')
  })

  it('cognitoUserPool and cognitoIdentityPool reach the providers made (here: their storage)', async () => {
    const local = fakeLocalStorage()
    vi.stubGlobal('localStorage', local)
    const storage = fakeLocalStorage()
    await fromCognitoUserPool({ clientId: CLIENT_ID, tokens, storage }).currentTokens()
    const pool = identityPool()
    const options = fromAmplifyConfig(outputs, {
      cognitoUserPool: { storage },
      cognitoIdentityPool: { fetch: pool.fetch, storage },
    })
    expect(await options.session?.currentTokens()).toEqual(tokens)
    expect(local.items.size).toBe(0)
  })

  it('a file without auth: no session and no credentials', () => {
    const apiOnly: AmplifyOutputs = { version: '1.4', data: outputs.data }
    const options = fromAmplifyConfig(apiOnly)
    expect(options).not.toHaveProperty('userPool')
    expect(options).not.toHaveProperty('credentials')
    expect(options).not.toHaveProperty('session')
  })
})
