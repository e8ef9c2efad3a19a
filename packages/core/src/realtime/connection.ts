import type { AuthMode } from '../auth/types'
import { checkTimeout, type ResolvedConfig } from '../client/config'
import type { ClientOptions, ResolvedRetry } from '../client/options'
import { backoffDelay } from '../client/retry'
import { ConfigurationError } from '../errors/ConfigurationError'
import { GraphQLResponseError } from '../errors/GraphQLResponseError'
import { NetworkError } from '../errors/NetworkError'
import { PlatformNotSupportedError } from '../errors/PlatformNotSupportedError'
import { SubscriptionError } from '../errors/SubscriptionError'
import { isRetryableRefresh } from '../errors/TokenRefreshError'
import { parseGraphQLBody } from '../graphql/response'
import { redactServerMessage } from '../internal/redact'
import { authHeader, encodeHeader, sentWith, type AuthHeader } from './authHeader'
import type { WebSocketConstructor, WebSocketLike, WebSocketLoader } from './types'
import { realtimeUrl } from './realtimeUrl'

/** What a connection needs of one subscription. */
export interface Sub {
  readonly id: string
  /** The `start` payload's `data`: JSON of `{ query, variables }`. */
  readonly data: string
  readonly modes: readonly AuthMode[]
  /** `start_ack`; `attempts` is 0 the first time, else the reconnection attempts it took. */
  started(attempts: number): void
  /** A `data` message: its `data`, and its GraphQL errors (redacted) when it has any. */
  next(data: unknown, error: GraphQLResponseError | undefined): void
  /** The subscription ended: by the server (`complete`, no error) or with an error. */
  end(error?: unknown): void
}

/** One client's real-time connection, shared by all its subscriptions. */
export interface Connection {
  add(sub: Sub): void
  /** Stops a subscription (a `stop` when it was started); closes the socket after the last one. */
  remove(id: string): void
}

interface Entry {
  readonly sub: Sub
  /** `start` sent on the current socket. */
  sent: boolean
  /** Got its `start_ack` once: a later one is a restart after a reconnection. */
  live: boolean
  header?: Readonly<Record<string, string>>
  /** What the last `start` was authorized with. */
  auth?: AuthHeader
  /** Refreshed its identity once after AppSync rejected its `start`. */
  refreshed?: boolean
  timer?: ReturnType<typeof setTimeout>
}

// How long AppSync may take to answer connection_init and each start (as Amplify waits).
const ACK_TIMEOUT_MS = 15_000
// When connection_ack names no timeout (the Amplify simulator says `connectionTimeout`).
const DEFAULT_KA_TIMEOUT_MS = 300_000
const noop = (): void => undefined

const connections = new WeakMap<ResolvedConfig, Connection>()

/** The connection of a client, made on first use; validates the real-time options. */
export function connectionOf(config: ResolvedConfig, options: ClientOptions): Connection {
  let connection = connections.get(config)
  if (!connection) connections.set(config, (connection = createConnection(config, options)))
  return connection
}

function webSocketOf(options: ClientOptions): WebSocketConstructor | WebSocketLoader {
  const webSocket = options.webSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  if (!webSocket)
    throw new PlatformNotSupportedError(
      'Subscriptions need a WebSocket and this runtime has none: pass `webSocket` to createClient (e.g. `WebSocket` of the `ws` package), or use @authmode/node.',
    )
  return webSocket
}

function reconnectOf({ realtime = {} }: ClientOptions): ResolvedRetry | false {
  const { reconnect = {} } = realtime
  const auth: unknown = realtime.auth
  if (auth !== undefined && auth != 'subprotocol' && auth != 'query')
    throw new ConfigurationError('`realtime.auth` must be "subprotocol" (the default) or "query".')
  if (!reconnect) return false
  const { attempts = 5, baseDelayMs = 1000, maxDelayMs = 30_000 } = reconnect
  if (!Number.isInteger(attempts) || attempts < 0 || attempts > 100)
    throw new ConfigurationError('`realtime.reconnect.attempts` must be a whole number from 0 to 100.')
  return {
    limit: attempts,
    mutations: false,
    baseDelayMs: checkTimeout(baseDelayMs, 'realtime.reconnect.baseDelayMs'),
    maxDelayMs: checkTimeout(maxDelayMs, 'realtime.reconnect.maxDelayMs'),
  }
}

