import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { ConfigurationError, type Clock } from '@authmode/core'
import { ApiKeys, type ApiKeyInput, type ApiKeyRegistry } from '../auth/apiKeys'
import { authenticate, enabledModes, type Authenticator } from '../auth/authenticate'
import { describeCaller, type LocalAuthMode } from '../auth/caller'
import { JwtVerifier, type OidcConfig, type UserPoolConfig } from '../auth/jwt'
import { LambdaVerifier, type LambdaAuthorizer } from '../auth/lambda'
import { amplifyOutputs, type LocalAmplifyOutputs } from '../amplify/amplifyOutputs'
import { introspect, type ModelIntrospectionSchema } from '../amplify/modelIntrospection'
import type { IdentityPoolHandler } from '../identity-pool/index'
import type { CredentialStore } from '../identity-pool/types'
import { createRealtimeEndpoint, type RealtimeEndpoint, type RealtimeOptions } from '../realtime/endpoint'
import { REALTIME_PATH } from '../realtime/protocol'
import { ExecutableApi, type LocalResolvers } from '../schema/executable'
import { buildLocalSchema } from '../schema/generate'
import { createDataStore, type DataStore } from '../store/dataStore'
import { identityPoolRoute, newCredentialStore, type IdentityPoolOptions, type IdentityPoolRoute } from './identityPool'
import type { LocalUserPoolOptions } from '../user-pool/index'
import { mountUserPool, prepareUserPool, wellKnown, type LocalUserPool } from './userPool'
import { json, preflight, rejectionResponse } from './http'
import { serviceRoute } from './serviceRoutes'
import { BodyTooLargeError, readRequest, toWebRequest, writeResponse, type IncomingRequest } from './nodeAdapter'

/** Credentials of a backend caller (Lambda, EC2, ECS role): full access to @model types. */
export interface BackendCredentials {
  /** Shown in logs (default `backend`). */
  readonly name?: string | undefined
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
  readonly expiration?: Date | undefined
}

/** Where the endpoint reports: one line per request, never a key, token, secret or signature. */
export interface LocalLogger {
  readonly info?: ((message: string) => void) | undefined
  readonly warn?: ((message: string) => void) | undefined
  readonly error?: ((message: string) => void) | undefined
}

