// The local user pool (../user-pool/) mounted beside the GraphQL route: its API at POST / (by
// `x-amz-target`), its JWKS and OpenID configuration under `/<userPoolId>/.well-known/`, and its
// issuer trusted by the API's JWT verifier like any configured pool.
import {
  createUserPoolHandler,
  newSigningKey,
  resolveUserPool,
  type LocalUserPoolOptions,
  type ResolvedPool,
  type SigningKey,
  type UserPoolHandler,
} from '../user-pool/index'
import type { Clock } from '@authmode/core'

/** An app client of the running local pool. */
export interface LocalUserPoolClient {
  readonly clientId: string
  /** Pass it as `clientSecret` to `signInWithPassword` / `fromCognitoUserPool`; undefined without one. */
  readonly clientSecret: string | undefined
  readonly refreshTokenRotation: boolean
  readonly retryGracePeriodSeconds: number
}

/** The running local user pool. */
export interface LocalUserPool {
  readonly userPoolId: string
  /** `<url>/`: the `endpoint` of `signInWithPassword`, `fromCognitoUserPool` and the AWS SDK's client. */
  readonly endpoint: string
  /** `<url>/<userPoolId>`: the tokens' `iss`. */
  readonly issuer: string
  /** `<issuer>/.well-known/jwks.json`. */
  readonly jwksUri: string
  /** The first app client's id. */
  readonly clientId: string
  readonly clients: readonly LocalUserPoolClient[]
  /** Request counts per operation. */
  readonly handler: UserPoolHandler
}

/** What is made before the server listens (checked options, the signing key). */
export interface PreparedUserPool {
  readonly pool: ResolvedPool
  readonly key: SigningKey
}

export async function prepareUserPool(options: LocalUserPoolOptions, region: string): Promise<PreparedUserPool> {
  const pool = resolveUserPool(options, region)
  return { pool, key: await newSigningKey() }
}

/** The pool at `origin` (known once the server listens). */
export function mountUserPool(prepared: PreparedUserPool, origin: string, clock: Clock): LocalUserPool {
  const { pool, key } = prepared
  const issuer = `${origin}/${pool.userPoolId}`
  const clients = [...pool.clients.values()].map((client) => ({
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    refreshTokenRotation: client.rotation,
    retryGracePeriodSeconds: client.gracePeriodMs / 1000,
  }))
  return {
    userPoolId: pool.userPoolId,
    endpoint: `${origin}/`,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    clientId: clients[0]?.clientId ?? '',
    clients,
    handler: createUserPoolHandler({ pool, key, issuer, clock }),
  }
}

/** The documents under `/<userPoolId>/.well-known/`, or undefined for another path. */
export function wellKnown(prepared: PreparedUserPool, userPool: LocalUserPool, path: string): unknown {
  const prefix = `/${userPool.userPoolId}/.well-known/`
  if (!path.startsWith(prefix)) return undefined
  const name = path.slice(prefix.length)
  if (name === 'jwks.json') return prepared.key.jwks
  if (name === 'openid-configuration') {
    return {
      issuer: userPool.issuer,
      jwks_uri: userPool.jwksUri,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['code', 'token'],
    }
  }
  return undefined
}
