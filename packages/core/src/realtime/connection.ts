import {
  autoModule,
  startAuthorization,
  type Answer,
  type Authorization,
  type ModeChoice,
  type Operation,
} from '../auth/authorizer'
import type { ResolvedConfig } from '../client/config'
import { backoffDelay } from '../client/retry'
import { GraphQLResponseError } from '../errors/GraphQLResponseError'
import { NetworkError } from '../errors/NetworkError'
import { PlatformNotSupportedError } from '../errors/PlatformNotSupportedError'
import { SubscriptionError } from '../errors/SubscriptionError'
import { isRetryableRefresh } from '../errors/TokenRefreshError'
import { parseGraphQLBody } from '../graphql/response'
import { redactDeep, secretsOf } from '../internal/redact'
import { authHeader, encodeHeader } from './authHeader'
import type { WebSocketConstructor, WebSocketLike } from './types'
import { realtimeUrl } from './realtimeUrl'

/** One subscription as `subscribe` hands it to the connection: what to start, and what to call. */
export interface SubscriptionSink {
  readonly id: string
  /** The `start` payload's `data`: JSON of `{ query, variables }`. */
  readonly data: string
  readonly modes: ModeChoice
  /** What `auto` chooses by. */
  readonly operation: Operation
  /** Its own token (`authToken`, checked) for its one token mode: its connect and starts send it. */
  readonly token: string | undefined
  /** A `start_ack`; `attempts`: the reconnection attempts the current socket took (0 for the first socket). */
  readonly started: (attempts: number) => void
  /** A `data` message: its `data`, and its GraphQL errors (redacted) when it has any. */
  readonly next: (data: unknown, error: GraphQLResponseError | undefined) => void
  /** Ends the subscription (by the server's `complete`, or with an error); it calls `remove`. */
  readonly end: (error?: unknown) => void
}

/** The connection's own state of an authorized message on the current socket: the connect, or a subscription's `start`. */
interface Start {
  readonly authorization: Authorization<GraphQLResponseError>
  /** The header object it went with; unset until it is sent. */
  header?: Readonly<Record<string, string>> | undefined
  /** A `start`'s wait for its `start_ack`. */
  timer?: ReturnType<typeof setTimeout> | undefined
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

// How long AppSync may take to answer connection_init and each start (as Amplify waits). A literal:
// a bundler keeps a top-level product even where it is unused (every bundle without subscriptions).
const ACK_TIMEOUT_MS = 15_000
/** A real-time error as the authorizer judges it (no HTTP status, no headers). */
const answerOf = ({ data, errors, message }: GraphQLResponseError): Answer => ({
  body: { data, errors },
  text: message,
})

/** Does nothing: a listener that must exist, a rejection already handled. */
export const noop = (): void => undefined

/** A Worker's refusal of a socket another request opened (issue 18): the platform's error is the cause. */
const perRequest = (cause: unknown): SubscriptionError =>
  new SubscriptionError('In a Worker, create the client per request.', { cause })

const connections = new WeakMap<ResolvedConfig, Connection>()

/**
 * The real-time connection of a client, shared by all its subscriptions: made on first use.
 *
 * @throws {PlatformNotSupportedError} when the runtime has no WebSocket and none was passed.
 */
export function connectionOf(config: ResolvedConfig): Connection {
  let connection = connections.get(config)
  if (!connection) {
    if (!config.realtime.webSocket)
      throw new PlatformNotSupportedError(
        'This runtime has no WebSocket: pass `webSocket` to createClient (e.g. from `ws`), or use @authmode/node.',
      )
    connections.set(config, (connection = new Connection(config)))
  }
  return connection
}

/**
 * One socket at a time, opened for the first subscription and closed after the last. It carries
 * AppSync's protocol; whether a connect or `start` may go on after a rejection (refreshed, or with
 * the next mode) is the authorizer's to say, as for requests.
 */
export class Connection {
  readonly #config: ResolvedConfig
  // By id (a message without one finds nothing).
  readonly #subs = new Map<string | undefined, SubscriptionSink>()
  // The starts on the current socket, by subscription id.
  readonly #starts = new Map<string | undefined, Start>()
  #socket: WebSocketLike | undefined
  // Bumped whenever the socket is dropped: work started for an older one is abandoned.
  #generation = 0
  // The server's keep-alive timeout once it sent connection_ack; 0 before.
  #keepAliveMs = 0
  // Failed connections in a row; reset once a connection has proven itself (any message after the ack).
  #failures = 0
  // `#failures` when the current socket was opened: the reconnection attempts it took.
  #attempts = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  // For messages: the host of `realtimeEndpoint` when given, else the API's.
  readonly #host: string
  // What authorized the current socket's connect (until its connection_ack).
  #connecting: Start | undefined

