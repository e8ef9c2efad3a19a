// Shared by the local endpoint's tests: a server clock tests can move, cognito-local (the e2e
// harness's, a real Cognito emulator as a child process) with users, and @authmode/node clients.
// Secrets made here are random per run and never printed.
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { createClient, type AuthMode, type Client } from '@authmode/node'
import type { CredentialStore, IamPrincipal, IssuedCredentials, LocalAppSync } from '@authmode/local'
import { startCognitoLocal, type CognitoLocal, type CognitoTokens } from '../../../tests/e2e/src/cognito-local'

export const REGION = 'us-east-1'

/** The server's clock: real time plus an offset a test can move. */
export class TestClock {
  offsetMs = 0
  now(): number {
    return Date.now() + this.offsetMs
  }
  advance(ms: number): void {
    this.offsetMs += ms
  }
}

export interface UserPool {
  readonly cognito: CognitoLocal
  /** Signs in once per user and keeps the tokens. */
  tokens(username: string): Promise<CognitoTokens>
  idToken(username: string): Promise<string>
  password(username: string): string
  stop(): Promise<void>
}

/** cognito-local with one pool, one app client and these users (random passwords). */
export async function startUserPool(
  users: readonly { username: string; groups?: readonly string[] }[],
): Promise<UserPool> {
  const cognito = await startCognitoLocal({ region: REGION })
  const passwords = new Map<string, string>()
  const signedIn = new Map<string, Promise<CognitoTokens>>()
  try {
    for (const user of users) {
      const password = `Pw-${randomBytes(12).toString('base64url')}-aA1!`
      await cognito.createUser(user.username, password, user.groups ?? [])
      passwords.set(user.username, password)
    }
  } catch (error) {
    await cognito.stop()
    throw error
  }
  const tokens = (username: string): Promise<CognitoTokens> => {
    let pending = signedIn.get(username)
    if (!pending) {
      const password = passwords.get(username)
      if (password === undefined) throw new Error(`no test user ${username}`)
      pending = cognito.signIn(username, password)
      signedIn.set(username, pending)
    }
    return pending
  }
  return {
    cognito,
    tokens,
    idToken: async (username) => (await tokens(username)).idToken,
    password: (username) => passwords.get(username) ?? '',
    stop: () => cognito.stop(),
  }
}

/** The user pool config of `startLocalAppSync` for a cognito-local pool. */
export function userPoolConfig(cognito: CognitoLocal, clientIds: readonly string[] = [cognito.clientId]) {
  return { userPoolId: cognito.userPoolId, clientIds, endpoint: cognito.endpoint, issuer: cognito.issuer }
}

export interface ClientCredentials {
  readonly apiKey?: string
  readonly userPool?: string
  readonly oidc?: string
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }
}

/** An @authmode/node client with one mode; no retries, so every request is one attempt at most twice (after a 401). */
export function client(server: LocalAppSync, authMode: AuthMode, identity: ClientCredentials): Client {
  const { credentials, ...rest } = identity
  return createClient({
    endpoint: server.graphqlUrl,
    region: REGION,
    authMode,
    ...rest,
    ...(credentials
      ? {
          credentials: {
            accessKeyId: credentials.accessKeyId,
            secretAccessKey: credentials.secretAccessKey,
            ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
          },
        }
      : {}),
    retry: false,
    logger: null,
  })
}

/** Identity-pool credentials issued through the store, as GetCredentialsForIdentity would. */
export function issue(
  store: CredentialStore,
  kind: 'guest' | 'authenticated',
  claims: Readonly<Record<string, unknown>> = {},
  lifetimeSeconds = 3600,
): IssuedCredentials {
  const base = { identityPoolId: `${REGION}:${randomUUID()}`, identityId: `${REGION}:${randomUUID()}` }
  const principal: IamPrincipal = kind === 'guest' ? { kind, ...base } : { kind, ...base, claims }
  return store.issue(principal, lifetimeSeconds)
}

/**
 * The server's request log (its `logger`), and which callers it saw during a run: the lines after
 * `prefix` ("iam guest", "userPool alice", …; with the default prefix, the status first: "200 …").
 * Never a credential: the log names modes and principals only.
 */
export function requestLog(prefix = 'POST /graphql '): {
  readonly logger: { info: (line: string) => void }
  readonly seenBy: (run: () => Promise<unknown>) => Promise<string[]>
} {
  const lines: string[] = []
  return {
    logger: { info: (line) => lines.push(line) },
    async seenBy(run) {
      const from = lines.length
      await run()
      return lines
        .slice(from)
        .filter((line) => line.startsWith(prefix))
        .map((line) => line.slice(prefix.length))
    },
  }
}

