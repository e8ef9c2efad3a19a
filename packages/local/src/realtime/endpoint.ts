// The real-time endpoint at /graphql/realtime, on the HTTP server of the GraphQL endpoint: AppSync's
// protocol over `ws`, the connection and every start verified like an HTTP request of their mode,
// and each generated mutation's item delivered to the subscribers allowed to read it.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { ConfigurationError } from '@authmode/core'
import type { Authenticator } from '../auth/authenticate'
import { describeCaller, type Caller } from '../auth/caller'
import type { Verified } from '../auth/rejection'
import type { ExecutableApi, ModelChange } from '../schema/executable'
import { matchesArguments } from './arguments'
import { authorizeConnection, authorizeStart } from './authorize'
import { parseSubscription, type OperationContext, type SubscriptionOperation } from './operation'
import {
  connectHeader,
  errorsPayload,
  headerObject,
  parseClientMessage,
  REALTIME_PATH,
  SUBPROTOCOL,
  type ClientMessage,
} from './protocol'

/**
 * Settings of the real-time endpoint (`realtime` of `startLocalAppSync`), served at
 * `/graphql/realtime` on the same server.
 *
 * @example
 * ```ts
 * // keep-alives every second, for a test that watches them
 * const server = await startLocalAppSync({ schema, realtime: { keepAliveIntervalMs: 1000 } })
 * const client = createClient({ endpoint: server.graphqlUrl, authMode: 'apiKey', apiKey: server.apiKey })
 * const onPost = subscribe(client, 'subscription { onCreatePost { id title } }')
 * ```
 */
export interface RealtimeOptions {
  /** How often a `ka` is sent (default 60 000 ms). */
  readonly keepAliveIntervalMs?: number | undefined
  /** `connectionTimeoutMs` of `connection_ack`: how long a client waits for a `ka` (default 300 000 ms). */
  readonly connectionTimeoutMs?: number | undefined
  /** Subscriptions one connection may hold (default 100). */
  readonly maxSubscriptionsPerConnection?: number | undefined
}

export interface RealtimeEndpointOptions extends RealtimeOptions, OperationContext {
  readonly api: ExecutableApi
  readonly authenticator: Authenticator
  readonly maxPayloadBytes: number
  readonly logger: { readonly info?: ((message: string) => void) | undefined }
}

export interface RealtimeEndpoint {
  /** Takes an HTTP upgrade: answers it when it is for /graphql/realtime, refuses it otherwise. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Delivers a generated mutation's item to the subscriptions it concerns. */
  publish(change: ModelChange): void
  /** Closes every connection (1001) and stops accepting. */
  close(): void
}

interface Subscriber extends SubscriptionOperation {
  readonly id: string
  readonly caller: Caller
}

interface Connection {
  readonly socket: WebSocket
  readonly authorized: Promise<Verified<Caller>>
  acked: boolean
  /** connection_init was received (a second one is ignored). */
  initialized: boolean
  readonly subscribers: Map<string, Subscriber>
  /** Starts being verified: their ids are taken. */
  readonly pending: Set<string>
  /** Pending starts stopped before they were verified. */
  readonly cancelled: Set<string>
  /** Events go out in order: each waits for the one before. */
  queue: Promise<void>
  timers: ReturnType<typeof setTimeout>[]
}

// A socket that never sends connection_init is closed after this.
const INIT_TIMEOUT_MS = 30_000

