// A small HTTP proxy on 127.0.0.1 (a port the kernel picks) in front of a local peer: it sees each
// request before forwarding it, so a test can count what reached the peer (Cognito refreshes) or
// answer in the peer's place (a verifier in front of the AppSync simulator). Bodies may hold
// tokens or passwords: the proxy keeps nothing itself and logs nothing.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ProxiedRequest {
  readonly method: string
  /** Path and query, as received. */
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

/** An answer given instead of forwarding. */
export interface ProxyAnswer {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body: string
}

export interface ProxyOptions {
  /** Where requests go, e.g. `http://127.0.0.1:4567/`. */
  readonly target: string
  /** Sees each request first; an answer short-circuits it, undefined forwards it. */
  readonly inspect?: (request: ProxiedRequest) => ProxyAnswer | undefined | Promise<ProxyAnswer | undefined>
}

export interface RunningProxy {
  /** `http://127.0.0.1:<port>` plus the path of `target`. */
  readonly url: string
  readonly port: number
  /** Closes the server and its connections. Idempotent. */
  stop(): Promise<void>
}

// Hop-by-hop headers, and those fetch recomputes (it decodes bodies, so no encoding or length).
const DROPPED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding'])

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const target = new URL(options.target)
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request: ProxiedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
      }
      void handle(request).then(
        ({ status, headers, body }) => {
          res.writeHead(status, headers)
          res.end(body)
        },
        (error: unknown) => {
          // Only the error's type: its message could quote the request.
          res.writeHead(502, { 'content-type': 'text/plain' })
          res.end(`proxy: ${error instanceof Error ? error.name : 'error'}`)
        },
      )
    })
  })

  const handle = async (
    request: ProxiedRequest,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer | string }> => {
    const answer = await options.inspect?.(request)
    if (answer) return { status: answer.status, headers: { ...answer.headers }, body: answer.body }
    const headers = new Headers()
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || DROPPED.has(name)) continue
      headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    }
    const response = await fetch(new URL(request.url, target), {
      method: request.method,
      headers,
      ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: new Uint8Array(request.body) }),
    })
    const out: Record<string, string> = {}
    response.headers.forEach((value, name) => {
      if (!DROPPED.has(name)) out[name] = value
    })
    return { status: response.status, headers: out, body: Buffer.from(await response.arrayBuffer()) }
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
  let stopped = false
  return {
    url: `http://127.0.0.1:${String(port)}${target.pathname}`,
    port,
    async stop() {
      if (stopped) return
      stopped = true
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve()
        })
        server.closeAllConnections()
      })
    },
  }
}
