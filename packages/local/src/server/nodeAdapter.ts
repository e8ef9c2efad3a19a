import type { IncomingMessage, ServerResponse } from 'node:http'

/** The parts of an incoming request the handlers need, with the body read in full. */
export interface IncomingRequest {
  readonly method: string
  /** Path and query as sent. */
  readonly path: string
  /** Lower-cased names; repeated headers joined with `,`. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

// Connection-level headers a Web Request cannot carry; the body's length is known.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'content-length'])

export class BodyTooLargeError extends Error {}

export async function readRequest(req: IncomingMessage, maxBytes: number): Promise<IncomingRequest> {
  const headers: Record<string, string> = {}
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase()
    const value = req.rawHeaders[i + 1] ?? ''
    headers[name] = name in headers ? `${headers[name] ?? ''},${value}` : value
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) throw new BodyTooLargeError(`request body over ${String(maxBytes)} bytes`)
    chunks.push(chunk)
  }
  const body = Buffer.concat(chunks)
  return {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers,
    body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
  }
}

/** A Web `Request` for handlers written against Web standards (the identity-pool endpoint). */
export function toWebRequest(request: IncomingRequest, origin: string): Request {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name)))
  const init: RequestInit = { method: request.method, headers }
  if (request.method !== 'GET' && request.method !== 'HEAD') init.body = request.body.slice()
  return new Request(new URL(request.path, origin), init)
}

export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  const body = Buffer.from(await response.arrayBuffer())
  res.writeHead(response.status, { ...headers, 'content-length': String(body.length) })
  res.end(body)
}
