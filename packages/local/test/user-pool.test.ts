// The local user pool on the wire, spoken to by the AWS SDK's own CognitoIdentityProviderClient
// (its serializers and error parsing) over HTTP on 127.0.0.1: sign-in, refresh with and without
// rotation, the retry grace period, RevokeToken, GlobalSignOut, client secrets, and Cognito's
// error types and messages. The server's clock is one the tests move (expiry, grace period).
import { createHmac } from 'node:crypto'
import {
  CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider'
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalAppSync, type LocalAppSync, type LocalUserPool } from '@authmode/local'
import { REGION, TestClock } from './helpers'

const SCHEMA = 'type Post @model @auth(rules: [{ allow: owner }]) { id: ID! title: String! }'
const PASSWORD = 'Correct-Horse-1!'

const clock = new TestClock()
let server: LocalAppSync
let pool: LocalUserPool
let sdk: CognitoIdentityProviderClient
const ids = { plain: '', rotating: '', grace: '', secret: '', revealing: '' }
let secret = ''

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    clock,
    userPool: {
      userPoolId: `${REGION}_LocalPool1`,
      users: [
        { username: 'alice', password: PASSWORD, groups: ['Admin', 'Editors'], attributes: { email: 'a@example.com' } },
        { username: 'bob', password: PASSWORD },
      ],
      clients: [
        { clientId: 'plainclient' },
        { clientId: 'rotatingclient', refreshTokenRotation: true },
        { clientId: 'graceclient', refreshTokenRotation: { retryGracePeriodSeconds: 30 } },
        { clientId: 'secretclient', clientSecret: true, refreshTokenRotation: true },
        { clientId: 'revealingclient', preventUserExistenceErrors: false },
      ],
    },
  })
  pool = server.userPool as LocalUserPool
  Object.assign(ids, {
    plain: 'plainclient',
    rotating: 'rotatingclient',
    grace: 'graceclient',
    secret: 'secretclient',
    revealing: 'revealingclient',
  })
  secret = pool.clients.find((c) => c.clientId === ids.secret)?.clientSecret ?? ''
  sdk = new CognitoIdentityProviderClient({
    region: REGION,
    endpoint: pool.endpoint,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  })
})

afterAll(async () => {
  sdk.destroy()
  await server.stop()
})

interface SignedIn {
  readonly IdToken: string
  readonly AccessToken: string
  readonly RefreshToken: string
  readonly ExpiresIn: number
  readonly TokenType: string
}

const hash = (username: string, clientId: string, key = secret): string =>
  createHmac('sha256', key)
    .update(username + clientId)
    .digest('base64')

async function signIn(clientId: string, username = 'alice', extra: Record<string, string> = {}) {
  const answer = await sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: PASSWORD, ...extra },
    }),
  )
  return answer.AuthenticationResult as SignedIn
}

const refresh = (clientId: string, refreshToken: string, clientSecret?: string) =>
  sdk
    .send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: clientId,
        RefreshToken: refreshToken,
        ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }),
      }),
    )
    .then((answer) => answer.AuthenticationResult as AuthenticationResultType)

