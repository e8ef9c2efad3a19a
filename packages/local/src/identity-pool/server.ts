import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCredentialStore } from './credentialStore'
import { createIdentityPoolHandler, type IdentityPoolHandler, type IdentityPoolHandlerOptions } from './handler'
import type { CredentialStore } from './types'

export interface IdentityPoolServerOptions extends Omit<IdentityPoolHandlerOptions, 'store'> {
  /** Default: a new store on the same clock. */
  readonly store?: CredentialStore | undefined
  /** Default 0: a free port the kernel picks. */
  readonly port?: number | undefined
}

export interface IdentityPoolServer {
  /** `http://127.0.0.1:<port>/`: the `endpoint` for Cognito Identity clients. */
  readonly url: string
  readonly port: number
  readonly handler: IdentityPoolHandler
  readonly store: CredentialStore
  /** Closes the server and its connections. Idempotent. */
  stop(): Promise<void>
}

const MAX_BODY_BYTES = 64 * 1024

/**
 * The identity-pool endpoint alone, on 127.0.0.1 (the full local endpoint mounts the same handler
 * beside its GraphQL route).
 *
 * @example
 * ```ts
 * const idp = await startIdentityPoolServer({
 *   identityPools: [{ identityPoolId, allowUnauthenticated: true, loginProviders: [] }],
 *   verifyLogin: () => Promise.reject(new Error('no logins')),
 * })
 * const credentials = fromCognitoIdentityPool({ identityPoolId, endpoint: idp.url })
 * await idp.stop()
 * ```
 */
export async function startIdentityPoolServer(options: IdentityPoolServerOptions): Promise<IdentityPoolServer> {
  const store = options.store ?? createCredentialStore({ clock: options.clock })
  const handler = createIdentityPoolHandler({ ...options, store })
  let origin = ''
  const server = createServer((req, res) => {
    serve(req, res, { handler, origin }).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${String(port)}`
  let stopped: Promise<void> | undefined
  return {
    url: `${origin}/`,
    port,
    handler,
    store,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => {
          resolve()
        })
        server.closeAllConnections()
      })),
  }
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  { handler, origin }: { readonly handler: IdentityPoolHandler; readonly origin: string },
): Promise<void> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) {
      res.writeHead(413, { 'content-type': 'application/x-amz-json-1.1' })
      res.end(JSON.stringify({ __type: 'SerializationException', message: 'The request body is too large.' }))
      return
    }
    chunks.push(chunk)
  }
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'content-length' && name !== 'connection' && name !== 'transfer-encoding') {
      headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    }
  }
  const method = req.method ?? 'GET'
  const request = new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  })
  const response = await handler(request)
  const body = Buffer.from(await response.arrayBuffer())
  const out: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    out[name] = value
  })
  res.writeHead(response.status, { ...out, 'content-length': String(body.length) })
  res.end(body)
}