/** Random backend credentials, as a Lambda's environment would hold. */
export function backendKeys(): { accessKeyId: string; secretAccessKey: string } {
  return {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  }
}

/** What a rejected request threw, reduced to what the assertions need (never a secret). */
export async function outcome(
  promise: Promise<unknown>,
): Promise<{ ok: true; data: unknown } | { ok: false; code: string; errorTypes: string[]; status?: number }> {
  try {
    return { ok: true, data: await promise }
  } catch (error) {
    const e = error as { code?: string; errors?: { errorType?: string }[]; status?: number }
    return {
      ok: false,
      code: e.code ?? 'unknown',
      errorTypes: (e.errors ?? []).map((x) => x.errorType ?? '?'),
      ...(e.status === undefined ? {} : { status: e.status }),
    }
  }
}

export interface ExtraPool {
  readonly userPoolId: string
  readonly clientId: string
  readonly issuer: string
  readonly jwksUri: string
  idToken(username: string): Promise<string>
}

/** Another pool (and app client) on the same cognito-local: an OIDC provider, or "another pool". */
export async function createExtraPool(
  cognito: CognitoLocal,
  users: readonly (string | { readonly username: string; readonly groups: readonly string[] })[],
): Promise<ExtraPool> {
  const pool = await cognito.call<{ UserPool: { Id: string } }>('CreateUserPool', { PoolName: `extra-${randomUUID()}` })
  const userPoolId = pool.UserPool.Id
  const app = await cognito.call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
    UserPoolId: userPoolId,
    ClientName: 'extra',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  })
  const clientId = app.UserPoolClient.ClientId
  const passwords = new Map<string, string>()
  const groups = new Set<string>()
  for (const user of users) {
    const username = typeof user === 'string' ? user : user.username
    const password = `Pw-${randomBytes(12).toString('base64url')}-aA1!`
    await cognito.call('AdminCreateUser', {
      UserPoolId: userPoolId,
      Username: username,
      TemporaryPassword: password,
      MessageAction: 'SUPPRESS',
    })
    await cognito.call('AdminSetUserPassword', {
      UserPoolId: userPoolId,
      Username: username,
      Password: password,
      Permanent: true,
    })
    passwords.set(username, password)
    for (const group of typeof user === 'string' ? [] : user.groups) {
      if (!groups.has(group)) await cognito.call('CreateGroup', { UserPoolId: userPoolId, GroupName: group })
      groups.add(group)
      await cognito.call('AdminAddUserToGroup', { UserPoolId: userPoolId, Username: username, GroupName: group })
    }
  }
  return {
    userPoolId,
    clientId,
    issuer: `https://cognito-idp.${REGION}.amazonaws.com/${userPoolId}`,
    jwksUri: new URL(`${userPoolId}/.well-known/jwks.json`, cognito.endpoint).href,
    async idToken(username) {
      return signInWithClient(cognito, clientId, username, passwords.get(username) ?? '')
    },
  }
}

/** `USER_PASSWORD_AUTH` with a given app client: the ID token. */
export async function signInWithClient(
  cognito: CognitoLocal,
  clientId: string,
  username: string,
  password: string,
): Promise<string> {
  const answer = await cognito.call<{ AuthenticationResult?: { IdToken?: string } }>('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  })
  const token = answer.AuthenticationResult?.IdToken
  if (!token) throw new Error('cognito-local InitiateAuth: no ID token')
  return token
}

export interface TestKeys {
  /** A `userPools[]` entry of `startLocalAppSync` whose keys are these. */
  readonly config: { userPoolId: string; issuer: string; jwksUri: string; clientIds: readonly string[] }
  /** An ID token of this pool with `claims` (no `exp` unless given), signed with the published key. */
  sign(claims: Readonly<Record<string, unknown>>): Promise<string>
  stop(): Promise<void>
}

/**
 * A user pool whose signing key the test holds (a JWKS on 127.0.0.1): for tokens Cognito never
 * issues, such as one without `exp`. cognito-local always signs with its own key.
 */
export async function startTestKeys(userPoolId: string): Promise<TestKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  const kid = randomUUID()
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] })
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const issuer = `https://cognito-idp.${REGION}.amazonaws.com/${userPoolId}`
  const clientId = 'test-keys-client'
  return {
    config: { userPoolId, issuer, jwksUri: `http://127.0.0.1:${String(port)}/jwks.json`, clientIds: [clientId] },
    sign: (claims) =>
      new SignJWT({ token_use: 'id', aud: clientId, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(issuer)
        .setIssuedAt()
        .sign(privateKey),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve()
        })
      }),
  }
}