function createConnection(config: ResolvedConfig, options: ClientOptions): Connection {
  const webSocket = webSocketOf(options)
  const reconnect = reconnectOf(options)
  const { endpoint } = config
  const entries = new Map<string, Entry>()
  let socket: WebSocketLike | undefined
  // Bumped whenever the socket is dropped: work started for an older one is abandoned.
  let generation = 0
  let acked = false
  /** Failed connections in a row; reset once a connection has proven itself (any message after the ack). */
  let failures = 0
  /** `failures` when the current socket was opened: the reconnection attempts it took. */
  let attempts = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let kaTimeoutMs = DEFAULT_KA_TIMEOUT_MS
  let connectHeader: Readonly<Record<string, string>> = {}
  // What the connection was last authorized with, and whether AppSync's rejection of it was already
  // answered with a refreshed identity (once per successful connection, as for requests).
  let connectAuth: AuthHeader | undefined
  let connectRefreshed = false
  let refreshNext = false

  const send = (message: object): void => {
    if (socket?.readyState === 1) socket.send(JSON.stringify(message))
  }
  const wait = (ms: number, then: () => void): void => {
    clearTimeout(timer)
    timer = setTimeout(then, ms)
  }

  // Forgets the socket (it will call nothing any more) and every timer.
  const drop = (): void => {
    generation++
    clearTimeout(timer)
    acked = false
    for (const entry of entries.values()) {
      clearTimeout(entry.timer)
      entry.sent = false
    }
    const old = socket
    socket = undefined
    if (old) {
      old.onopen = old.onmessage = old.onclose = null
      // `ws` reports an abandoned handshake as an error event: without a listener it would throw.
      old.onerror = noop
      try {
        old.close(1000)
      } catch {
        // already closed
      }
    }
  }

  const endAll = (error: unknown): void => {
    const ended = [...entries.values()]
    entries.clear()
    drop()
    for (const { sub } of ended) sub.end(error)
  }

  const endOne = (entry: Entry, error?: unknown): void => {
    clearTimeout(entry.timer)
    entries.delete(entry.sub.id)
    if (!entries.size) drop()
    entry.sub.end(error)
  }

  // An unexpected close, or silence: reconnect with backoff, a bounded number of times in a row.
  const lost = (reason: string): void => {
    drop()
    if (!entries.size) return
    if (!reconnect || failures >= reconnect.limit) {
      endAll(
        new SubscriptionError(
          `The real-time connection to ${endpoint.host} ${reason}${reconnect ? ` (${failures} reconnection attempts in a row failed)` : ''}.`,
          { recoverySuggestion: 'Check connectivity and the endpoint, then subscribe again and refetch.' },
        ),
      )
      return
    }
    const current = generation
    wait(backoffDelay(failures++, reconnect, null), () => {
      if (current == generation) void connect()
    })
  }

  const start = async (entry: Entry, rejected?: AuthHeader): Promise<void> => {
    const current = generation
    const { sub } = entry
    let header
    try {
      entry.auth = await authHeader(config, { modes: sub.modes, url: endpoint, body: sub.data, rejected })
      ;({ header } = entry.auth)
    } catch (error) {
      if (entries.get(sub.id) == entry) endOne(entry, error)
      return
    }
    // Dropped meanwhile: the next connection_ack starts it again.
    if (current != generation || entries.get(sub.id) != entry) return
    entry.header = header
    entry.sent = true
    send({ id: sub.id, type: 'start', payload: { data: sub.data, extensions: { authorization: header } } })
    entry.timer = setTimeout(() => {
      send({ id: sub.id, type: 'stop' })
      endOne(entry, new SubscriptionError(`AppSync did not acknowledge the subscription within ${ACK_TIMEOUT_MS} ms.`))
    }, ACK_TIMEOUT_MS)
  }

  // The server's errors, with any credential of the header object it may quote masked.
  const graphQLError = (
    payload: unknown,
    header: Readonly<Record<string, string>> = connectHeader,
  ): GraphQLResponseError | undefined => {
    const parsed = parseGraphQLBody(JSON.stringify(payload ?? {}))
    const body = parsed.ok ? parsed.body : { errors: [{ message: 'error without details' }] }
    if (!body.errors?.length) return undefined
    const sent = sentWith(header, endpoint)
    // Long opaque runs too: the encoded header object (or a piece of it) quoted back.
    const errors = body.errors.map((e) => ({
      ...e,
      message: redactServerMessage(e.message, sent).replace(/[\w+/=-]{40,}/g, '[redacted]'),
    }))
    return new GraphQLResponseError(errors, body.data)
  }

  // Any message proves the connection alive; silence for the server's timeout means it is not.
  const awaitKeepAlive = (): void => {
    wait(kaTimeoutMs, () => {
      lost(`sent nothing for ${kaTimeoutMs} ms (no keep-alive)`)
    })
  }

  const receive = (raw: unknown): void => {
    let message: { type?: unknown; id?: unknown; payload?: Record<string, unknown> | null }
    try {
      message = JSON.parse(String(raw)) as typeof message
    } catch {
      return // not AppSync's protocol; a keep-alive will tell whether the connection still works
    }
    const { type, payload } = message
    const entry = entries.get(String(message.id))
    if (acked) {
      failures = 0
      awaitKeepAlive()
    }
    if (type == 'connection_ack') {
      acked = true
      connectRefreshed = false
      const given = payload?.['connectionTimeoutMs'] ?? payload?.['connectionTimeout']
      kaTimeoutMs = typeof given == 'number' && given > 0 ? given : DEFAULT_KA_TIMEOUT_MS
      awaitKeepAlive()
      for (const each of entries.values()) void start(each)
    } else if (type == 'connection_error' || (type == 'error' && !acked && !entry)) {
      const error = graphQLError(payload)
      const first = error?.errors[0]
      // Its credentials rejected: connect again once with that mode's identity refreshed.
      if (!connectRefreshed && connectAuth && first?.errorType == 'UnauthorizedException') {
        connectRefreshed = refreshNext = true
        config.events.emit('unauthorizedRetry', { mode: connectAuth.mode, status: 401 })
        drop()
        void connect()
        return
      }
      endAll(
        new SubscriptionError(
          `AppSync refused the real-time connection${first ? `: ${first.errorType ? `${first.errorType}: ` : ''}${first.message}` : ''}.`,
          { recoverySuggestion: 'Check that the mode is enabled on the API and its credentials are valid.' },
        ),
      )
    } else if (entry && type == 'start_ack') {
      clearTimeout(entry.timer)
      entry.sub.started(entry.live ? attempts : 0)
      entry.live = true
    } else if (entry && type == 'data') {
      entry.sub.next(payload?.['data'], payload?.['errors'] == null ? undefined : graphQLError(payload, entry.header))
    } else if (entry && type == 'error') {
      clearTimeout(entry.timer)
      const error =
        graphQLError(payload, entry.header) ?? new GraphQLResponseError([{ message: 'error without details' }], null)
      // An authorization rejection: that mode's identity is refreshed and the start sent again, once.
      if (!entry.refreshed && entry.auth && error.errors.some((e) => e.errorType == 'UnauthorizedException')) {
        entry.refreshed = true
        config.events.emit('unauthorizedRetry', { mode: entry.auth.mode, status: 401 })
        void start(entry, entry.auth)
      } else {
        endOne(entry, error)
      }
    } else if (entry && type == 'complete') {
      endOne(entry)
    }
  }

  const connect = async (): Promise<void> => {
    const current = generation
    const first = entries.values().next().value
    if (!first) return
    let WebSocket: WebSocketConstructor
    let header
    try {
      WebSocket = typeof webSocket == 'function' ? webSocket : await webSocket.load()
      const url = new URL(endpoint)
      url.pathname = url.pathname.replace(/\/?$/, '/connect')
      const rejected = refreshNext ? connectAuth : undefined
      refreshNext = false
      connectAuth = await authHeader(config, { modes: first.sub.modes, url, body: '{}', rejected })
      ;({ header } = connectAuth)
    } catch (error) {
      if (current != generation) return
      // Offline while refreshing an identity: retried like a lost connection; anything else is final.
      if (isRetryableRefresh(error) || error instanceof NetworkError)
        lost(`could not be authorized (${(error as Error).name})`)
      else endAll(error)
      return
    }
    if (current != generation) return
    connectHeader = header
    const url = realtimeUrl(endpoint)
    let protocols = ['graphql-ws']
    if (options.realtime?.auth == 'query') {
      url.search = new URLSearchParams({ header: encodeHeader(header, false), payload: 'e30=' }).toString()
    } else {
      protocols = [...protocols, `header-${encodeHeader(header, true)}`]
    }
    attempts = failures
    let ws: WebSocketLike
    try {
      ws = new WebSocket(url.href, protocols)
    } catch (error) {
      // The error's message may quote the URL, which carries credentials in the query form: only its name is kept.
      endAll(new SubscriptionError(`The WebSocket to ${url.host} could not be created (${(error as Error).name}).`))
      return
    }
    socket = ws
    ws.onopen = () => {
      send({ type: 'connection_init' })
    }
    ws.onmessage = (event: { data: unknown }) => {
      receive(event.data)
    }
    ws.onclose = (event: { code: number }) => {
      lost(`closed (code ${event.code})`)
    }
    ws.onerror = noop // a close event follows
    wait(ACK_TIMEOUT_MS, () => {
      lost(`did not acknowledge connection_init within ${ACK_TIMEOUT_MS} ms`)
    })
  }

  return {
    add(sub) {
      const entry: Entry = { sub, sent: false, live: false }
      entries.set(sub.id, entry)
      if (acked) void start(entry)
      else if (entries.size == 1 && !socket) void connect()
    },
    remove(id) {
      const entry = entries.get(id)
      if (!entry) return
      if (entry.sent) send({ id, type: 'stop' })
      clearTimeout(entry.timer)
      entries.delete(id)
      if (!entries.size) drop()
    },
  }
}
