// authmode's fromCognitoIdentityPool (through @authmode/node's client) against the real local
// identity-pool endpoint, over HTTP on 127.0.0.1, with every GraphQL request checked by an
// independent SigV4 verifier (the AWS SDK's signer) that looks the credentials up in the endpoint's
// store. The endpoint counts the calls that reach it.
//
// Time: the provider and the store share a clock the test moves (expiry); requests are signed
// with the real time, which the verifier accepts.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  CredentialsError,
  fromCognitoIdentityPool,
  memoryStorage,
  type CognitoLogins,
  type KeyValueStorage,
} from '@authmode/node'
import { startIdentityPoolServer, type IdentityPoolServer } from './server'
import { createLoginTokens, type LoginTokens } from './testing/loginTokens'
import { startSigV4TestEndpoint, type SigV4TestEndpoint } from './testing/sigv4Endpoint'

const REGION = 'us-east-1'
const POOL = 'us-east-1:7c2d9e4f-1a3b-4c5d-8e6f-0a1b2c3d4e5f'
const CLOSED_POOL = 'us-east-1:7c2d9e4f-1a3b-4c5d-8e6f-000000000000'
const STORAGE_KEY = `com.amplify.Cognito.${POOL}.identityId`
const HOUR = 3_600_000
const WHOAMI = '{ whoami { kind identityId sub } }'

interface Whoami {
  whoami: { kind: string; identityId: string | null; sub: string | null }
}

let tokens: LoginTokens
const running: { stop(): Promise<void> }[] = []

beforeAll(async () => {
  tokens = await createLoginTokens(REGION)
})

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()))
})

function movableClock(): { now(): number; advance(ms: number): void } {
  let offset = 0
  return {
    now: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms
    },
  }
}

async function start(clock = movableClock()): Promise<{
  idp: IdentityPoolServer
  graphql: SigV4TestEndpoint
  clock: ReturnType<typeof movableClock>
  counts: () => [number, number]
}> {
  const idp = await startIdentityPoolServer({
    identityPools: [
      { identityPoolId: POOL, allowUnauthenticated: true, loginProviders: [tokens.providerName] },
      { identityPoolId: CLOSED_POOL, allowUnauthenticated: false, loginProviders: [tokens.providerName] },
    ],
    verifyLogin: tokens.verifyLogin,
    clock,
  })
  running.push(idp)
  const graphql = await startSigV4TestEndpoint({ region: REGION, store: idp.store, clock })
  running.push(graphql)
  const counts = (): [number, number] => {
    const c = idp.handler.counts()
    return [c.GetId, c.GetCredentialsForIdentity]
  }
  return { idp, graphql, clock, counts }
}

function guestClient(
  env: Awaited<ReturnType<typeof start>>,
  options: { storage?: KeyValueStorage; logins?: () => CognitoLogins | undefined; identityPoolId?: string } = {},
): ReturnType<typeof createClient> {
  return createClient({
    endpoint: env.graphql.url,
    region: REGION,
    authMode: 'iam',
    retry: false,
    logger: null,
    // One clock for everyone: the verifier checks the signing date against it (5-minute window).
    clock: env.clock,
    credentials: fromCognitoIdentityPool({
      identityPoolId: options.identityPoolId ?? POOL,
      endpoint: env.idp.url,
      clock: env.clock,
      ...(options.storage ? { storage: options.storage } : {}),
      ...(options.logins ? { logins: options.logins } : {}),
    }),
  })
}

function fire(client: ReturnType<typeof createClient>, n: number): Promise<Whoami[]> {
  return Promise.all(Array.from({ length: n }, () => client.request<Whoami>(WHOAMI)))
}

