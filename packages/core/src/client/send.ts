import type { AuthMode, HttpRequest } from '../auth/types'
import { NetworkError } from '../errors/NetworkError'
import { NoAuthModeAvailableError, type SkippedMode } from '../errors/NoAuthModeAvailableError'
import { UnauthorizedError } from '../errors/UnauthorizedError'
import { parseGraphQLBody, type ParsedBody } from '../graphql/response'
import { redactServerMessage } from '../internal/redact'
import { describeUrl } from '../transport/fetch'
import type { ResolvedConfig } from './config'
import { skipMode } from './skipMode'

/** One answer from the API, with the request exactly as it was sent. */
export interface Exchange {
  readonly mode: AuthMode
  readonly sent: HttpRequest
  readonly response: Response
  /** The body text, when it was read (always for `request`; for error statuses with `fetch`). */
  readonly text: string | undefined
  readonly parsed: ParsedBody | undefined
}

export interface SendOptions {
  readonly modes: readonly AuthMode[]
  readonly signal: AbortSignal | undefined
  /** Read every body (the GraphQL client), or only error bodies (the fetch wrapper, which returns the response). */
  readonly readAll: boolean
  /** Try the next mode of the list on a field-level denial (queries only: nothing ran twice). */
  readonly nextModeOnFieldDenial: boolean
  /** The modes skipped so far in this call (its retries share it, so a skip is announced once). */
  readonly reasons: SkippedMode[]
}

/**
 * Picks a mode, authorizes and sends; after a rejection it refreshes that mode's identity and
 * retries once, when the mode can mend a rejection itself (SigV4: the clock) it retries once, and
 * with a mode list it moves on to the next mode only for authorization failures.
 */
export async function sendAuthorized(
  config: ResolvedConfig,
  request: HttpRequest,
  options: SendOptions,
): Promise<Exchange> {
  const { modes, signal, reasons } = options
  let failure: UnauthorizedError | undefined
  // The answer to give when no later mode does better: a field-level denial, or for the fetch
  // wrapper (which hands every answer back, as `fetch` does) a rejection that outlived the refresh.
  let fallback: Exchange | undefined

  for (const [index, mode] of modes.entries()) {
    const strategy = config.strategies.get(mode)
    if (!strategy) {
      skipMode(config, reasons, mode)
      continue
    }
    let identity: unknown
    // Each at most once per mode: a refresh after a rejection, a fix by the mode itself (the clock).
    let refreshed = false
    let mended = false
    for (;;) {
      try {
        identity = refreshed
          ? await strategy.refreshAfterRejection(identity, signal)
          : (identity ?? (await strategy.resolveIdentity({ signal })))
      } catch (error) {
        skipMode(config, reasons, mode, error)
        break
      }
      const sent = await strategy.authorize(request, identity, { clock: config.clock, signal })
      const exchange = await exchangeWith(config, mode, sent, options)
      const { response, parsed } = exchange
      const { status } = response
      if (!mended && strategy.mend?.(exchange)) {
        mended = true
        continue
      }
      const body = parsed?.ok ? parsed.body : undefined
      const errors = body?.errors ?? []
      const unauthorized =
        status == 401 ||
        ([200, 400, 403].includes(status) &&
          body?.data == null &&
          errors.some((e) => e.errorType == 'UnauthorizedException'))
      if (!unauthorized) {
        if (options.nextModeOnFieldDenial && modes[index + 1] && errors.some((e) => e.errorType == 'Unauthorized')) {
          fallback = exchange
          break
        }
        return exchange
      }
      if (!refreshed) {
        refreshed = true
        config.events.emit('unauthorizedRetry', { mode, status })
        continue
      }
      if (!options.readAll) {
        fallback = exchange
        break
      }
      failure = new UnauthorizedError({
        ...describe(sent, response),
        mode,
        serverMessages: errors.map((e) => redactServerMessage(e.message, sent)),
      })
      break
    }
  }
  if (fallback) return fallback
  throw failure ?? new NoAuthModeAvailableError(reasons)
}

async function exchangeWith(
  config: ResolvedConfig,
  mode: AuthMode,
  sent: HttpRequest,
  { signal, readAll }: SendOptions,
): Promise<Exchange> {
  let response: Response | undefined
  let text: string | undefined
  try {
    // Filled in by assignment, not by spreading conditional objects: about 0.05 µs less a request.
    const init: RequestInit = { method: sent.method, headers: sent.headers }
    if (sent.body !== undefined) init.body = sent.body as string | Uint8Array<ArrayBuffer>
    if (signal) init.signal = signal
    response = await config.fetch(sent.url, init)
    const { status } = response
    if (readAll || [400, 401, 403].includes(status)) text = await (readAll ? response : response.clone()).text()
  } catch (error) {
    if (signal?.aborted) throw signal.reason
    throw new NetworkError(sent.method, describeUrl(sent.url), error)
  }
  return { mode, sent, response, text, parsed: text === undefined ? undefined : parseGraphQLBody(text) }
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
