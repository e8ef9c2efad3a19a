// Small HTTP servers for the browser tests, on 127.0.0.1 and a port the kernel picks (`listen`): a static
// server for the bundled pages, and a counting proxy in front of cognito-local that records which
// Cognito operations reached it (target and AuthFlow only: never a body, a token or a password).
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RunningServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly origin: string
  readonly port: number
  /** Closes the server and every open connection. Idempotent. */
  close(): Promise<void>
}

export interface StaticFile {
  readonly type: string
  readonly body: string | Uint8Array
}

/** Serves `files` by path (`/` and `/index.html` alike); anything else is a 404. */
export async function serveStatic(files: Readonly<Record<string, StaticFile>>): Promise<RunningServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    // Chromium asks for one on every page; an error in its console would hide real ones.
    if (path === '/favicon.ico') {
      res.writeHead(204).end()
      return
    }
    const file = files[path === '/' ? '/index.html' : path]
    if (req.method !== 'GET' || file === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body)
  })
  return listen(server)
}

/** One Cognito call that went through the proxy. */
export interface CognitoCall {
  /** `InitiateAuth`, `RevokeToken`, … (from `x-amz-target`). */
  readonly operation: string
  /** For `InitiateAuth`: `USER_PASSWORD_AUTH`, `REFRESH_TOKEN_AUTH`, … */
  readonly authFlow: string | undefined
  /** The request's `Origin` header: a page's calls are cross-origin. */
  readonly origin: string | undefined
  readonly status: number
}

export interface CountingProxy extends RunningServer {
  /** The proxy's URL, to use as the Cognito `endpoint`. */
  readonly endpoint: string
  /** Every POST that went through, in order (preflight OPTIONS requests are not listed). */
  readonly calls: readonly CognitoCall[]
  /** How many `InitiateAuth` calls with this flow were answered. */
  count(authFlow: string): number
  reset(): void
}

/**
 * Forwards every request to `target` unchanged (CORS preflights included: cognito-local answers
 * them itself) and records what each Cognito POST was.
 */
export async function countingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target)
  const calls: CognitoCall[] = []
  const server = createServer((req, res) => {
    void forward(req, res)
  })
  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const proxied = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        if (req.method === 'POST') calls.push({ ...describe(req, body), status: answer.statusCode ?? 0 })
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    proxied.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
      res.end('upstream unavailable')
    })
    proxied.end(body)
  }
  const running = await listen(server)
  return {
    ...running,
    endpoint: `${running.origin}/`,
    calls,
    count: (authFlow) => calls.filter((call) => call.operation === 'InitiateAuth' && call.authFlow === authFlow).length,
    reset: () => {
      calls.length = 0
    },
  }
}

function describe(req: IncomingMessage, body: Buffer): Omit<CognitoCall, 'status'> {
  const target = req.headers['x-amz-target']
  const operation = (typeof target === 'string' ? target : '').split('.').pop() ?? ''
  let authFlow: string | undefined
  try {
    const json = JSON.parse(body.toString('utf8')) as { AuthFlow?: unknown }
    authFlow = typeof json.AuthFlow === 'string' ? json.AuthFlow : undefined
  } catch {
    authFlow = undefined
  }
  return { operation, authFlow, origin: req.headers.origin }
}

export function listen(server: Server): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      server.off('error', reject)
      const port = (server.address() as AddressInfo).port
      let closed: Promise<void> | undefined
      resolve({
        origin: `http://127.0.0.1:${String(port)}`,
        port,
        close: () => {
          closed ??= new Promise<void>((done) => {
            server.close(() => {
              done()
            })
            server.closeAllConnections()
          })
          return closed
        },
      })
    })
  })
}