/** The SDK's error for a call: its name (Cognito's `__type`), message and HTTP status. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } }
    return { name: e.name, message: e.message, ...(e.$metadata ? { status: e.$metadata.httpStatusCode } : {}) }
  }
  throw new Error('expected the call to fail')
}

describe('sign-in (InitiateAuth USER_PASSWORD_AUTH)', () => {
  it("returns RS256 ID and access tokens with Cognito's claims, verifiable against the JWKS at the issuer path", async () => {
    const before = Math.floor(clock.now() / 1000)
    const tokens = await signIn(ids.plain)
    expect(tokens.TokenType).toBe('Bearer')
    expect(tokens.ExpiresIn).toBe(3600)
    expect(typeof tokens.RefreshToken).toBe('string')
    expect(pool.issuer).toBe(`${server.url}/${REGION}_LocalPool1`)
    expect(pool.jwksUri).toBe(`${pool.issuer}/.well-known/jwks.json`)

    const keys = createRemoteJWKSet(new URL(pool.jwksUri))
    const options = { issuer: pool.issuer, algorithms: ['RS256'], currentDate: new Date(clock.now()) }
    const id = (await jwtVerify(tokens.IdToken, keys, { ...options, audience: ids.plain })).payload
    const access = (await jwtVerify(tokens.AccessToken, keys, options)).payload
    expect(decodeProtectedHeader(tokens.IdToken)).toMatchObject({ alg: 'RS256', kid: expect.any(String) })

    expect(id).toMatchObject({
      token_use: 'id',
      'cognito:username': 'alice',
      'cognito:groups': ['Admin', 'Editors'],
      email: 'a@example.com',
      aud: ids.plain,
      iss: pool.issuer,
    })
    expect(access).toMatchObject({
      token_use: 'access',
      username: 'alice',
      client_id: ids.plain,
      'cognito:groups': ['Admin', 'Editors'],
      scope: 'aws.cognito.signin.user.admin',
    })
    expect(access.aud).toBeUndefined()
    expect(id.sub).toMatch(/^[0-9a-f-]{36}$/)
    expect(access.sub).toBe(id.sub)
    for (const claims of [id, access]) {
      expect(claims.iat).toBeGreaterThanOrEqual(before)
      expect(claims['auth_time']).toBe(claims.iat)
      expect(claims.exp).toBe((claims.iat ?? 0) + 3600)
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(id.jti).not.toBe(access.jti)
    expect(id['origin_jti']).toBe(access['origin_jti'])
    // No groups, no claim (as Cognito).
    expect(decodeJwt((await signIn(ids.plain, 'bob')).IdToken)['cognito:groups']).toBeUndefined()
  })

  it('serves the JWKS (public key only) and an OpenID configuration under the issuer', async () => {
    const jwks = (await (await fetch(pool.jwksUri)).json()) as { keys: Record<string, unknown>[] }
    expect(jwks.keys).toHaveLength(1)
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) })
    expect(Object.keys(jwks.keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use'])
    const openid = (await (await fetch(`${pool.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >
    expect(openid).toMatchObject({ issuer: pool.issuer, jwks_uri: pool.jwksUri })
  })

  it('a wrong password and an unknown user get the same NotAuthorizedException (400, `__type` + `message`)', async () => {
    const wrong = await failure(
      sdk.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: ids.plain,
          AuthParameters: { USERNAME: 'alice', PASSWORD: 'guess' },
        }),
      ),
    )
    const unknown = await failure(signIn(ids.plain, 'mallory'))
    expect(wrong).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.', status: 400 })
    expect(unknown).toEqual(wrong)
    // An app client that does not prevent user-existence errors reveals it, as Cognito's does.
    expect(await failure(signIn(ids.revealing, 'mallory'))).toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    })

    const raw = await fetch(pool.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: ids.plain,
        AuthParameters: { USERNAME: 'alice', PASSWORD: 'hunter2-guess' },
      }),
    })
    expect(raw.status).toBe(400)
    expect(raw.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException')
    const text = await raw.text()
    expect(JSON.parse(text)).toEqual({ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' })
    expect(text).not.toContain('hunter2')
  })

  it('an unknown app client is ResourceNotFoundException', async () => {
    expect(await failure(signIn('nosuchclient'))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'User pool client nosuchclient does not exist.',
    })
    expect(await failure(refresh('nosuchclient', 'x'))).toMatchObject({ name: 'ResourceNotFoundException' })
  })
})

describe('refresh without rotation', () => {
  it('GetTokensFromRefreshToken and REFRESH_TOKEN_AUTH return new ID and access tokens and no refresh token; the old one stays valid', async () => {
    const first = await signIn(ids.plain)
    for (let i = 0; i < 3; i++) {
      const viaGet = await refresh(ids.plain, first.RefreshToken)
      expect(viaGet.RefreshToken).toBeUndefined()
      expect(decodeJwt(viaGet.IdToken ?? '')['cognito:username']).toBe('alice')
      const viaInitiate = await sdk.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: ids.plain,
          AuthParameters: { REFRESH_TOKEN: first.RefreshToken },
        }),
      )
      expect(viaInitiate.AuthenticationResult?.RefreshToken).toBeUndefined()
      const claims = decodeJwt(viaInitiate.AuthenticationResult?.AccessToken ?? '')
      // Same session: same origin_jti and auth_time; a new jti.
      expect(claims['origin_jti']).toBe(decodeJwt(first.AccessToken)['origin_jti'])
      expect(claims['auth_time']).toBe(decodeJwt(first.AccessToken)['auth_time'])
      expect(claims.jti).not.toBe(decodeJwt(first.AccessToken).jti)
    }
  })

  it('a refresh token is refused by another app client, and after its validity (30 days from sign-in)', async () => {
    const tokens = await signIn(ids.plain)
    expect(await failure(refresh(ids.rotating, tokens.RefreshToken))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Refresh Token',
    })
    expect(await failure(refresh(ids.plain, 'made-up-token'))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Refresh Token',
    })
    clock.advance(30 * 86_400_000)
    try {
      expect(await failure(refresh(ids.plain, tokens.RefreshToken))).toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Refresh Token has expired',
      })
    } finally {
      clock.advance(-30 * 86_400_000)
    }
  })
})

describe('refresh-token rotation', () => {
  it('grace period 0: 20 refreshes in a row, each with a new refresh token; every rotated-out one is RefreshTokenReuseException at once', async () => {
    const first = await signIn(ids.rotating)
    const seen = new Set([first.RefreshToken])
    let current = first.RefreshToken
    for (let i = 0; i < 20; i++) {
      const next = await refresh(ids.rotating, current)
      expect(typeof next.RefreshToken).toBe('string')
      expect(seen.has(next.RefreshToken ?? '')).toBe(false)
      seen.add(next.RefreshToken ?? '')
      expect(await failure(refresh(ids.rotating, current))).toMatchObject({
        name: 'RefreshTokenReuseException',
        status: 400,
      })
      current = next.RefreshToken ?? ''
    }
    expect(seen.size).toBe(21)
    // The rotated tokens belong to the sign-in's session; its expiry is kept (30 days from sign-in).
    const last = await refresh(ids.rotating, current)
    expect(decodeJwt(last.AccessToken ?? '')['origin_jti']).toBe(decodeJwt(first.AccessToken)['origin_jti'])
  })

  it('REFRESH_TOKEN_AUTH is refused on a rotating client, as Cognito refuses it', async () => {
    const tokens = await signIn(ids.rotating)
    const error = await failure(
      sdk.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: ids.rotating,
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken },
        }),
      ),
    )
    expect(error).toMatchObject({ name: 'InvalidParameterException', message: /REFRESH_TOKEN_AUTH/ })
    // Nothing was used up: the token still refreshes with GetTokensFromRefreshToken.
    expect((await refresh(ids.rotating, tokens.RefreshToken)).RefreshToken).toBeDefined()
  })

  it('grace period 30 s: a rotated-out token still works within it (a client retry), and is RefreshTokenReuseException after', async () => {
    const first = await signIn(ids.grace)
    const second = await refresh(ids.grace, first.RefreshToken)
    clock.advance(29_000)
    const retry = await refresh(ids.grace, first.RefreshToken)
    expect(retry.RefreshToken).toBeDefined()
    expect(retry.RefreshToken).not.toBe(second.RefreshToken)
    clock.advance(1_000)
    expect(await failure(refresh(ids.grace, first.RefreshToken))).toMatchObject({ name: 'RefreshTokenReuseException' })
    // The tokens it replaced with stay valid.
    expect((await refresh(ids.grace, second.RefreshToken ?? '')).RefreshToken).toBeDefined()
  })
})

describe('client secrets', () => {
  it('InitiateAuth needs the right SECRET_HASH; GetTokensFromRefreshToken and RevokeToken the right ClientSecret', async () => {
    expect(await failure(signIn(ids.secret))).toMatchObject({
      name: 'NotAuthorizedException',
      message: `Client ${ids.secret} is configured with secret but SECRET_HASH was not received`,
    })
    expect(
      await failure(signIn(ids.secret, 'alice', { SECRET_HASH: hash('alice', ids.secret, 'not-the-secret') })),
    ).toMatchObject({
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${ids.secret}`,
    })
    // A hash computed for another user does not open this one.
    expect(await failure(signIn(ids.secret, 'alice', { SECRET_HASH: hash('bob', ids.secret) }))).toMatchObject({
      name: 'NotAuthorizedException',
    })
    const tokens = await signIn(ids.secret, 'alice', { SECRET_HASH: hash('alice', ids.secret) })
    expect(await failure(refresh(ids.secret, tokens.RefreshToken))).toMatchObject({
      name: 'NotAuthorizedException',
      message: /ClientSecret was not received/,
    })
    expect(await failure(refresh(ids.secret, tokens.RefreshToken, 'wrong'))).toMatchObject({
      name: 'NotAuthorizedException',
      message: /secret/,
    })
    const next = await refresh(ids.secret, tokens.RefreshToken, secret)
    expect(next.RefreshToken).toBeDefined()
    expect(
      await failure(sdk.send(new RevokeTokenCommand({ ClientId: ids.secret, Token: next.RefreshToken ?? '' }))),
    ).toMatchObject({ name: 'UnauthorizedException' })
    await sdk.send(
      new RevokeTokenCommand({ ClientId: ids.secret, Token: next.RefreshToken ?? '', ClientSecret: secret }),
    )
    expect(await failure(refresh(ids.secret, next.RefreshToken ?? '', secret))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    })
  })
})

describe('RevokeToken and GlobalSignOut', () => {
  it("RevokeToken ends that session only (its rotated tokens too); the user's other sessions go on", async () => {
    const one = await signIn(ids.rotating)
    const other = await signIn(ids.rotating)
    const rotated = await refresh(ids.rotating, one.RefreshToken)
    await sdk.send(new RevokeTokenCommand({ ClientId: ids.rotating, Token: rotated.RefreshToken ?? '' }))
    expect(await failure(refresh(ids.rotating, rotated.RefreshToken ?? ''))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    })
    const otherNext = (await refresh(ids.rotating, other.RefreshToken)).RefreshToken ?? ''
    expect(otherNext).not.toBe('')
    // Its access tokens are revoked with it (Cognito's own APIs refuse them).
    expect(await failure(sdk.send(new GlobalSignOutCommand({ AccessToken: one.AccessToken })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    })
    // Revoking again is no error; another client's token, an access token or no client is.
    await sdk.send(new RevokeTokenCommand({ ClientId: ids.rotating, Token: rotated.RefreshToken ?? '' }))
    expect(await failure(sdk.send(new RevokeTokenCommand({ ClientId: ids.plain, Token: otherNext })))).toMatchObject({
      name: 'UnauthorizedException',
    })
    expect(
      await failure(sdk.send(new RevokeTokenCommand({ ClientId: ids.rotating, Token: other.AccessToken }))),
    ).toMatchObject({ name: 'UnsupportedTokenTypeException' })
    expect((await refresh(ids.rotating, otherNext)).RefreshToken).toBeDefined()
  })

  it("GlobalSignOut ends every session of the user, on every app client; other users' go on", async () => {
    const sessions = [await signIn(ids.plain, 'bob'), await signIn(ids.rotating, 'bob'), await signIn(ids.grace, 'bob')]
    const alice = await signIn(ids.plain, 'alice')
    await sdk.send(new GlobalSignOutCommand({ AccessToken: sessions[0]?.AccessToken ?? '' }))
    for (const [i, clientId] of [ids.plain, ids.rotating, ids.grace].entries()) {
      expect(await failure(refresh(clientId, sessions[i]?.RefreshToken ?? ''))).toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Refresh Token has been revoked',
      })
    }
    expect(
      await failure(sdk.send(new GlobalSignOutCommand({ AccessToken: sessions[1]?.AccessToken ?? '' }))),
    ).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    })
    expect((await refresh(ids.plain, alice.RefreshToken)).IdToken).toBeDefined()
  })

  it('GlobalSignOut refuses an ID token, a forged token and an expired access token', async () => {
    const tokens = await signIn(ids.plain)
    const [header, payload] = tokens.AccessToken.split('.')
    const forged = `${header ?? ''}.${payload ?? ''}.${'A'.repeat(342)}`
    for (const token of [tokens.IdToken, forged, 'not-a-jwt']) {
      expect(await failure(sdk.send(new GlobalSignOutCommand({ AccessToken: token })))).toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Invalid Access Token',
      })
    }
    clock.advance(3_600_000)
    try {
      expect(await failure(sdk.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken })))).toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Access Token has expired',
      })
    } finally {
      clock.advance(-3_600_000)
    }
  })
})

describe('the protocol', () => {
  it('counts the operations it received, and refuses others with UnknownOperationException', async () => {
    const before = pool.handler.counts()
    const answer = await fetch(pool.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp',
      },
      body: '{}',
    })
    expect(answer.status).toBe(400)
    expect(await answer.json()).toMatchObject({ __type: 'UnknownOperationException' })
    const proto = await fetch(pool.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.constructor',
      },
      body: '{}',
    })
    expect(await proto.json()).toMatchObject({ __type: 'UnknownOperationException' })
    await signIn(ids.plain)
    const after = pool.handler.counts()
    expect(after.other - before.other).toBe(2)
    expect(after.InitiateAuth - before.InitiateAuth).toBe(1)
  })
})
