// End to end, on 127.0.0.1: guest and signed-in identity-pool credentials from @authmode/local's
// identity-pool endpoint (which verifies cognito-local's real ID tokens against its JWKS), used by
// the built @authmode/node client to reach the AppSync simulator's IAM-only field.
//
// The simulator checks no SigV4 signature (see README): it reads the access key id of the
// Authorization header and maps one configured key id to the authenticated role, any other to the
// unauthenticated role. So it is started knowing the key id the endpoint issued to the signed-in
// user. That the signatures are valid is proven against an aws4 verifier in
// packages/local/src/identity-pool/client.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, fromCognitoIdentityPool, GraphQLResponseError, memoryStorage } from '@authmode/node'
import { startCognitoLocal, type CognitoLocal } from '../src/cognito-local'
import { startIdentityPool, type IdentityPool } from '../src/identity-pool'
import { startSimulator, type RunningSimulator } from '../src/simulator'

const REGION = 'us-east-1'
const SERVICE_HEALTH = '{ serviceHealth { status userArn } }'
const AUTH_ROLE = 'arn:aws:sts::12345678910:assumed-role/authRole/CognitoIdentityCredentials'
const UNAUTH_ROLE = 'arn:aws:sts::12345678910:assumed-role/unAuthRole/CognitoIdentityCredentials'

let cognito: CognitoLocal
let identityPool: IdentityPool
let simulator: RunningSimulator
let aliceIdToken: string
let signedIn: ReturnType<typeof fromCognitoIdentityPool>
/** Authorization headers the clients sent, in order (compared, never printed). */
const sent: string[] = []

const recordingFetch: typeof fetch = (input, init) => {
  sent.push(new Headers(init?.headers).get('authorization') ?? '')
  return fetch(input, init)
}

beforeAll(async () => {
  cognito = await startCognitoLocal({ region: REGION })
  await cognito.createUser('alice', 'Pw-e2e-identity-pool-aA1!')
  aliceIdToken = (await cognito.signIn('alice', 'Pw-e2e-identity-pool-aA1!')).idToken
  identityPool = await startIdentityPool(cognito)
  signedIn = fromCognitoIdentityPool({
    identityPoolId: identityPool.identityPoolId,
    endpoint: identityPool.url,
    logins: () => ({ [identityPool.providerName]: aliceIdToken }),
  })
  // The simulator maps this key id to the authenticated role (the provider keeps these credentials).
  const { accessKeyId } = await signedIn()
  simulator = await startSimulator({
    userPool: { userPoolId: cognito.userPoolId, clientId: cognito.clientId },
    iamAuthAccessKeyId: accessKeyId,
  })
})

afterAll(async () => {
  // Each may be undefined when an earlier step failed; all are attempted.
  const stops = [
    simulator as RunningSimulator | undefined,
    identityPool as IdentityPool | undefined,
    cognito as CognitoLocal | undefined,
  ]
  await Promise.allSettled(stops.map((peer) => peer?.stop() ?? Promise.resolve()))
})

function iamClient(credentials: ReturnType<typeof fromCognitoIdentityPool>): ReturnType<typeof createClient> {
  return createClient({
    endpoint: simulator.url,
    region: REGION,
    authMode: 'iam',
    credentials,
    fetch: recordingFetch,
    logger: null,
  })
}

describe('identity-pool credentials against the AppSync simulator', () => {
  it("a guest reaches the IAM-only field as the pool's unauthenticated role", async () => {
    const guest = fromCognitoIdentityPool({
      identityPoolId: identityPool.identityPoolId,
      endpoint: identityPool.url,
      storage: memoryStorage(),
    })
    const data = await iamClient(guest).request<{ serviceHealth: { status: string; userArn: string } }>(SERVICE_HEALTH)
    expect(data.serviceHealth).toEqual({ status: 'ok', userArn: UNAUTH_ROLE })

    const { accessKeyId, identityId } = await guest()
    expect(sent.at(-1)).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${accessKeyId}/\\d{8}/${REGION}/appsync/aws4_request, `),
    )
    expect(identityPool.store.lookup(accessKeyId)?.principal).toEqual({
      kind: 'guest',
      identityPoolId: identityPool.identityPoolId,
      identityId,
    })
  })

  it("a user signed in to cognito-local reaches it as the pool's authenticated role", async () => {
    const data = await iamClient(signedIn).request<{ serviceHealth: { status: string; userArn: string } }>(
      SERVICE_HEALTH,
    )
    expect(data.serviceHealth).toEqual({ status: 'ok', userArn: AUTH_ROLE })
    const { accessKeyId } = await signedIn()
    expect(identityPool.store.lookup(accessKeyId)?.principal).toMatchObject({
      kind: 'authenticated',
      claims: { 'cognito:username': 'alice', token_use: 'id', aud: cognito.clientId },
    })
  })

  it('identity-pool credentials do not open API-key-only fields', async () => {
    const error = await iamClient(signedIn)
      .request('{ publicNotes { id } }')
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(error).toBeInstanceOf(GraphQLResponseError)
    expect((error as GraphQLResponseError).errors[0]?.errorType).toBe('Unauthorized')
  })

  it('an ID token the endpoint cannot verify gets no credentials (GetId is refused)', async () => {
    const [header = '', payload = ''] = aliceIdToken.split('.')
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`
    const provider = fromCognitoIdentityPool({
      identityPoolId: identityPool.identityPoolId,
      endpoint: identityPool.url,
      logins: { [identityPool.providerName]: forged },
    })
    const error = await provider().then(
      () => undefined,
      (e: unknown) => e as Error,
    )
    expect(error?.name).toBe('CredentialsError')
    expect(error?.message).toMatch(/GetId failed: NotAuthorizedException: Invalid login token\./)
    expect(error?.message).not.toContain(payload)
  })
})