export function createRealtimeEndpoint(options: RealtimeEndpointOptions): RealtimeEndpoint {
  const { api, authenticator, logger } = options
  const keepAliveIntervalMs = positive(options.keepAliveIntervalMs ?? 60_000, 'realtime.keepAliveIntervalMs')
  const connectionTimeoutMs = positive(options.connectionTimeoutMs ?? 300_000, 'realtime.connectionTimeoutMs')
  const maxSubscriptions = positive(
    options.maxSubscriptionsPerConnection ?? 100,
    'realtime.maxSubscriptionsPerConnection',
  )
  if (keepAliveIntervalMs >= connectionTimeoutMs) {
    throw new ConfigurationError(
      '`realtime.keepAliveIntervalMs` must be shorter than `realtime.connectionTimeoutMs`, or clients give up between keep-alives.',
    )
  }
  const connections = new Set<Connection>()
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes,
    // AppSync answers with graphql-ws; the header-… subprotocol is read, never echoed.
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  })

  const send = (connection: Connection, message: object): void => {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(message))
  }

  const end = (connection: Connection): void => {
    if (!connections.delete(connection)) return
    for (const timer of connection.timers) clearTimeout(timer)
    connection.subscribers.clear()
  }

  const init = async (connection: Connection): Promise<void> => {
    if (connection.initialized) return
    connection.initialized = true
    const verified = await connection.authorized
    // Closed while its header was verified: nothing to answer, no keep-alive to start.
    if (!connections.has(connection)) return
    if (!verified.ok) {
      logger.info?.(`realtime connection_error: ${verified.rejection.message}`)
      send(connection, {
        type: 'connection_error',
        payload: errorsPayload({
          errorType: 'UnauthorizedException',
          message: verified.rejection.message,
          errorCode: 401,
        }),
      })
      connection.socket.close(1000)
      return
    }
    logger.info?.(`realtime connected (${describeCaller(verified.value)})`)
    connection.acked = true
    send(connection, { type: 'connection_ack', payload: { connectionTimeoutMs } })
    send(connection, { type: 'ka' })
    const keepAlive = setInterval(() => {
      send(connection, { type: 'ka' })
    }, keepAliveIntervalMs)
    connection.timers.push(keepAlive)
  }

  const start = async (connection: Connection, message: ClientMessage): Promise<void> => {
    const { id } = message
    const fail = (errorType: string, text: string): void => {
      logger.info?.(`realtime start ${id ?? '(no id)'} error ${errorType}: ${text}`)
      send(connection, {
        type: 'error',
        ...(id === undefined ? {} : { id }),
        payload: errorsPayload({ errorType, message: text }),
      })
    }
    if (!connection.acked) {
      fail('UnsupportedOperation', 'Send connection_init and wait for connection_ack first.')
      return
    }
    if (id === undefined) {
      fail('BadRequestException', 'A start needs an id (a non-empty string).')
      return
    }
    if (connection.subscribers.has(id) || connection.pending.has(id)) {
      fail('BadRequestException', `A subscription with id ${id} is already running on this connection.`)
      return
    }
    if (connection.subscribers.size + connection.pending.size >= maxSubscriptions) {
      fail('MaxSubscriptionsReachedError', `At most ${String(maxSubscriptions)} subscriptions per connection.`)
      return
    }
    const payload = (typeof message.payload === 'object' && message.payload !== null ? message.payload : {}) as {
      data?: unknown
      extensions?: { authorization?: unknown } | null
    }
    const { data } = payload
    if (typeof data !== 'string') {
      fail('BadRequestException', 'A start needs payload.data: JSON of { query, variables }.')
      return
    }
    const authorization = payload.extensions?.authorization
    if (authorization === undefined || authorization === null) {
      fail('UnauthorizedException', 'Missing authorization: a start needs payload.extensions.authorization.')
      return
    }
    connection.pending.add(id)
    let verified: Verified<Caller>
    try {
      verified = await authorizeStart(
        headerObject(authorization, 'payload.extensions.authorization'),
        data,
        authenticator,
      )
    } finally {
      connection.pending.delete(id)
    }
    const stopped = (): boolean => {
      if (!connection.cancelled.delete(id)) return false
      send(connection, { type: 'complete', id })
      return true
    }
    if (stopped()) return
    if (!verified.ok) {
      fail('UnauthorizedException', verified.rejection.message)
      return
    }
    const operation = parseSubscription(data, options)
    if (!operation.ok) {
      fail('BadRequestException', operation.message)
      return
    }
    const caller = verified.value
    const { model, arguments: args } = operation.value
    // Filtering on a field the caller may not read would tell its value by which events arrive.
    if (!api.maySubscribe(model, caller) || !api.mayFilter(model, caller, args.fields)) {
      fail('Unauthorized', `Not Authorized to access ${operation.value.field} on type Subscription`)
      return
    }
    if (!connections.has(connection)) return
    connection.subscribers.set(id, { ...operation.value, id, caller })
    logger.info?.(`realtime start ${id} ${operation.value.field} (${describeCaller(caller)})`)
    send(connection, { type: 'start_ack', id })
  }

  const receive = async (connection: Connection, raw: RawData): Promise<void> => {
    const message = parseClientMessage(rawText(raw))
    if (!message) {
      send(connection, {
        type: 'error',
        payload: errorsPayload({
          errorType: 'MessageParseException',
          message: 'A message must be a JSON object with a type.',
        }),
      })
      return
    }
    switch (message.type) {
      case 'connection_init':
        return init(connection)
      case 'start':
        return start(connection, message)
      case 'stop':
        if (message.id === undefined) return
        if (connection.pending.has(message.id)) connection.cancelled.add(message.id)
        else if (connection.subscribers.delete(message.id)) {
          logger.info?.(`realtime stop ${message.id}: complete`)
          send(connection, { type: 'complete', id: message.id })
        }
        return
      default:
        send(connection, {
          type: 'error',
          ...(message.id === undefined ? {} : { id: message.id }),
          payload: errorsPayload({
            errorType: 'UnsupportedOperation',
            message: `Unsupported message type ${message.type.slice(0, 40)}.`,
          }),
        })
    }
  }

  const deliver = async (connection: Connection, subscriber: Subscriber, change: ModelChange): Promise<void> => {
    // Stopped meanwhile: nothing more for it.
    if (connection.subscribers.get(subscriber.id) !== subscriber) return
    const payload = await api.runEvent({ ...subscriber, item: change.item })
    send(connection, { type: 'data', id: subscriber.id, payload })
  }

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
    const connection: Connection = {
      socket,
      authorized: authorizeConnection(connectHeader(protocols, url.search), authenticator),
      acked: false,
      initialized: false,
      subscribers: new Map(),
      pending: new Set(),
      cancelled: new Set(),
      queue: Promise.resolve(),
      timers: [],
    }
    connections.add(connection)
    connection.timers.push(
      setTimeout(() => {
        if (!connection.acked) socket.close(1000)
      }, INIT_TIMEOUT_MS),
    )
    socket.on('message', (raw: RawData) => {
      receive(connection, raw).catch((error: unknown) => {
        logger.info?.(`realtime message failed: ${error instanceof Error ? error.name : 'error'}`)
      })
    })
    // `ws` reports protocol violations (bad frames, oversized messages) here and closes the socket.
    socket.on('error', () => undefined)
    socket.on('close', () => {
      end(connection)
    })
  })

  return {
    upgrade(request, socket, head) {
      const path = (request.url ?? '/').split('?')[0]
      const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
      if (path !== REALTIME_PATH || !offered.includes(SUBPROTOCOL)) {
        const status = path !== REALTIME_PATH ? '404 Not Found' : '400 Bad Request'
        socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
        return
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        wss.emit('connection', ws, request)
      })
    },
    publish(change) {
      for (const connection of connections) {
        if (!connection.acked) continue
        for (const subscriber of connection.subscribers.values()) {
          if (subscriber.model !== change.model || subscriber.kind !== change.kind) continue
          // Only subscribers whose caller may read the item (owner rules: their own items) and the
          // fields their filter names, and whose `filter` and owner arguments it matches.
          if (!api.mayRead(change.model, subscriber.caller, change.item, subscriber.arguments.fields)) continue
          if (!matchesArguments(subscriber.arguments, change.item)) continue
          connection.queue = connection.queue
            .then(() => deliver(connection, subscriber, change))
            .catch((error: unknown) => {
              logger.info?.(`realtime event failed: ${error instanceof Error ? error.name : 'error'}`)
            })
        }
      }
    },
    close() {
      for (const connection of [...connections]) {
        end(connection)
        connection.socket.close(1001)
        // A client that does not answer the close handshake is cut off.
        setTimeout(() => {
          connection.socket.terminate()
        }, 1000).unref()
      }
      wss.close()
    },
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new ConfigurationError(`\`${name}\` must be a whole number ≥ 1 (milliseconds or a count).`)
  }
  return value
}

function rawText(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8')
  return Buffer.from(raw as ArrayBuffer).toString('utf8')
}
