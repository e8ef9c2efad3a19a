// The Amplify AppSync simulator, in process, on 127.0.0.1 only, with API key, Cognito user pool
// and IAM authorization enabled.
//
// What it checks (protocol conformance, not proof of verification): the API key value; that a
// user pool token is a JWT whose `iss` starts with https://cognito-idp. (it verifies no JWT
// signature or expiry); that an IAM request carries `authorization: AWS4-HMAC-SHA256 …` (it
// verifies no SigV4 signature); and the @aws_* directives of each field.
//
// Binding: `simulator.start()` would listen on every interface (`server.listen(port)` with no
// host), after probing ports with get-port, which also binds every interface for a moment. So
// this harness does what `start()` does, minus both: it attaches the real-time handler to the
// simulator's own HTTP server and makes that server listen on 127.0.0.1, on a port the kernel
// picks. The two internals it needs are checked first, so a simulator upgrade that moves them
// fails loudly here instead of binding elsewhere.
import { randomBytes } from 'node:crypto'
import { Server, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  AmplifyAppSyncSimulator,
  AmplifyAppSyncSimulatorAuthenticationType as AuthType,
  RESOLVER_KIND,
  type AmplifyAppSyncSimulatorConfig,
} from '@aws-amplify/amplify-appsync-simulator'
import { SCHEMA, simulatorResolvers } from './schema'

export interface StartSimulatorOptions {
  /** The API key the simulator accepts (default: a random `da2-…`). */
  readonly apiKey?: string
  /** The user pool whose tokens are used; the simulator only reads their `iss` prefix. */
  readonly userPool: { readonly userPoolId: string; readonly clientId: string }
  /**
   * The access key id the simulator treats as the identity pool's authenticated role (its
   * `$ctx.identity.userArn` is then the authRole's); any other key id is the unauthenticated role.
   */
  readonly iamAuthAccessKeyId?: string
  /** Replaces the default schema (with `resolvers`). */
  readonly schema?: string
  readonly resolvers?: ReturnType<typeof simulatorResolvers>
}

export interface RunningSimulator {
  /** `http://127.0.0.1:<port>/graphql` */
  readonly url: string
  readonly apiKey: string
  readonly port: number
  readonly simulator: AmplifyAppSyncSimulator
  /** Closes the server (and its connections). Idempotent. */
  stop(): Promise<void>
}

interface SimulatorInternals {
  readonly _server?: {
    readonly _httpServer?: unknown
    readonly _realTimeSubscriptionServer?: { start?: unknown }
  }
}

export async function startSimulator(options: StartSimulatorOptions): Promise<RunningSimulator> {
  const apiKey = options.apiKey ?? `da2-${randomBytes(13).toString('hex')}`
  const resolvers = options.resolvers ?? simulatorResolvers()
  const config: AmplifyAppSyncSimulatorConfig = {
    schema: { content: options.schema ?? SCHEMA },
    dataSources: resolvers.dataSources,
    mappingTemplates: resolvers.mappingTemplates,
    resolvers: resolvers.resolvers.map((resolver) => ({ ...resolver, kind: RESOLVER_KIND.UNIT })),
    appSync: {
      name: 'authmode-e2e',
      apiKey,
      ...(options.iamAuthAccessKeyId === undefined ? {} : { authAccessKeyId: options.iamAuthAccessKeyId }),
      defaultAuthenticationType: { authenticationType: AuthType.API_KEY },
      additionalAuthenticationProviders: [
        {
          authenticationType: AuthType.AMAZON_COGNITO_USER_POOLS,
          // As AppSync would be configured for this pool's app client. The simulator (2.16) does not
          // read this: it takes any JWT whose issuer starts with https://cognito-idp.
          cognitoUserPoolConfig: { AppIdClientRegex: `^${escapeRegExp(options.userPool.clientId)}$` },
        },
        { authenticationType: AuthType.AWS_IAM },
      ],
    },
  }

  // The constructor only builds the HTTP server and the real-time handler; nothing listens yet.
  const simulator = new AmplifyAppSyncSimulator({ port: 0, wsPort: 0 })
  simulator.init(config)
  const internals = (simulator as unknown as SimulatorInternals)._server
  const httpServer = internals?._httpServer
  const realtime = internals?._realTimeSubscriptionServer
  if (!(httpServer instanceof Server) || typeof realtime?.start !== 'function') {
    throw new Error(
      'amplify-appsync-simulator internals changed (expected _server._httpServer and _server._realTimeSubscriptionServer.start): ' +
        'cannot bind it to 127.0.0.1, so it is not started.',
    )
  }
  // The real-time endpoint (/graphql/realtime) shares the HTTP server: no port of its own.
  ;(realtime.start as () => void).call(realtime)
  const port = await listenOnLoopback(httpServer)

  let stopped = false
  return {
    url: `http://127.0.0.1:${String(port)}/graphql`,
    apiKey,
    port,
    simulator,
    async stop() {
      if (stopped) return
      stopped = true
      const closed = new Promise<void>((resolve) => {
        httpServer.once('close', () => {
          resolve()
        })
      })
      try {
        await simulator.stop() // closes the WebSocket server, then calls httpServer.close()
      } finally {
        if (httpServer.listening) httpServer.close()
        httpServer.closeAllConnections() // keep-alive sockets of finished requests
        await closed
      }
    },
  }
}

function listenOnLoopback(server: HttpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(error)
    }
    server.once('error', onError)
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
