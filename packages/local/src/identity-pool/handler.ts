// Cognito Identity's GetId and GetCredentialsForIdentity over its real wire protocol (AWS JSON
// 1.1: POST /, `x-amz-target: AWSCognitoIdentityService.<Operation>`, errors as `__type` and
// `message`), for guests and for identities signed in with verified user-pool tokens. Web-standard
// (Request → Response), so it mounts in any server.
import { ConfigurationError, type Clock } from '@authmode/core'
import {
  assertPost,
  awsJsonAnswer,
  awsJsonError,
  awsJsonOperation,
  awsJsonPreflight,
  readAwsJsonBody,
  ServiceError,
} from '../aws-json/protocol'
import type { CredentialStore, IamPrincipal, VerifyLoginToken, WebHandler } from './types'

export interface IdentityPoolConfig {
  /** `<region>:<uuid>`, as Cognito names pools. */
  readonly identityPoolId: string
  /** Whether guests (no `Logins`) get identities and credentials. */
  readonly allowUnauthenticated: boolean
  /** The `Logins` keys accepted, e.g. `cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf`. */
  readonly loginProviders: readonly string[]
}

export interface IdentityPoolHandlerOptions {
  readonly identityPools: readonly IdentityPoolConfig[]
  /** Where issued credentials go, for the GraphQL endpoint's SigV4 verifier to look them up. */
  readonly store: CredentialStore
  /** Verifies a login token; its claims become the authenticated principal's. */
  readonly verifyLogin: VerifyLoginToken
  readonly clock?: Clock | undefined
  /** Lifetime of issued credentials (default 3600 s, as Cognito's). */
  readonly credentialLifetimeSeconds?: number | undefined
}

export type IdentityPoolOperation = 'GetId' | 'GetCredentialsForIdentity'

/** The handler, plus what tests and the demo need to look at or change. */
export interface IdentityPoolHandler extends WebHandler {
  /** Requests received per operation (answered or refused), e.g. to prove calls are shared. */
  counts(): Readonly<Record<IdentityPoolOperation | 'other', number>>
  /** Forgets an identity, as DeleteIdentities does: its id then gets ResourceNotFoundException. */
  deleteIdentity(identityId: string): boolean
  /** The identities of a pool: their ids and whether a login is linked. */
  identities(identityPoolId: string): readonly { readonly identityId: string; readonly authenticated: boolean }[]
}

interface Identity {
  readonly identityId: string
  readonly pool: IdentityPoolConfig
  /** `<providerName>\n<sub>` of every login linked to this identity; empty for a guest. */
  readonly logins: Set<string>
}

interface VerifiedLogins {
  /** `<providerName>\n<sub>`, one per login. */
  readonly keys: readonly string[]
  /** The first login's claims. */
  readonly claims: Readonly<Record<string, unknown>>
}

const SERVICE = 'AWSCognitoIdentityService'
const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+):[0-9a-f-]+$/
const IDENTITY_ID = /^[\w-]+:[0-9a-f-]+$/

/**
 * The identity-pool endpoint: `GetId` and `GetCredentialsForIdentity` as Cognito Identity speaks
 * them, so Amplify, the AWS SDK's `fromCognitoIdentityPool` and authmode's all work against it.
 * Issued credentials (access key id `ASIA…`) go into `store` with their principal.
 *
 * @example
 * ```ts
 * const store = createCredentialStore()
 * const handler = createIdentityPoolHandler({
 *   identityPools: [{ identityPoolId: 'us-east-1:…', allowUnauthenticated: true, loginProviders: [] }],
 *   store,
 *   verifyLogin: async () => { throw new Error('no logins configured') },
 * })
 * const response = await handler(request) // a Web Request
 * ```
 */
