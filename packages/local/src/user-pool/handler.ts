// The Cognito user pool API a session needs, over its real wire protocol (AWS JSON 1.1: POST /,
// `x-amz-target: AWSCognitoIdentityProviderService.<Operation>`): InitiateAuth
// (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH), GetTokensFromRefreshToken (with rotation per app
// client), RevokeToken and GlobalSignOut, answering with Cognito's error types and messages.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { Clock } from '@authmode/core'
import {
  assertPost,
  awsJsonAnswer,
  awsJsonError,
  awsJsonOperation,
  awsJsonPreflight,
  readAwsJsonBody,
  ServiceError,
} from '../aws-json/protocol'
import type { WebHandler } from '../identity-pool/types'
import type { ResolvedClient, ResolvedPool, ResolvedUser } from './config'
import { SessionStore, type Session } from './sessions'
import { signTokens, verifyAccessToken, type SigningKey } from './tokens'

export type UserPoolOperation = 'InitiateAuth' | 'GetTokensFromRefreshToken' | 'RevokeToken' | 'GlobalSignOut'

export interface UserPoolHandlerOptions {
  readonly pool: ResolvedPool
  readonly key: SigningKey
  /** The tokens' `iss`: `<server url>/<userPoolId>`. */
  readonly issuer: string
  readonly clock: Clock
}

/** The handler, plus the counts tests look at. */
export interface UserPoolHandler extends WebHandler {
  /** Requests received per operation (answered or refused). */
  counts(): Readonly<Record<UserPoolOperation | 'other', number>>
}

const SERVICE = 'AWSCognitoIdentityProviderService'
const OPERATIONS: readonly string[] = ['InitiateAuth', 'GetTokensFromRefreshToken', 'RevokeToken', 'GlobalSignOut']
// Flows Cognito has that this pool does not run: refused with what to use instead.
const OTHER_FLOWS = new Set([
  'USER_SRP_AUTH',
  'CUSTOM_AUTH',
  'USER_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'ADMIN_USER_PASSWORD_AUTH',
])
const INCORRECT = 'Incorrect username or password.'

const invalid = (message: string): ServiceError => new ServiceError('InvalidParameterException', message)
const notAuthorized = (message: string): ServiceError => new ServiceError('NotAuthorizedException', message)

/** Equal in constant time (hashed first, so lengths say nothing). */
function same(a: string, b: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(a), digest(b))
}

