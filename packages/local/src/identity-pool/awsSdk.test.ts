// Proof that the endpoint speaks Cognito Identity's real protocol: the AWS SDK's own
// `fromCognitoIdentityPool` (its CognitoIdentityClient, serializers and error parsing) gets guest
// and authenticated credentials from it over HTTP on 127.0.0.1, and those credentials sign
// @authmode/node requests an independent SigV4 verifier accepts.
import { fromCognitoIdentityPool as sdkFromCognitoIdentityPool } from '@aws-sdk/credential-providers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient } from '@authmode/node'
import { startIdentityPoolServer, type IdentityPoolServer } from './server'
import { createLoginTokens, type LoginTokens } from './testing/loginTokens'
import { startSigV4TestEndpoint, type SigV4TestEndpoint } from './testing/sigv4Endpoint'

const REGION = 'us-east-1'
const POOL = 'us-east-1:5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6'
const CLOSED_POOL = 'us-east-1:5d1e2f3a-4b5c-4d6e-8f70-000000000000'

let tokens: LoginTokens
let idp: IdentityPoolServer
let graphql: SigV4TestEndpoint

beforeAll(async () => {
  tokens = await createLoginTokens(REGION)
  idp = await startIdentityPoolServer({
    identityPools: [
      { identityPoolId: POOL, allowUnauthenticated: true, loginProviders: [tokens.providerName] },
      { identityPoolId: CLOSED_POOL, allowUnauthenticated: false, loginProviders: [] },
    ],
    verifyLogin: tokens.verifyLogin,
  })
  graphql = await startSigV4TestEndpoint({ region: REGION, store: idp.store })
})

afterAll(async () => {
  await Promise.all([idp.stop(), graphql.stop()])
})

const clientConfig = (): { region: string; endpoint: string } => ({ region: REGION, endpoint: idp.url })

describe("the AWS SDK's fromCognitoIdentityPool against the local endpoint", () => {
  it('gets guest credentials: GetId, then GetCredentialsForIdentity', async () => {
    const before = idp.handler.counts()
    const credentials = await sdkFromCognitoIdentityPool({ identityPoolId: POOL, clientConfig: clientConfig() })()
    expect(credentials.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/)
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/)
    expect(credentials.expiration?.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000)
    expect(idp.store.lookup(credentials.accessKeyId)?.principal).toEqual({
      kind: 'guest',
      identityPoolId: POOL,
      identityId: credentials.identityId,
    })
    const after = idp.handler.counts()
    expect([after.GetId - before.GetId, after.GetCredentialsForIdentity - before.GetCredentialsForIdentity]).toEqual([
      1, 1,
    ])
  })

  it('gets authenticated credentials with `logins` (the user pool ID token)', async () => {
    const token = await tokens.idToken('sdk-user')
    const credentials = await sdkFromCognitoIdentityPool({
      identityPoolId: POOL,
      logins: { [tokens.providerName]: token },
      clientConfig: clientConfig(),
    })()
    const principal = idp.store.lookup(credentials.accessKeyId)?.principal
    expect(principal).toMatchObject({
      kind: 'authenticated',
      identityId: credentials.identityId,
      claims: { sub: 'sdk-user' },
    })
  })

  it("reads the endpoint's errors as Cognito's: a NotAuthorizedException with its message", async () => {
    const error = await sdkFromCognitoIdentityPool({
      identityPoolId: CLOSED_POOL,
      clientConfig: clientConfig(),
    })().then(
      () => undefined,
      (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
    )
    expect(error?.name).toBe('NotAuthorizedException')
    expect(error?.message).toBe('Unauthenticated access is not supported for this identity pool.')
    expect(error?.$metadata?.httpStatusCode).toBe(400)
  })

  it('its credentials drop into @authmode/node as `credentials` and sign requests an independent verifier accepts', async () => {
    const client = createClient({
      endpoint: graphql.url,
      region: REGION,
      authMode: 'iam',
      credentials: sdkFromCognitoIdentityPool({ identityPoolId: POOL, clientConfig: clientConfig() }),
    })
    const data = await client.request<{ whoami: { kind: string; identityId: string } }>(
      '{ whoami { kind identityId } }',
    )
    expect(data.whoami.kind).toBe('guest')
    expect(graphql.verdicts.at(-1)).toMatchObject({ accepted: true, principal: { kind: 'guest' } })
  })
})
