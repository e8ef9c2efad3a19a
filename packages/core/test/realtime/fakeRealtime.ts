// An in-process stand-in of AppSync's real-time endpoint on 127.0.0.1: a `ws` WebSocketServer that
// speaks AppSync's `graphql-ws` protocol (connection_init → connection_ack, start → start_ack,
// data, stop → complete, ka) and records every connection (URL, subprotocols, the decoded header
// object) and every message. Tests script it per connection (`onInit`, `onStart`) to inject faults.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'

export interface ClientMessage {
  readonly type: string
  readonly id?: string
  readonly payload?: {
    readonly data: string
    readonly extensions: { readonly authorization: Record<string, string> }
  }
}

export interface RealtimeConnection {
  /** 0 for the first connection, 1 for the next, … */
  readonly index: number
  /** The path and query the client asked for. */
  readonly url: URL
  readonly protocols: readonly string[]
  /** The header object, from the `header-…` subprotocol or the `header` query parameter. */
  readonly header: Record<string, string> | undefined
  readonly headerForm: 'subprotocol' | 'query' | undefined
  /** The raw encoded header as it travelled (subprotocol value or query parameter). */
  readonly encodedHeader: string | undefined
  readonly received: ClientMessage[]
  readonly socket: WebSocket
  closed: boolean
  send(message: object): void
}

export interface Behaviour {
  /** Answers a connection_init (default: connection_ack with a 5-minute timeout). */
  onInit(connection: RealtimeConnection): void
  /** Answers a start (default: start_ack). */
  onStart(connection: RealtimeConnection, message: ClientMessage): void
}

export interface FakeRealtime {
  /** `http://127.0.0.1:<port>/graphql`: its real-time URL is `ws://127.0.0.1:<port>/graphql/realtime`. */
  readonly endpoint: string
  readonly port: number
  readonly connections: RealtimeConnection[]
  /** Change to script the next connections and messages. */
  behaviour: Behaviour
  /** Sends a `data` message for subscription `id` on `connection` (default: the latest). */
  publish(id: string, data: unknown, connection?: RealtimeConnection): void
  /** The start messages received so far, on any connection. */
  starts(): ClientMessage[]
  stop(): Promise<void>
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
  onInit: (connection) => {
    connection.send({ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } })
  },
  onStart: (connection, message) => {
    connection.send({ type: 'start_ack', id: message.id })
  },
}

export async function startFakeRealtime(): Promise<FakeRealtime> {
  const http: Server = createServer((_request, response) => {
    response.writeHead(404).end()
  })
  const wss = new WebSocketServer({
    server: http,
    path: '/graphql/realtime',
    // AppSync answers with `graphql-ws`; the header subprotocol is read, never echoed.
    handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false),
  })
  const connections: RealtimeConnection[] = []
  const fake: FakeRealtime = {
    endpoint: '',
    port: 0,
    connections,
    behaviour: DEFAULT_BEHAVIOUR,
    publish(id, data, connection = connections.at(-1)) {
      if (!connection) throw new Error('no connection to publish on')
      connection.send({ type: 'data', id, payload: { data } })
    },
    starts: () => connections.flatMap((c) => c.received.filter((m) => m.type === 'start')),
    async stop() {
      for (const client of wss.clients) client.terminate()
      await new Promise<void>((resolve) => {
        wss.close(() => {
          resolve()
        })
      })
      http.closeAllConnections()
      await new Promise<void>((resolve) => {
        http.close(() => {
          resolve()
        })
      })
    },
  }

  wss.on('connection', (socket, request) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
    const fromProtocol = protocols.find((p) => p.startsWith('header-'))?.slice('header-'.length)
    const fromQuery = url.searchParams.get('header') ?? undefined
    const encodedHeader = fromProtocol ?? fromQuery
    const header =
      encodedHeader === undefined
        ? undefined
        : (JSON.parse(Buffer.from(encodedHeader, fromProtocol ? 'base64url' : 'base64').toString('utf8')) as Record<
            string,
            string
          >)
    const connection: RealtimeConnection = {
      index: connections.length,
      url,
      protocols,
      header,
      headerForm: fromProtocol ? 'subprotocol' : fromQuery ? 'query' : undefined,
      encodedHeader,
      received: [],
      socket,
      closed: false,
      send(message) {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message))
      },
    }
    connections.push(connection)
    socket.on('close', () => {
      connection.closed = true
    })
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as ClientMessage
      connection.received.push(message)
      if (message.type === 'connection_init') fake.behaviour.onInit(connection)
      else if (message.type === 'start') fake.behaviour.onStart(connection, message)
      else if (message.type === 'stop') connection.send({ type: 'complete', id: message.id })
    })
  })

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen({ port: 0, host: '127.0.0.1' }, () => {
      resolve()
    })
  })
  const { port } = http.address() as AddressInfo
  return Object.assign(fake, { port, endpoint: `http://127.0.0.1:${String(port)}/graphql` })
}

/** The `data` of a start message, parsed. */
export function startData(message: ClientMessage | undefined): { query: string; variables: unknown } {
  if (!message?.payload) throw new Error('not a start message')
  return JSON.parse(message.payload.data) as { query: string; variables: unknown }
}
