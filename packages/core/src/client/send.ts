import type { Answer } from '../auth/authorizer'
import type { Authorization } from '../auth/authorizer'
import type { AuthMode, HttpRequest } from '../auth/types'
import { isAuthmodeError } from '../errors/AuthmodeError'
import { HttpError } from '../errors/HttpError'
import { NetworkError } from '../errors/NetworkError'
import { ResponseParseError } from '../errors/ResponseParseError'
import { parseGraphQLBody, type ParsedBody } from '../graphql/response'
import { secretsOf } from '../internal/redact'
import { describeUrl, isRedirect } from '../transport/fetch'
import type { ResolvedConfig } from './config'

/** One answer from the API, with the request exactly as it was sent. */
export interface Exchange extends Answer {
  readonly mode: AuthMode
  readonly sent: HttpRequest
  readonly response: Response
  readonly status: number
  readonly headers: Headers
  readonly parsed: ParsedBody | undefined
}

/**
 * Sends `request` with the credentials `authorization` picks, as often as it asks (a refresh, a
 * corrected clock, the next mode), and returns the answer that stands: the last one sent, or the
 * one the authorization kept when no mode was left (a field-level denial, or a rejection).
 * `readAll`: read every body (`client.request`), or only those of the statuses an authorization
 * failure comes with (`createAuthFetch`, which hands the response back unread).
 */
export async function sendAuthorized(
  config: ResolvedConfig,
  request: HttpRequest,
  authorization: Authorization<Exchange>,
  { signal, readAll }: SendOptions,
): Promise<Exchange> {
  for (let authorized; (authorized = await authorization.authorize(request));) {
    const { mode, request: sent } = authorized
    let response: Response
    let text: string | undefined
    try {
      // Filled in by assignment, not by spreading conditional objects: fewer allocations a request.
      // A redirect is never followed: the credentials would go with it (see `isRedirect`).
      const init: RequestInit = { method: sent.method, headers: sent.headers, redirect: 'manual' }
      if (sent.body !== undefined) init.body = sent.body as string | Uint8Array<ArrayBuffer>
      if (signal) init.signal = signal
      response = await config.fetch(sent.url, init)
      if (isRedirect(response))
        throw new HttpError({ ...describe(sent, response), statusText: 'redirect, not followed' })
      if (readAll || [400, 401, 403].includes(response.status))
        text = await readCapped(readAll ? response : response.clone(), sent, config.maxResponseBytes)
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      throw isAuthmodeError(error)
        ? error
        : new NetworkError(sent.method, describeUrl(sent.url), error, secretsOf(sent.headers))
    }
    const parsed = text === undefined ? undefined : parseGraphQLBody(text)
    const { status, headers } = response
    const exchange: Exchange = {
      mode,
      sent,
      response,
      status,
      headers,
      text,
      parsed,
      body: parsed?.ok ? parsed.body : undefined,
    }
    if (authorization.judge(exchange, exchange)) return exchange
  }
  // No mode left: what the authorization kept (it throws when it kept nothing).
  // eslint-disable-next-line @typescript-eslint/no-non-null-assertion
  return authorization.kept!
}

/**
 * The body as text, read as it streams: a `ResponseParseError` (never retried) when it is over
 * `max` bytes, by its Content-Length up front or by the bytes counted, the rest left unread.
 */
async function readCapped(response: Response, sent: HttpRequest, max: number): Promise<string> {
  const length = response.headers.get('content-length') ?? ''
  // Unencoded, the body is exactly its Content-Length (fetch delivers no more): read it whole, the
  // platform's fast way. Compressed or without one, its bytes are counted as they stream.
  if (/^\d+$/.test(length) && +length <= max && !response.headers.has('content-encoding')) return response.text()
  const reader = response.body?.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let part
  let size = Number(length)
  if (!(size > max))
    for (size = 0; reader && !(part = await reader.read()).done && (size += part.value.length) <= max;)
      text += decoder.decode(part.value, { stream: true })
  if (size > max) {
    void reader?.cancel()
    throw new ResponseParseError({ ...describe(sent, response), problem: `over \`maxResponseBytes\` (${String(max)})` })
  }
  return text + decoder.decode()
}

export interface SendOptions {
  readonly signal: AbortSignal | undefined
  readonly readAll: boolean
}

/** Method, URL (no query), status and request id of an answer, for errors. */
export function describe(
  sent: HttpRequest,
  response: Response,
): { method: string; url: string; status: number; requestId: string | undefined } {
  const { headers } = response
  return {
    method: sent.method,
    url: describeUrl(sent.url),
    status: response.status,
    requestId: headers.get('x-amzn-requestid') ?? headers.get('x-amz-request-id') ?? undefined,
  }
}
