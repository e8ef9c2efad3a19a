import type { AuthMode } from '../auth/types'
import { checkTimeout, type ResolvedConfig } from '../client/config'
import type { ClientOptions } from '../client/options'
import { backoffDelay } from '../client/retry'
import { ConfigurationError } from '../errors/ConfigurationError'
import { GraphQLResponseError } from '../errors/GraphQLResponseError'
import { NetworkError } from '../errors/NetworkError'
import { PlatformNotSupportedError } from '../errors/PlatformNotSupportedError'
import { SubscriptionError } from '../errors/SubscriptionError'
import { isRetryableRefresh } from '../errors/TokenRefreshError'
import { isUnauthorizedBody, parseGraphQLBody } from '../graphql/response'
import { redactServerMessage } from '../internal/redact'
import { authHeader, encodeHeader, sentWith, type AuthHeader } from './authHeader'
import type { ReconnectOptions, WebSocketConstructor, WebSocketLike } from './types'
import { realtimeUrl } from './realtimeUrl'

/**
 * One subscription as its connection sees it: what `subscribe` gives (the first six members), and
 * the connection's own state of it (the rest), kept on the same object.
 */
export interface Sub {
  readonly id: string
  /** The `start` payload's `data`: JSON of `{ query, variables }`. */
  readonly data: string
  readonly modes: readonly AuthMode[]
  /** A `start_ack`; `attempts`: the reconnection attempts the current socket took (0 for the first socket). */
  readonly started: (attempts: number) => void
  /** A `data` message: its `data`, and its GraphQL errors (redacted) when it has any. */
  readonly next: (data: unknown, error: GraphQLResponseError | undefined) => void
  /** Ends the subscription (by the server's `complete`, or with an error); it calls `remove`. */
  readonly end: (error?: unknown) => void
  /** What its `start` on the current socket was authorized with; unset while no `start` is sent on it. */
  auth?: AuthHeader | undefined
  /** Its identity was refreshed once after AppSync rejected its `start`. */
  refreshed?: boolean
  /** Waits for its `start_ack`. */
  timer?: ReturnType<typeof setTimeout>
}

/** One client's real-time connection, shared by all its subscriptions. */
export interface Connection {
  add(sub: Sub): void
  /** Stops a subscription (a `stop` when it was started); closes the socket after the last one. */
  remove(sub: Sub): void
}

interface Message {
  readonly type?: string
  readonly id?: string
  readonly payload?: {
    readonly data?: unknown
    readonly errors?: readonly unknown[]
    readonly connectionTimeoutMs?: number
    // What the Amplify AppSync simulator says.
    readonly connectionTimeout?: number
  } | null
}

// How long AppSync may take to answer connection_init and each start (as Amplify waits).
const ACK_TIMEOUT_MS = 15_000
/** Does nothing: a listener that must exist, a rejection already handled. */
export const noop = (): void => undefined

const connections = new WeakMap<ResolvedConfig, Connection>()