export function createIdentityPoolHandler(options: IdentityPoolHandlerOptions): IdentityPoolHandler {
  const pools = checkPools(options.identityPools)
  const { store, verifyLogin } = options
  if (typeof verifyLogin !== 'function') throw new ConfigurationError('createIdentityPoolHandler needs `verifyLogin`.')
  const clock = options.clock ?? { now: () => Date.now() }
  const lifetimeSeconds = options.credentialLifetimeSeconds ?? 3600
  if (!Number.isFinite(lifetimeSeconds) || lifetimeSeconds <= 0) {
    throw new ConfigurationError('`credentialLifetimeSeconds` must be a number of seconds > 0.')
  }
  const identities = new Map<string, Identity>()
  /** `<poolId>\n<providerName>\n<sub>` → identity id. */
  const byLogin = new Map<string, string>()
  const counts = { GetId: 0, GetCredentialsForIdentity: 0, other: 0 }

  const verify = async (pool: IdentityPoolConfig, logins: unknown): Promise<VerifiedLogins | undefined> => {
    if (logins === undefined || logins === null) return undefined
    if (typeof logins !== 'object' || Array.isArray(logins)) {
      throw new ServiceError('InvalidParameterException', 'Logins must be a map of provider names to tokens.')
    }
    const entries = Object.entries(logins as Record<string, unknown>)
    if (entries.length === 0) return undefined
    const keys: string[] = []
    let claims: Readonly<Record<string, unknown>> | undefined
    for (const [provider, token] of entries) {
      if (typeof token !== 'string' || token === '') {
        throw new ServiceError('InvalidParameterException', `The token for ${provider} must be a non-empty string.`)
      }
      if (!pool.loginProviders.includes(provider)) {
        throw new ServiceError(
          'NotAuthorizedException',
          'Token is not from a supported provider of this identity pool.',
        )
      }
      let verified: Readonly<Record<string, unknown>>
      try {
        verified = await verifyLogin(provider, token)
      } catch (error) {
        // The verifier's reason (expired, wrong issuer, bad signature), never the token.
        const reason = error instanceof Error ? error.message.split(token).join('[token]') : 'rejected'
        throw new ServiceError('NotAuthorizedException', `Invalid login token. ${reason}`)
      }
      const sub = verified['sub']
      if (typeof sub !== 'string' || sub === '') {
        throw new ServiceError('NotAuthorizedException', 'Invalid login token. The token has no sub claim.')
      }
      keys.push(`${provider}\n${sub}`)
      claims ??= verified
    }
    return claims === undefined ? undefined : { keys, claims }
  }

  const newIdentity = (pool: IdentityPoolConfig): Identity => {
    const region = POOL_ID.exec(pool.identityPoolId)?.[1] ?? 'us-east-1'
    const identity: Identity = { identityId: `${region}:${crypto.randomUUID()}`, pool, logins: new Set() }
    identities.set(identity.identityId, identity)
    return identity
  }

  const link = (identity: Identity, keys: readonly string[]): void => {
    for (const key of keys) {
      identity.logins.add(key)
      byLogin.set(`${identity.pool.identityPoolId}\n${key}`, identity.identityId)
    }
  }

  const getId = async (body: Record<string, unknown>): Promise<unknown> => {
    const poolId = body['IdentityPoolId']
    if (typeof poolId !== 'string' || !IDENTITY_ID.test(poolId)) {
      throw new ServiceError(
        'InvalidParameterException',
        "1 validation error detected: Value at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
      )
    }
    const pool = pools.get(poolId)
    if (!pool) throw new ServiceError('ResourceNotFoundException', `IdentityPool '${poolId}' not found.`)
    const logins = await verify(pool, body['Logins'])
    if (!logins) {
      if (!pool.allowUnauthenticated) {
        throw new ServiceError(
          'NotAuthorizedException',
          'Unauthenticated access is not supported for this identity pool.',
        )
      }
      return { IdentityId: newIdentity(pool).identityId }
    }
    const known = logins.keys.map((key) => byLogin.get(`${poolId}\n${key}`)).find((id) => id !== undefined)
    const identity = (known === undefined ? undefined : identities.get(known)) ?? newIdentity(pool)
    link(identity, logins.keys)
    return { IdentityId: identity.identityId }
  }

  const getCredentials = async (body: Record<string, unknown>): Promise<unknown> => {
    const identityId = body['IdentityId']
    if (typeof identityId !== 'string' || !IDENTITY_ID.test(identityId)) {
      throw new ServiceError(
        'InvalidParameterException',
        "1 validation error detected: Value at 'identityId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
      )
    }
    const identity = identities.get(identityId)
    if (!identity) throw new ServiceError('ResourceNotFoundException', `Identity '${identityId}' not found.`)
    const { pool } = identity
    const logins = await verify(pool, body['Logins'])
    let principal: IamPrincipal
    if (!logins) {
      // An identity with a linked login is that user's: a guest may not use it.
      if (identity.logins.size > 0) {
        throw new ServiceError('NotAuthorizedException', `Access to Identity '${identityId}' is forbidden.`)
      }
      if (!pool.allowUnauthenticated) {
        throw new ServiceError(
          'NotAuthorizedException',
          'Unauthenticated access is not supported for this identity pool.',
        )
      }
      principal = { kind: 'guest', identityPoolId: pool.identityPoolId, identityId }
    } else {
      for (const key of logins.keys) {
        const owner = byLogin.get(`${pool.identityPoolId}\n${key}`)
        if (owner !== undefined && owner !== identityId) {
          throw new ServiceError('NotAuthorizedException', `Access to Identity '${identityId}' is forbidden.`)
        }
      }
      // A signed-in identity is bound to its login: another user's logins do not open it (a
      // second provider is linked only beside one already linked), as in Cognito.
      if (identity.logins.size > 0 && !logins.keys.some((key) => identity.logins.has(key))) {
        throw new ServiceError(
          'NotAuthorizedException',
          "Logins don't match. Please include at least one valid login for this identity or identity pool.",
        )
      }
      // A guest identity that signs in becomes that user's, as in Cognito.
      link(identity, logins.keys)
      principal = { kind: 'authenticated', identityPoolId: pool.identityPoolId, identityId, claims: logins.claims }
    }
    const issued = store.issue(principal, lifetimeSeconds)
    return {
      IdentityId: identityId,
      Credentials: {
        AccessKeyId: issued.accessKeyId,
        SecretKey: issued.secretAccessKey,
        SessionToken: issued.sessionToken,
        // Epoch seconds, as Cognito sends it; never later than the store's expiry.
        Expiration: Math.floor((issued.expiration ?? new Date(clock.now())).getTime() / 1000),
      },
    }
  }

  const handler = (async (request: Request): Promise<Response> => {
    if (request.method === 'OPTIONS') return awsJsonPreflight(request)
    const operation = awsJsonOperation(request, SERVICE)
    if (operation === 'GetId' || operation === 'GetCredentialsForIdentity') counts[operation]++
    else counts.other++
    try {
      assertPost(request)
      if (operation === '') throw new ServiceError('UnknownOperationException', '')
      const input = await readAwsJsonBody(request)
      switch (operation) {
        case 'GetId':
          return awsJsonAnswer(200, await getId(input))
        case 'GetCredentialsForIdentity':
          return awsJsonAnswer(200, await getCredentials(input))
        default:
          throw new ServiceError('UnknownOperationException', `${operation} is not supported by this local endpoint.`)
      }
    } catch (error) {
      return awsJsonError(error)
    }
  }) as IdentityPoolHandler

  handler.counts = () => ({ ...counts })
  handler.deleteIdentity = (identityId) => {
    const identity = identities.get(identityId)
    if (!identity) return false
    identities.delete(identityId)
    for (const key of identity.logins) byLogin.delete(`${identity.pool.identityPoolId}\n${key}`)
    return true
  }
  handler.identities = (identityPoolId) =>
    [...identities.values()]
      .filter((identity) => identity.pool.identityPoolId === identityPoolId)
      .map((identity) => ({ identityId: identity.identityId, authenticated: identity.logins.size > 0 }))
  return handler
}

function checkPools(pools: readonly IdentityPoolConfig[]): Map<string, IdentityPoolConfig> {
  const list: unknown = pools
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigurationError('createIdentityPoolHandler needs `identityPools`: at least one pool.')
  }
  const byId = new Map<string, IdentityPoolConfig>()
  for (const pool of pools) {
    if (typeof pool.identityPoolId !== 'string' || !POOL_ID.test(pool.identityPoolId)) {
      throw new ConfigurationError(
        `identityPoolId must be "<region>:<uuid>", e.g. "us-east-1:${crypto.randomUUID()}"; got ${JSON.stringify(pool.identityPoolId)}.`,
      )
    }
    const providers: unknown = pool.loginProviders
    if (!Array.isArray(providers) || providers.some((name: unknown) => typeof name !== 'string' || name === '')) {
      throw new ConfigurationError(
        `identity pool ${pool.identityPoolId}: loginProviders must be provider names, e.g. "cognito-idp.<region>.amazonaws.com/<userPoolId>".`,
      )
    }
    if (byId.has(pool.identityPoolId))
      throw new ConfigurationError(`identity pool ${pool.identityPoolId} is listed twice.`)
    byId.set(pool.identityPoolId, pool)
  }
  return byId
}