describe('guests against the local identity-pool endpoint', () => {
  it('200 concurrent requests from a cold start: exactly 1 GetId and 1 GetCredentialsForIdentity; after expiry exactly 1 more GetCredentialsForIdentity and no GetId', async () => {
    const env = await start()
    const client = guestClient(env)

    const first = await fire(client, 200)
    expect(env.counts()).toEqual([1, 1])
    expect(env.graphql.verdicts).toHaveLength(200)
    expect(env.graphql.verdicts.every((v) => v.accepted && v.principal?.kind === 'guest')).toBe(true)
    const identityIds = new Set(first.map((r) => r.whoami.identityId))
    expect(identityIds.size).toBe(1)
    const firstKey = env.graphql.verdicts[0]?.accessKeyId

    env.clock.advance(HOUR) // the credentials have expired (on the endpoint's clock too)
    const second = await fire(client, 200)
    expect(env.counts()).toEqual([1, 2])
    const later = env.graphql.verdicts.slice(200)
    expect(later.every((v) => v.accepted && v.accessKeyId !== firstKey)).toBe(true)
    expect(new Set(later.map((v) => v.accessKeyId)).size).toBe(1)
    expect(new Set(second.map((r) => r.whoami.identityId))).toEqual(identityIds)
  })

  it('a persisted identity id is reused across client instances; a deleted identity is replaced after one extra GetId', async () => {
    const env = await start()
    const storage = memoryStorage()

    const one = await guestClient(env, { storage }).request<Whoami>(WHOAMI)
    expect(env.counts()).toEqual([1, 1])
    const identityId = one.whoami.identityId ?? ''
    expect(await storage.getItem(STORAGE_KEY)).toBe(identityId)

    const two = await guestClient(env, { storage }).request<Whoami>(WHOAMI)
    expect(two.whoami.identityId).toBe(identityId)
    expect(env.counts()).toEqual([1, 2])

    expect(env.idp.handler.deleteIdentity(identityId)).toBe(true)
    const three = await guestClient(env, { storage }).request<Whoami>(WHOAMI)
    // The stored id fails once (ResourceNotFoundException), then one GetId and one GetCredentialsForIdentity.
    expect(env.counts()).toEqual([2, 4])
    expect(three.whoami.identityId).not.toBe(identityId)
    expect(await storage.getItem(STORAGE_KEY)).toBe(three.whoami.identityId)
    expect(env.graphql.verdicts.every((v) => v.accepted)).toBe(true)
  })

  it('no loop when GetId itself fails: one GetId, then a CredentialsError, and no request is sent', async () => {
    const env = await start()
    const client = guestClient(env, { identityPoolId: CLOSED_POOL })
    const error = await client.request(WHOAMI).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(CredentialsError)
    expect((error as Error).message).toContain('GetId failed: NotAuthorizedException')
    expect(env.counts()).toEqual([1, 0])
    expect(env.graphql.verdicts).toEqual([])
  })
})

describe('signed-in users against the local identity-pool endpoint', () => {
  it('authenticated credentials (verified ID token) sign requests the verifier accepts; sign-out goes back to a guest', async () => {
    const env = await start()
    let logins: CognitoLogins | undefined
    const storage = memoryStorage()
    const client = guestClient(env, { storage, logins: () => logins })

    const guest = await client.request<Whoami>(WHOAMI)
    logins = { [tokens.providerName]: await tokens.idToken('alice-sub') }
    const alice = await fire(client, 20)
    logins = undefined
    const guestAgain = await client.request<Whoami>(WHOAMI)

    expect(guest.whoami).toMatchObject({ kind: 'guest', sub: null })
    expect(new Set(alice.map((r) => JSON.stringify(r.whoami)))).toEqual(
      new Set([JSON.stringify({ kind: 'authenticated', identityId: alice[0]?.whoami.identityId, sub: 'alice-sub' })]),
    )
    expect(alice[0]?.whoami.identityId).not.toBe(guest.whoami.identityId)
    expect(guestAgain.whoami).toMatchObject({ kind: 'guest', sub: null })
    expect(guestAgain.whoami.identityId).not.toBe(alice[0]?.whoami.identityId)
    const keys = env.graphql.verdicts.map((v) => v.accessKeyId)
    expect(new Set(keys).size).toBe(3)
    expect(env.graphql.verdicts.every((v) => v.accepted)).toBe(true)
    // One GetId and one GetCredentialsForIdentity per principal, however many requests.
    expect(env.counts()).toEqual([3, 3])
  })
})