/** The connection of a client, made (and its real-time options validated) on first use. */
export function connectionOf(config: ResolvedConfig, options: ClientOptions): Connection {
  const made = connections.get(config)
  if (made) return made

  const { endpoint } = config
  const { realtime = {} } = options
  const webSocket = options.webSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  if (!webSocket)
    throw new PlatformNotSupportedError(
      'This runtime has no WebSocket: pass `webSocket` to createClient (e.g. from `ws`), or use @authmode/node.',
    )
  const query = realtime.auth == 'query'
  if (![undefined, 'subprotocol', 'query'].includes(realtime.auth))
    throw new ConfigurationError('`realtime.auth` must be "subprotocol" or "query".')
  const { reconnect: given = {} } = realtime
  const noReconnect: ReconnectOptions = { attempts: 0 }
  const { attempts: limit = 5, baseDelayMs = 1000, maxDelayMs = 30_000 } = given || noReconnect
  if (!(Number.isInteger(limit) && limit >= 0 && limit <= 100))
    throw new ConfigurationError('`realtime.reconnect.attempts` must be a whole number from 0 to 100.')
  const reconnect = {
    limit,
    mutations: false,
    baseDelayMs: checkTimeout(baseDelayMs, 'realtime.reconnect.baseDelayMs'),
    maxDelayMs: checkTimeout(maxDelayMs, 'realtime.reconnect.maxDelayMs'),
  }

  // By id (a message without one finds nothing).
  const entries = new Map<string | undefined, Sub>()
  let socket: WebSocketLike | undefined
  // Bumped whenever the socket is dropped: work started for an older one is abandoned.
  let generation = 0
  // The server's keep-alive timeout once it sent connection_ack; 0 before.
  let keepAliveMs = 0
  /** Failed connections in a row; reset once a connection has proven itself (any message after the ack). */
  let failures = 0
  /** `failures` when the current socket was opened: the reconnection attempts it took. */
  let attempts = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  // What the connection was authorized with, and whether AppSync's rejection of it was answered with a
  // refreshed identity already (once until a connection_ack, as for requests).
  let connectAuth: AuthHeader | undefined
  let connectRefreshed = false

  const send = (message: object): void => {
    if (socket?.readyState == 1) socket.send(JSON.stringify(message))
  }
  const wait = (ms: number, then: () => void): void => {
    clearTimeout(timer)
    timer = setTimeout(then, ms)
  }

  // Forgets the socket (it will call nothing any more) and every timer.
  const drop = (): void => {
    generation++
    clearTimeout(timer)
    keepAliveMs = 0
    for (const sub of entries.values()) {
      clearTimeout(sub.timer)
      sub.auth = undefined
    }
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null
      try {
        socket.close(1000)
      } catch {
        // already closed
      }
    }
    socket = undefined
  }

  // Each ends (which removes it; the last removal drops the socket).
  const endAll = (error: unknown): void => {
    for (const sub of entries.values()) sub.end(error)
  }

  // An unexpected close, or silence: reconnect with backoff, a bounded number of times in a row.
  const lost = (reason: string): void => {
    drop()
    if (failures < reconnect.limit)
      wait(backoffDelay(failures++, reconnect, null), () => {
        void connect()
      })
    else
      endAll(
        new SubscriptionError(
          `The real-time connection to ${endpoint.host} ${reason}${failures ? ` (${failures} reconnects failed)` : ''}.`,
          {
            recoverySuggestion: 'Check connectivity and the endpoint, then subscribe again and refetch.',
          },
        ),
      )
  }

  const start = async (sub: Sub, rejected?: AuthHeader): Promise<void> => {
    const current = generation
    clearTimeout(sub.timer)
    let auth
    try {
      auth = await authHeader(config, { modes: sub.modes, url: endpoint, body: sub.data, rejected })
    } catch (error) {
      sub.end(error)
      return
    }
    // Dropped meanwhile: the next connection_ack starts it again.
    if (current != generation || !entries.has(sub.id)) return
    sub.auth = auth
    send({ id: sub.id, type: 'start', payload: { data: sub.data, extensions: { authorization: auth.header } } })
    sub.timer = setTimeout(() => {
      sub.end(
        new SubscriptionError('AppSync sent no start_ack within 15 s.', {
          recoverySuggestion: 'Check the endpoint, then subscribe again.',
        }),
      )
    }, ACK_TIMEOUT_MS)
  }

  // The server's errors (none when it sent none, or no list), any credential it may quote back masked.
  const graphQLError = (payload: unknown, auth: AuthHeader | undefined): GraphQLResponseError => {
    const parsed = parseGraphQLBody(JSON.stringify(payload ?? {}))
    const body = parsed.ok ? parsed.body : {}
    const sent = sentWith(auth?.header ?? {}, endpoint)
    return new GraphQLResponseError(
      (body.errors ?? []).map((e) => ({
        ...e,
        // Long opaque runs too: the encoded header object (or a piece of it) quoted back.
        message: redactServerMessage(e.message, sent).replace(/[\w+/=-]{40,}/g, '[redacted]'),
      })),
      body.data,
    )
  }

  const receive = ({ data }: { data: unknown }): void => {
    let message: Message
    try {
      message = (JSON.parse(String(data)) as Message | null) ?? {}
    } catch {
      return // not AppSync's protocol; a keep-alive will tell whether the connection still works
    }
    const { type, payload } = message
    const sub = entries.get(message.id)
    if (keepAliveMs) failures = 0
    if (type == 'connection_ack') {
      const given = payload?.connectionTimeoutMs ?? payload?.connectionTimeout
      keepAliveMs = given && given > 0 ? given : 300_000
      connectRefreshed = false
      for (const each of entries.values()) void start(each)
    } else if (type == 'connection_error' || (type == 'error' && !keepAliveMs && !sub)) {
      const error = graphQLError(payload, connectAuth)
      // Its credentials rejected: connect again once with that mode's identity refreshed.
      if (!connectRefreshed && connectAuth && isUnauthorizedBody(error)) {
        connectRefreshed = true
        config.events.emit('unauthorizedRetry', { mode: connectAuth.mode, status: 401 })
        drop()
        void connect(connectAuth)
      } else {
        endAll(
          new SubscriptionError(`AppSync refused the real-time connection (${error.message}).`, {
            recoverySuggestion: 'Check that this mode is enabled on the API and its credentials are valid.',
          }),
        )
      }
    } else if (sub) {
      const { auth } = sub
      if (type == 'start_ack') {
        clearTimeout(sub.timer)
        sub.started(attempts)
      } else if (type == 'data') {
        sub.next(payload?.data, payload?.errors?.length ? graphQLError(payload, auth) : undefined)
      } else if (type == 'error' || type == 'complete') {
        // AppSync ended it: no `stop` is owed.
        sub.auth = undefined
        const error = type == 'error' ? graphQLError(payload, auth) : undefined
        // An authorization rejection: that mode's identity is refreshed and the start sent again, once.
        if (error && !sub.refreshed && auth && isUnauthorizedBody(error)) {
          sub.refreshed = true
          config.events.emit('unauthorizedRetry', { mode: auth.mode, status: 401 })
          void start(sub, auth)
        } else {
          sub.end(error)
        }
      }
    }
    // Any message proves the connection alive; silence for the server's timeout means it is not.
    if (keepAliveMs)
      wait(keepAliveMs, () => {
        lost(`sent no keep-alive for ${keepAliveMs} ms`)
      })
  }

  const connect = async (rejected?: AuthHeader): Promise<void> => {
    const current = generation
    const [first] = entries.values()
    if (!first) return
    let WebSocket: WebSocketConstructor
    let auth
    try {
      WebSocket = typeof webSocket == 'function' ? webSocket : await webSocket.load()
      const url = new URL(endpoint)
      url.pathname = url.pathname.replace(/\/?$/, '/connect')
      auth = await authHeader(config, { modes: first.modes, url, body: '{}', rejected })
    } catch (error) {
      // Offline while refreshing an identity: retried like a lost connection; anything else is final.
      if (current == generation)
        if (isRetryableRefresh(error) || error instanceof NetworkError)
          lost(`could not be authorized (${(error as Error).name})`)
        else endAll(error)
      return
    }
    if (current != generation) return
    connectAuth = auth
    const url = realtimeUrl(endpoint)
    const protocols = ['graphql-ws']
    if (query)
      url.search = new URLSearchParams({ header: encodeHeader(auth.header, false), payload: 'e30=' }).toString()
    else protocols.push(`header-${encodeHeader(auth.header, true)}`)
    attempts = failures
    try {
      socket = new WebSocket(url.href, protocols)
    } catch (error) {
      // Its message may quote the URL, which carries credentials in the query form: only its name is kept.
      endAll(
        new SubscriptionError(
          `The real-time connection to ${endpoint.host} could not be opened (${(error as Error).name}).`,
        ),
      )
      return
    }
    socket.onopen = () => {
      send({ type: 'connection_init' })
    }
    socket.onmessage = receive
    socket.onclose = (event: { code: number }) => {
      lost(`closed (code ${event.code})`)
    }
    // A close event follows; and `ws` reports an abandoned handshake as an error event, which would
    // throw without a listener.
    socket.onerror = noop
    wait(ACK_TIMEOUT_MS, () => {
      lost('sent no connection_ack within 15 s')
    })
  }

  const connection: Connection = {
    add(sub) {
      entries.set(sub.id, sub)
      if (keepAliveMs) void start(sub)
      else if (entries.size == 1) void connect()
    },
    remove(sub) {
      if (!entries.delete(sub.id)) return
      if (sub.auth) send({ id: sub.id, type: 'stop' })
      clearTimeout(sub.timer)
      if (!entries.size) drop()
    },
  }
  connections.set(config, connection)
  return connection
}