export interface LocalAppSyncOptions {
  /** The GraphQL schema (SDL), with @model, @auth and AppSync's @aws_* directives. */
  readonly schema: string
  /** Default 0: a free port the system picks. */
  readonly port?: number | undefined
  /** Default `127.0.0.1`: the endpoint is not reachable from other machines unless you say so. */
  readonly host?: string | undefined
  /** The region requests are signed for (SigV4 scope). Default `us-east-1`. */
  readonly region?: string | undefined
  /**
   * API keys: strings or `{ key?, expires?, ttlDays?, description? }`, each valid 30 days from
   * creation unless told otherwise. Default: one new key (see `apiKey` on the result). `false`
   * disables the API_KEY mode.
   */
  readonly apiKeys?: false | readonly (string | ApiKeyInput)[] | undefined
  /** Cognito user pools whose JWTs are accepted (verified against their JWKS). */
  readonly userPools?: readonly UserPoolConfig[] | undefined
  /** OpenID Connect providers whose JWTs are accepted. */
  readonly oidc?: readonly OidcConfig[] | undefined
  /**
   * A Lambda authorizer (AWS_LAMBDA): called with AppSync's authorizer event for an
   * `authorization` that is neither SigV4 nor a JWT of a configured pool or OIDC provider.
   */
  readonly lambdaAuthorizer?: LambdaAuthorizer | undefined
  /** The API's default mode: what types and fields without directives, and @model types without @auth, allow. */
  readonly defaultAuthMode?: LocalAuthMode | undefined
  /** Backend IAM credentials (e.g. what a Lambda gets from its environment). */
  readonly backendCredentials?: readonly BackendCredentials[] | undefined
  /**
   * A Cognito user pool on the same server (InitiateAuth with USER_PASSWORD_AUTH and
   * REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken, RevokeToken, GlobalSignOut): its users, their
   * passwords and groups, and its app clients. The API accepts its tokens (it is added to
   * `userPools`), and so does the identity pool as a login provider.
   */
  readonly userPool?: LocalUserPoolOptions | undefined
  /** The identity-pool endpoint (GetId, GetCredentialsForIdentity) on the same server; `false` to turn it off. */
  readonly identityPool?: IdentityPoolOptions | false | undefined
  /** Share a credential store (default: a new one). */
  readonly credentialStore?: CredentialStore | undefined
  /** Resolvers for fields the schema declares itself (generated @model operations need none). */
  readonly resolvers?: LocalResolvers | undefined
  /** A JSON file to load the data from and write it to after every change. */
  readonly persistTo?: string | undefined
  /** The server's time (API key and token expiry, the SigV4 window, `Date` headers). */
  readonly clock?: Clock | undefined
  readonly logger?: LocalLogger | undefined
  /** Largest request body accepted (default 1 MiB); also the largest real-time message. */
  readonly maxBodyBytes?: number | undefined
  /**
   * The real-time endpoint (subscriptions) at `/graphql/realtime` on the same server: keep-alive
   * settings, or `false` to turn it off.
   */
  readonly realtime?: RealtimeOptions | false | undefined
  /**
   * Routes shaped like an API Gateway REST API with IAM authorization (`/_aws/execute-api/…`, SigV4
   * service `execute-api`) and a Lambda function URL with `AWS_IAM` auth (`/_aws/lambda-url/…`,
   * service `lambda`): any method, path and query; each verifies the signature with the same
   * credentials as `/graphql` and answers JSON saying what it verified. `false` to turn them off.
   */
  readonly serviceRoutes?: false | undefined
}

/** A running endpoint. */
export interface LocalAppSync {
  /** `http://127.0.0.1:<port>`: the identity-pool endpoint answers at `<url>/`. */
  readonly url: string
  /** `<url>/graphql`: the endpoint for `createClient`. */
  readonly graphqlUrl: string
  /**
   * `<url>/_aws/execute-api`: an API Gateway-shaped base URL (append a stage and path, e.g.
   * `/prod/items`) whose requests must be signed for `execute-api`; undefined when `serviceRoutes` is off.
   */
  readonly executeApiUrl: string | undefined
  /** `<url>/_aws/lambda-url`: a Lambda function URL-shaped base URL (service `lambda`); undefined when off. */
  readonly lambdaUrl: string | undefined
  /** `ws://…/graphql/realtime`, where `subscribe` connects; undefined when `realtime` is off. */
  readonly realtimeUrl: string | undefined
  readonly host: string
  readonly port: number
  readonly region: string
  /** The first API key (created for you unless `apiKeys` said otherwise); undefined without API keys. */
  readonly apiKey: string | undefined
  /** Add and revoke API keys while running; undefined when the API_KEY mode is off. */
  readonly apiKeys: ApiKeyRegistry | undefined
  /** Every AWS credential the endpoint knows: add backend credentials, look up issued ones. */
  readonly credentials: CredentialStore
  /** The identity pool id GetId accepts; undefined when the identity-pool endpoint is off. */
  readonly identityPoolId: string | undefined
  /** The local user pool (ids, endpoint, issuer, app clients); undefined without the `userPool` option. */
  readonly userPool: LocalUserPool | undefined
  /** The identity-pool endpoint's handler (request counts, identities); undefined when it is off. */
  readonly identityPool: IdentityPoolHandler | undefined
  readonly store: DataStore
  /** Amplify's model introspection schema of `schema` (`data.model_introspection`). */
  readonly modelIntrospection: ModelIntrospectionSchema
  /**
   * A Gen 2 `amplify_outputs.json` for this endpoint (`JSON.stringify` it to a file): `data` with
   * the URL, region, first API key, modes and model introspection; `auth` with the user pool (the
   * local one, else the first of `userPools` with a client id) and the identity pool.
   */
  amplifyOutputs(): LocalAmplifyOutputs
  /** Stops accepting, lets requests in flight finish (up to 5 s), closes every connection. Idempotent. */
  stop(): Promise<void>
}