  // `auto` is asking its subscriptions' identities (on a keep-alive).
  #probing = false

  constructor(config: ResolvedConfig) {
    this.#config = config
    this.#host = (config.realtime.url ?? config.endpoint).host
    config.identityWatchers.add(this.#identityChanged)
  }

  // Sign-in, sign-out or another user, seen by any call of the client: `auto` subscriptions may now
  // want another mode or identity, so the connection is opened again and each is started anew
  // (their `onReconnected` fires: refetch there).
  readonly #identityChanged = (): void => {
    if (this.#socket && this.#autoSubs().length) {
      this.#drop()
      void this.#connect()
    }
  }

  #autoSubs(): SubscriptionSink[] {
    return [...this.#subs.values()].filter((sub) => sub.modes === 'auto')
  }

  add(sub: SubscriptionSink): void {
    // A Worker refuses, even a read of its state, a socket another request opened (issue 18).
    if (this.#socket)
      try {
        // eslint-disable-next-line @typescript-eslint/no-meaningless-void-operator -- the read is the check
        void this.#socket.readyState
      } catch (cause) {
        sub.end(perRequest(cause))
        return
      }
    this.#subs.set(sub.id, sub)
    if (this.#keepAliveMs) void this.#start(sub)
    else if (this.#subs.size === 1) void this.#connect()
  }

  /** Stops a subscription (a `stop` when it was started); closes the socket after the last one. */
  remove(sub: SubscriptionSink): void {
    if (!this.#subs.delete(sub.id)) return
    const start = this.#starts.get(sub.id)
    this.#starts.delete(sub.id)
    if (start?.header) this.#send({ id: sub.id, type: 'stop' })
    clearTimeout(start?.timer)
    if (!this.#subs.size) this.#drop()
  }

  #send(message: object): void {
    if (this.#socket?.readyState === 1) this.#socket.send(JSON.stringify(message))
  }

  #wait(ms: number, then: () => void): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(then, ms)
  }

  // Forgets the socket (it will call nothing any more), its starts and every timer.
  #drop(): void {
    this.#generation++
    clearTimeout(this.#timer)
    this.#keepAliveMs = 0
    for (const start of this.#starts.values()) clearTimeout(start.timer)
    this.#starts.clear()
    const socket = this.#socket
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null
      try {
        socket.close(1000)
      } catch {
        // already closed
      }
    }
    this.#socket = undefined
  }

  // Each ends (which removes it; the last removal drops the socket).
  #endAll(error: unknown): void {
    for (const sub of this.#subs.values()) sub.end(error)
  }

  // An unexpected close, or silence: reconnect with backoff, a bounded number of times in a row.
  #lost(reason: string): void {
    this.#drop()
    const { reconnect } = this.#config.realtime
    const failures = this.#failures
    if (failures < reconnect.limit)
      this.#wait(backoffDelay(this.#failures++, reconnect, null), () => {
        void this.#connect()
      })
    else
      this.#endAll(
        new SubscriptionError(
          `The real-time connection to ${this.#host} ${reason}${failures ? ` (${failures} reconnects failed)` : ''}.`,
          { recoverySuggestion: 'Check connectivity and the endpoint, then subscribe again and refetch.' },
        ),
      )
  }