function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret)
    .update(username + clientId)
    .digest('base64')
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw invalid(
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must not be null`,
    )
  }
  return value
}

/**
 * The local user pool's endpoint, so `signInWithPassword`, `fromCognitoUserPool`, Amplify and the
 * AWS SDK's `CognitoIdentityProviderClient` sign in and refresh against it.
 */
export function createUserPoolHandler(options: UserPoolHandlerOptions): UserPoolHandler {
  const { pool, key, issuer, clock } = options
  const sessions = new SessionStore()
  const counts: Record<UserPoolOperation | 'other', number> = {
    InitiateAuth: 0,
    GetTokensFromRefreshToken: 0,
    RevokeToken: 0,
    GlobalSignOut: 0,
    other: 0,
  }

  const clientOf = (body: Record<string, unknown>, missing: () => ServiceError): ResolvedClient => {
    const clientId = text(body['ClientId'], 'clientId')
    const client = pool.clients.get(clientId)
    if (!client) throw missing()
    return client
  }
  const unknownClient = (body: Record<string, unknown>) => () =>
    new ServiceError('ResourceNotFoundException', `User pool client ${String(body['ClientId'])} does not exist.`)

  /** A `ClientSecret` sent as itself (GetTokensFromRefreshToken, RevokeToken). */
  const checkClientSecret = (client: ResolvedClient, given: unknown, type = 'NotAuthorizedException'): void => {
    if (client.clientSecret === undefined) return
    if (typeof given !== 'string' || given === '') {
      throw new ServiceError(
        type,
        `Client ${client.clientId} is configured with secret but ClientSecret was not received`,
      )
    }
    if (!same(given, client.clientSecret))
      throw new ServiceError(type, `Unable to verify secret for client ${client.clientId}`)
  }

  /** `SECRET_HASH` (InitiateAuth): HMAC of one of `usernames` + the client id. */
  const checkSecretHash = (client: ResolvedClient, given: unknown, usernames: readonly string[]): void => {
    if (client.clientSecret === undefined) return
    if (typeof given !== 'string' || given === '') {
      throw notAuthorized(`Client ${client.clientId} is configured with secret but SECRET_HASH was not received`)
    }
    const secret = client.clientSecret
    if (!usernames.some((name) => same(given, secretHash(secret, name, client.clientId)))) {
      throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`)
    }
  }

  const result = async (session: Session, refreshToken: string | undefined): Promise<unknown> => ({
    AuthenticationResult: {
      ...(await signTokens(key, issuer, session, clock.now())),
      ...(refreshToken === undefined ? {} : { RefreshToken: refreshToken }),
    },
    ChallengeParameters: {},
  })

  const passwordAuth = async (client: ResolvedClient, parameters: Record<string, unknown>): Promise<unknown> => {
    const username = parameters['USERNAME']
    const password = parameters['PASSWORD']
    if (typeof username !== 'string' || username === '') throw invalid('Missing required parameter USERNAME')
    if (typeof password !== 'string' || password === '') throw invalid('Missing required parameter PASSWORD')
    checkSecretHash(client, parameters['SECRET_HASH'], [username])
    const user: ResolvedUser | undefined = pool.users.get(username)
    if (!user) {
      if (client.preventUserExistenceErrors) throw notAuthorized(INCORRECT)
      throw new ServiceError('UserNotFoundException', 'User does not exist.')
    }
    if (!same(password, user.password)) throw notAuthorized(INCORRECT)
    const started = sessions.start(user, client, clock.now())
    return result(started.session, started.refreshToken)
  }

  const refreshAuth = async (client: ResolvedClient, parameters: Record<string, unknown>): Promise<unknown> => {
    // Cognito: "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token
    // rotation enabled"; its wording for a flow an app client does not allow.
    if (client.rotation) throw invalid('REFRESH_TOKEN_AUTH flow not enabled for this client')
    const token = parameters['REFRESH_TOKEN']
    if (typeof token !== 'string' || token === '') throw invalid('Missing required parameter REFRESH_TOKEN')
    const { session } = sessions.refresh(token, client, clock.now(), false)
    checkSecretHash(client, parameters['SECRET_HASH'], [session.user.username, session.user.sub])
    // Without rotation there is no new refresh token: the one sent stays valid.
    return result(session, undefined)
  }

  const operations: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    InitiateAuth: async (body) => {
      const client = clientOf(body, unknownClient(body))
      const flow = text(body['AuthFlow'], 'authFlow')
      const parameters = body['AuthParameters']
      if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
        throw invalid('Missing required parameter AuthParameters')
      }
      const given = parameters as Record<string, unknown>
      if (flow === 'USER_PASSWORD_AUTH') return passwordAuth(client, given)
      if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') return refreshAuth(client, given)
      if (OTHER_FLOWS.has(flow)) {
        throw invalid(`${flow} is not supported by this local user pool: use USER_PASSWORD_AUTH.`)
      }
      throw invalid(
        "1 validation error detected: Value at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set",
      )
    },
    GetTokensFromRefreshToken: async (body) => {
      const client = clientOf(body, unknownClient(body))
      checkClientSecret(client, body['ClientSecret'])
      const token = text(body['RefreshToken'], 'refreshToken')
      const refreshed = sessions.refresh(token, client, clock.now(), client.rotation)
      return result(refreshed.session, refreshed.refreshToken)
    },
    RevokeToken: (body) => {
      // RevokeToken's documented errors have no NotAuthorized or ResourceNotFound: a client it
      // cannot verify is UnauthorizedException.
      const unauthorized = () => new ServiceError('UnauthorizedException', 'Invalid client.')
      const client = clientOf(body, unauthorized)
      checkClientSecret(client, body['ClientSecret'], 'UnauthorizedException')
      const token = text(body['Token'], 'token')
      if (/^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token)) {
        throw new ServiceError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.')
      }
      // A token already revoked, expired or unknown leaves nothing to revoke (as OAuth's revocation does).
      if (sessions.revoke(token, client) === 'other-client') throw unauthorized()
      return Promise.resolve({})
    },
    GlobalSignOut: async (body) => {
      const token = text(body['AccessToken'], 'accessToken')
      const now = clock.now()
      const verified = await verifyAccessToken(key, issuer, token, now)
      if (!verified.ok) throw notAuthorized(verified.message)
      const session = sessions.live(verified.claims['origin_jti'], now)
      if (!session) throw notAuthorized('Access Token has been revoked')
      sessions.signOutEverywhere(session.user.username)
      return {}
    },
  }

  const handler = (async (request: Request): Promise<Response> => {
    if (request.method === 'OPTIONS') return awsJsonPreflight(request)
    const operation = awsJsonOperation(request, SERVICE)
    if (OPERATIONS.includes(operation)) counts[operation as UserPoolOperation]++
    else counts.other++
    try {
      assertPost(request)
      if (operation === '') throw new ServiceError('UnknownOperationException', '')
      const body = await readAwsJsonBody(request)
      const run = Object.hasOwn(operations, operation) ? operations[operation] : undefined
      if (!run) {
        throw new ServiceError('UnknownOperationException', `${operation} is not supported by this local user pool.`)
      }
      return awsJsonAnswer(200, await run(body))
    } catch (error) {
      return awsJsonError(error)
    }
  }) as UserPoolHandler
  handler.counts = () => ({ ...counts })
  return handler
}