/** A running endpoint whose identity pool is on (the default, `identityPool` not `false`). */
export interface LocalAppSyncWithIdentityPool extends LocalAppSync {
  readonly identityPoolId: string
  readonly identityPool: IdentityPoolHandler
}

const HEALTH_PATHS = new Set(['/health', '/healthz'])

/**
 * Starts a local AppSync-compatible endpoint that verifies every request's credentials (API key
 * with expiry, Cognito/OIDC JWT against the issuer's JWKS, SigV4) and enforces @auth rules.
 *
 * @example
 * ```ts
 * import { startLocalAppSync } from '@authmode/local'
 * import { createClient } from '@authmode/node'
 *
 * const server = await startLocalAppSync({
 *   schema: 'type Post @model @auth(rules: [{ allow: public }]) { id: ID! title: String! }',
 * })
 * const client = createClient({ endpoint: server.graphqlUrl, authMode: 'apiKey', apiKey: server.apiKey })
 * await client.request('mutation { createPost(input: { title: "Hi" }) { id } }')
 * await server.stop()
 * ```
 */
export function startLocalAppSync(
  options: LocalAppSyncOptions & { readonly identityPool?: IdentityPoolOptions | undefined },
): Promise<LocalAppSyncWithIdentityPool>
export function startLocalAppSync(options: LocalAppSyncOptions): Promise<LocalAppSync>
export async function startLocalAppSync(options: LocalAppSyncOptions): Promise<LocalAppSync> {
  if (typeof options !== 'object' || typeof options.schema !== 'string') {
    throw new ConfigurationError('startLocalAppSync needs `schema`: the GraphQL schema as SDL text.')
  }
  const clock = options.clock ?? { now: () => Date.now() }
  const region = options.region ?? 'us-east-1'
  const host = options.host ?? '127.0.0.1'
  const logger = options.logger ?? {}
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024

  const built = buildLocalSchema(options.schema)
  const apiKeys = options.apiKeys === false ? undefined : new ApiKeys(clock)
  let firstKey: string | undefined
  if (apiKeys && options.apiKeys !== false) {
    const inputs = options.apiKeys ?? [{}]
    for (const input of inputs) {
      const created = apiKeys.create(typeof input === 'string' ? { key: input } : input)
      firstKey ??= created.key
    }
  }
  const jwt = new JwtVerifier({ userPools: options.userPools ?? [], oidc: options.oidc ?? [], clock })
  const credentials = options.credentialStore ?? newCredentialStore(clock)
  for (const backend of options.backendCredentials ?? []) {
    const { name, ...keys } = backend
    credentials.addBackend(name ?? 'backend', stripUndefined(keys))
  }
  const localPool = options.userPool === undefined ? undefined : await prepareUserPool(options.userPool, region)
  const lambda = options.lambdaAuthorizer && new LambdaVerifier(options.lambdaAuthorizer, clock)
  const authenticator: Authenticator = { apiKeys, jwt, lambda, credentials, region, clock }
  const modes = new Set(enabledModes(authenticator))
  if (localPool) modes.add('userPool') // trusted once the server listens and its issuer is known
  const defaultMode = options.defaultAuthMode ?? (apiKeys ? 'apiKey' : modes.has('userPool') ? 'userPool' : 'iam')
  if (!modes.has(defaultMode)) {
    throw new ConfigurationError(
      `defaultAuthMode ${defaultMode} is not enabled: configure it (apiKeys, userPools, oidc) or pick one of ${[...modes].join(', ')}.`,
    )
  }
  warnAboutUnusedProviders(built.info.models, modes, logger)

  const store = createDataStore({ persistTo: options.persistTo })
  let realtime: RealtimeEndpoint | undefined
  const api = new ExecutableApi({
    built,
    store,
    defaultMode,
    clock,
    resolvers: options.resolvers,
    onChange: (change) => {
      realtime?.publish(change)
    },
  })
  if (options.realtime !== false) {
    realtime = createRealtimeEndpoint({
      ...options.realtime,
      api,
      authenticator,
      schema: built.schema,
      subscriptions: built.subscriptions,
      maxPayloadBytes: maxBodyBytes,
      logger,
    })
  }
  // Made once the server listens: the local pool's issuer names the port, and the identity pool
  // accepts its logins.
  let identityPool: IdentityPoolRoute | undefined
  let userPool: LocalUserPool | undefined

  const serviceRoutes = options.serviceRoutes !== false
  const handle = async (request: IncomingRequest, origin: string): Promise<Response> => {
    const now = clock.now()
    const path = request.path.split('?')[0] ?? '/'
    if (request.method === 'OPTIONS') return preflight(now)
    if (request.method === 'GET' && HEALTH_PATHS.has(path)) return json({ status: 'ok' }, 200, now)
    const routed = serviceRoutes && (await serviceRoute(request, { credentials, region, clock, logger }))
    if (routed) return routed
    if (request.method === 'POST' && path === '/graphql') {
      const verified = await authenticate(request, authenticator)
      if (!verified.ok) {
        logger.info?.(`POST /graphql ${String(verified.rejection.status)} rejected: ${verified.rejection.message}`)
        return rejectionResponse(verified.rejection, clock.now())
      }
      let body: unknown
      try {
        body = JSON.parse(Buffer.from(request.body).toString('utf8'))
      } catch {
        return json(
          { errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse JSON document' }] },
          400,
          clock.now(),
        )
      }
      const answer = await api.run(body, verified.value)
      logger.info?.(
        `POST /graphql ${String(answer.status)} ${describeCaller(verified.value)}${summarizeErrors(answer.body)}`,
      )
      return json(answer.body, answer.status, clock.now())
    }
    const target = request.headers['x-amz-target'] ?? ''
    if (request.method === 'POST' && path === '/' && target.startsWith('AWSCognitoIdentityProviderService.')) {
      if (!userPool) {
        return json({ __type: 'UnknownOperationException', message: 'The user-pool endpoint is off.' }, 400, now)
      }
      const response = await userPool.handler(toWebRequest(request, origin))
      logger.info?.(`POST / ${target} ${String(response.status)}`)
      return response
    }
    if (request.method === 'GET' && localPool && userPool) {
      const document = wellKnown(localPool, userPool, path)
      if (document !== undefined) return json(document, 200, now)
    }
    if (request.method === 'POST' && path === '/' && target.startsWith('AWSCognitoIdentityService.')) {
      if (!identityPool) {
        return json({ __type: 'UnknownOperationException', message: 'The identity-pool endpoint is off.' }, 400, now)
      }
      const response = await identityPool(toWebRequest(request, origin))
      logger.info?.(`POST / ${target} ${String(response.status)}`)
      return response
    }
    return json({ errors: [{ errorType: 'NotFound', message: `No route for ${request.method} ${path}.` }] }, 404, now)
  }

  const inFlight = new Set<Promise<void>>()
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const task = (async () => {
      let response: Response
      try {
        const request = await readRequest(req, maxBodyBytes)
        response = await handle(request, origin)
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          response = json({ errors: [{ errorType: 'PayloadTooLarge', message: error.message }] }, 413, clock.now())
        } else {
          logger.error?.(`internal error: ${error instanceof Error ? error.message : String(error)}`)
          response = json(
            { errors: [{ errorType: 'InternalFailure', message: 'Internal server error.' }] },
            500,
            clock.now(),
          )
        }
      }
      if (!res.destroyed) await writeResponse(res, response)
    })().catch((error: unknown) => {
      logger.error?.(`could not answer: ${error instanceof Error ? error.message : String(error)}`)
      res.destroy()
    })
    inFlight.add(task)
    void task.finally(() => inFlight.delete(task))
  })

  if (realtime) {
    const endpoint = realtime
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      endpoint.upgrade(request, socket, head)
    })
  }

  const port = await listen(server, options.port ?? 0, host)
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${String(port)}`
  try {
    if (localPool) {
      userPool = mountUserPool(localPool, origin, clock)
      jwt.addUserPool({
        userPoolId: userPool.userPoolId,
        issuer: userPool.issuer,
        jwksUri: userPool.jwksUri,
        clientIds: userPool.clients.map((c) => c.clientId),
      })
    }
    identityPool =
      options.identityPool === false
        ? undefined
        : identityPoolRoute({
            options: options.identityPool ?? {},
            region,
            credentials,
            verifyLogin: jwt.verifyLogin,
            loginProviders: jwt.loginProviders(),
            clock,
          })
  } catch (error) {
    realtime?.close()
    await close(server, inFlight)
    throw error
  }
  let stopping: Promise<void> | undefined
  const introspection = introspect(built.info)
  const externalPool = (options.userPools ?? []).find((pool) => pool.clientIds?.[0] !== undefined)
  return {
    url: origin,
    graphqlUrl: `${origin}/graphql`,
    executeApiUrl: serviceRoutes ? `${origin}/_aws/execute-api` : undefined,
    lambdaUrl: serviceRoutes ? `${origin}/_aws/lambda-url` : undefined,
    realtimeUrl: realtime ? `${origin.replace(/^http/, 'ws')}${REALTIME_PATH}` : undefined,
    host,
    port,
    region,
    apiKey: firstKey,
    apiKeys,
    credentials,
    identityPoolId: identityPool?.identityPoolId,
    identityPool,
    userPool,
    store,
    modelIntrospection: introspection,
    amplifyOutputs: () =>
      amplifyOutputs({
        graphqlUrl: `${origin}/graphql`,
        region,
        apiKey: firstKey,
        defaultMode,
        modes,
        introspection,
        userPool: userPool
          ? { userPoolId: userPool.userPoolId, clientId: userPool.clientId, region }
          : externalPool && {
              userPoolId: externalPool.userPoolId,
              clientId: externalPool.clientIds?.[0] ?? '',
              region: externalPool.region ?? externalPool.userPoolId.split('_')[0] ?? region,
            },
        identityPool: identityPool && {
          identityPoolId: identityPool.identityPoolId,
          guests: options.identityPool !== false && options.identityPool?.allowUnauthenticated !== false,
        },
      }),
    stop: () => {
      if (!stopping) realtime?.close()
      return (stopping ??= close(server, inFlight))
    },
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(new ConfigurationError(`Cannot listen on ${host}:${String(port)}: ${error.message}`, { cause: error }))
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

async function close(server: Server, inFlight: Set<Promise<void>>): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    server.close(() => {
      resolve()
    })
  })
  server.closeIdleConnections()
  const timer = setTimeout(() => {
    server.closeAllConnections()
  }, 5000)
  try {
    await Promise.allSettled([...inFlight])
    server.closeIdleConnections()
    await closed
  } finally {
    clearTimeout(timer)
  }
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>
  }
}

function summarizeErrors(body: unknown): string {
  const errors = (body as { errors?: { errorType?: string }[] } | null)?.errors
  if (!errors || errors.length === 0) return ''
  return ` errors: ${errors.map((e) => e.errorType ?? 'error').join(', ')}`
}

function warnAboutUnusedProviders(
  models: readonly { name: string; rules?: readonly { provider: string }[] | undefined }[],
  modes: ReadonlySet<LocalAuthMode>,
  logger: LocalLogger,
): void {
  const modeOf: Record<string, LocalAuthMode> = {
    apiKey: 'apiKey',
    userPools: 'userPool',
    oidc: 'oidc',
    iam: 'iam',
    function: 'lambda',
  }
  for (const model of models) {
    for (const rule of model.rules ?? []) {
      const mode = modeOf[rule.provider]
      if (mode && !modes.has(mode)) {
        logger.warn?.(
          `type ${model.name}: a rule with provider ${rule.provider} can never match: that mode is not configured.`,
        )
      }
    }
  }
}
