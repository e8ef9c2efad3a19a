// The Lambda Runtime API (2018-06-01), as the Lambda service serves it to a function's runtime:
// the runtime long-polls `GET /runtime/invocation/next` for an event and posts the result to
// `/runtime/invocation/<id>/response` (or `/error`). On 127.0.0.1, for one test run.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type InvocationResult =
  | { readonly requestId: string; readonly ok: true; readonly result: unknown }
  | { readonly requestId: string; readonly ok: false; readonly error: { errorType?: string; errorMessage?: string } }

export interface RuntimeApi {
  /** `127.0.0.1:<port>`: the value of AWS_LAMBDA_RUNTIME_API. */
  readonly address: string
  /** Queues an event and resolves with what the function answered. */
  invoke(event: unknown, timeoutMs?: number): Promise<InvocationResult>
  /** Errors the runtime reported while loading the handler. */
  readonly initErrors: unknown[]
  stop(): Promise<void>
}

const PREFIX = '/2018-06-01/runtime'
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:authmode-example'

interface Pending {
  readonly requestId: string
  readonly event: unknown
  readonly deadline: number
  readonly settle: (result: InvocationResult) => void
}

export async function startRuntimeApi(): Promise<RuntimeApi> {
  const queue: Pending[] = []
  const inFlight = new Map<string, Pending>()
  const waiting: ServerResponse[] = []
  const initErrors: unknown[] = []

  const deliver = (): void => {
    while (queue.length > 0 && waiting.length > 0) {
      const invocation = queue.shift()
      const res = waiting.shift()
      if (!invocation || !res) return
      inFlight.set(invocation.requestId, invocation)
      res.writeHead(200, {
        'content-type': 'application/json',
        'lambda-runtime-aws-request-id': invocation.requestId,
        'lambda-runtime-deadline-ms': String(invocation.deadline),
        'lambda-runtime-invoked-function-arn': FUNCTION_ARN,
        'lambda-runtime-trace-id': `Root=1-${Date.now().toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Sampled=0`,
      })
      res.end(JSON.stringify(invocation.event))
    }
  }

  const readJson = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = []
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk)
    const text = Buffer.concat(chunks).toString('utf8')
    return text === '' ? undefined : (JSON.parse(text) as unknown)
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? ''
      if (req.method === 'GET' && url === `${PREFIX}/invocation/next`) {
        waiting.push(res)
        deliver()
        return
      }
      const done = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url)
      if (req.method === 'POST' && done) {
        const [, requestId = '', kind] = done
        const invocation = inFlight.get(requestId)
        const body = await readJson(req)
        if (!invocation) {
          res.writeHead(400).end()
          return
        }
        inFlight.delete(requestId)
        invocation.settle(
          kind === 'response'
            ? { requestId, ok: true, result: body }
            : { requestId, ok: false, error: body as { errorType?: string; errorMessage?: string } },
        )
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}')
        return
      }
      if (req.method === 'POST' && url === `${PREFIX}/init/error`) {
        initErrors.push(await readJson(req))
        res.writeHead(202).end()
        return
      }
      res.writeHead(404).end()
    })()
  })
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve))
  const { port } = server.address() as AddressInfo

  return {
    address: `127.0.0.1:${String(port)}`,
    initErrors,
    invoke: (event, timeoutMs = 15_000) =>
      new Promise<InvocationResult>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`the function did not answer within ${String(timeoutMs)} ms`))
        }, timeoutMs)
        queue.push({
          requestId: randomUUID(),
          event,
          deadline: Date.now() + timeoutMs,
          settle: (result) => {
            clearTimeout(timer)
            resolve(result)
          },
        })
        deliver()
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of waiting.splice(0)) res.destroy()
        server.close(() => {
          resolve()
        })
        server.closeAllConnections()
      }),
  }
}