  // Sends the subscription's `start`, authorized by `authorization` (a new one, or the one whose
  // last attempt AppSync rejected).
  async #start(
    sub: SubscriptionSink,
    authorization = startAuthorization<GraphQLResponseError>(this.#config, sub.modes, {
      operation: sub.operation,
      token: sub.token,
    }),
  ): Promise<void> {
    const current = this.#generation
    const start: Start = { authorization }
    clearTimeout(this.#starts.get(sub.id)?.timer)
    this.#starts.set(sub.id, start)
    let header
    try {
      header = await authHeader(this.#config, authorization, this.#config.endpoint, sub.data)
    } catch (error) {
      sub.end(error)
      return
    }
    if (!header) {
      sub.end(authorization.kept)
      return
    }
    // Dropped meanwhile: the next connection_ack starts it again.
    if (current !== this.#generation || this.#starts.get(sub.id) !== start) return
    try {
      this.#send({ id: sub.id, type: 'start', payload: { data: sub.data, extensions: { authorization: header } } })
    } catch (cause) {
      sub.end(perRequest(cause))
      return
    }
    start.header = header
    start.timer = setTimeout(() => {
      sub.end(
        new SubscriptionError(`AppSync sent no start_ack within ${ACK_TIMEOUT_MS / 1000} s.`, {
          recoverySuggestion: 'Check the endpoint, then subscribe again.',
        }),
      )
    }, ACK_TIMEOUT_MS)
  }

  // The server's errors (none when it sent none, or no list), any credential it may quote back masked.
  #graphQLError(payload: unknown, header: Readonly<Record<string, string>> | undefined): GraphQLResponseError {
    const parsed = parseGraphQLBody(JSON.stringify(payload ?? {}))
    const body = parsed.ok ? parsed.body : {}
    const secrets = secretsOf(header)
    return new GraphQLResponseError(redactDeep(body.errors ?? [], secrets), redactDeep(body.data, secrets, true))
  }

  readonly #receive = ({ data }: { data: unknown }): void => {
    let message: Message
    try {
      message = (JSON.parse(String(data)) as Message | null) ?? {}
    } catch {
      return // not AppSync's protocol; a keep-alive will tell whether the connection still works
    }
    const { type, payload } = message
    const sub = this.#subs.get(message.id)
    if (this.#keepAliveMs) this.#failures = 0
    // Without any other call, a keep-alive is when `auto` asks its identities (one probe at a time).
    // Only on a keep-alive: not every event pays for looking through the subscriptions.
    const [auto] = type === 'ka' && !this.#probing ? this.#autoSubs() : []
    if (auto) {
      this.#probing = true
      autoModule()
        .then((chunk) => chunk.probe(this.#config, auto.operation))
        .catch(noop)
        .finally(() => (this.#probing = false))
    }
    if (type === 'connection_ack') {
      const given = payload?.connectionTimeoutMs ?? payload?.connectionTimeout
      this.#keepAliveMs = given && given > 0 ? given : 300_000
      this.#connecting = undefined
      for (const each of this.#subs.values()) void this.#start(each)
    } else if (type === 'connection_error' || (type === 'error' && !this.#keepAliveMs && !sub)) {
      const connecting = this.#connecting
      const error = this.#graphQLError(payload, connecting?.header)
      // Refused for its credentials: connect again as the authorizer says (refreshed, or the next mode).
      if (connecting && !connecting.authorization.judge(error, answerOf(error))) {
        this.#drop()
        void this.#connect(connecting.authorization)
      } else this.#refused(error)
    } else if (sub) {
      const start = this.#starts.get(sub.id)
      if (type === 'start_ack') {
        clearTimeout(start?.timer)
        sub.started(this.#attempts)
      } else if (type === 'data') {
        sub.next(payload?.data, payload?.errors?.length ? this.#graphQLError(payload, start?.header) : undefined)
      } else if (type === 'error' || type === 'complete') {
        // AppSync ended it: no `stop` is owed.
        this.#starts.delete(sub.id)
        clearTimeout(start?.timer)
        const error = type === 'error' ? this.#graphQLError(payload, start?.header) : undefined
        // Rejected for its credentials: started again as the authorizer says (refreshed, or the next mode).
        if (error && start && !start.authorization.judge(error, answerOf(error)))
          void this.#start(sub, start.authorization)
        else sub.end(error)
      }
    }
    // Any message proves the connection alive; silence for the server's timeout means it is not.
    const keepAliveMs = this.#keepAliveMs
    if (keepAliveMs)
      this.#wait(keepAliveMs, () => {
        this.#lost(`sent no keep-alive for ${keepAliveMs} ms`)
      })
  }

  #refused(error: GraphQLResponseError): void {
    this.#endAll(
      new SubscriptionError(`AppSync refused the real-time connection (${error.message}).`, {
        recoverySuggestion: 'Check that this mode is enabled on the API and its credentials are valid.',
      }),
    )
  }

  // Opens a socket authorized like the first subscription, preferring one without its own token
  // (`authToken`), whose mode's provider can refresh for later reconnects (`authorization`: the
  // one whose last connect AppSync refused, to go on with).
  async #connect(authorization?: Authorization<GraphQLResponseError>): Promise<void> {
    const config = this.#config
    const { endpoint, realtime } = config
    const current = this.#generation
    const subs = [...this.#subs.values()]
    const first = subs.find((sub) => !sub.token) ?? subs[0]
    if (!first) return
    const connecting: Start = {
      authorization:
        authorization ?? startAuthorization(config, first.modes, { operation: first.operation, token: first.token }),
    }
    let WebSocket: WebSocketConstructor
    let header
    try {
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- `connectionOf` checked it
      const given = realtime.webSocket!
      WebSocket = typeof given === 'function' ? given : await given.load()
      const url = new URL(endpoint)
      url.pathname = url.pathname.replace(/\/?$/, '/connect')
      header = await authHeader(config, connecting.authorization, url, '{}')
    } catch (error) {
      // Offline while refreshing an identity: retried like a lost connection; anything else is final.
      if (current === this.#generation)
        if (isRetryableRefresh(error) || error instanceof NetworkError)
          this.#lost(`could not be authorized (${(error as Error).name})`)
        else this.#endAll(error)
      return
    }
    if (current !== this.#generation) return
    if (!header) {
      // No mode left: what the authorization kept (it throws when it kept nothing).
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion
      this.#refused(connecting.authorization.kept!)
      return
    }
    connecting.header = header
    this.#connecting = connecting
    const url = realtimeUrl(endpoint, realtime.url)
    const protocols = ['graphql-ws']
    // The legacy form's parameters after any of `realtimeEndpoint`'s own.
    if (realtime.query) {
      url.searchParams.set('header', encodeHeader(header, false))
      url.searchParams.set('payload', 'e30=')
    } else protocols.push(`header-${encodeHeader(header, true)}`)
    this.#attempts = this.#failures
    let socket: WebSocketLike
    try {
      socket = this.#socket = new WebSocket(url.href, protocols)
    } catch (error) {
      // Its message may quote the URL, which carries credentials in the query form: only its name is kept.
      this.#endAll(
        new SubscriptionError(
          `The real-time connection to ${this.#host} could not be opened (${(error as Error).name}).`,
        ),
      )
      return
    }
    socket.onopen = () => {
      this.#send({ type: 'connection_init' })
    }
    socket.onmessage = this.#receive
    socket.onclose = (event: { code: number }) => {
      this.#lost(`closed (code ${event.code})`)
    }
    // A close event follows; and `ws` reports an abandoned handshake as an error event, which would
    // throw without a listener.
    socket.onerror = noop
    this.#wait(ACK_TIMEOUT_MS, () => {
      this.#lost(`sent no connection_ack within ${ACK_TIMEOUT_MS / 1000} s`)
    })
  }
}
