import type { AuthMode, HttpRequest } from '../auth/types'
import { NetworkError } from '../errors/NetworkError'
import { NoAuthModeAvailableError, type SkippedMode } from '../errors/NoAuthModeAvailableError'
import { UnauthorizedError } from '../errors/UnauthorizedError'
import { parseGraphQLBody, type ParsedBody } from '../graphql/response'
import { redactServerMessage } from '../internal/redact'
import { describeUrl } from '../transport/fetch'
import type { ResolvedConfig } from './config'

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
  const { modes, signal } = options
  const reasons: SkippedMode[] = []
  let failure: UnauthorizedError | undefined
  let denied: Exchange | undefined
  const skip = (mode: AuthMode, reason: string): void => {
    reasons.push({ mode, reason })
    config.events.emit('authModeSkipped', { mode, reason })
  }

  for (const [index, mode] of modes.entries()) {
    const strategy = config.strategies.get(mode)
    if (!strategy) {
      skip(mode, `\`${config.definitions.get(mode)?.option ?? mode}\` is not configured`)
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
        if (!isSkippable(error)) throw error
        skip(mode, error.message)
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
        if (
          options.nextModeOnFieldDenial &&
          index < modes.length - 1 &&
          errors.some((e) => e.errorType == 'Unauthorized')
        ) {
          denied = exchange
          break
        }
        return exchange
      }
      if (!refreshed) {
        refreshed = true
        config.events.emit('unauthorizedRetry', { mode, status })
        continue
      }
      failure = new UnauthorizedError({
        ...describe(sent, response),
        mode,
        serverMessages: errors.map((e) => redactServerMessage(e.message, sent)),
      })
      break
    }
  }
  if (denied) return denied
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
    response = await config.fetch(sent.url, {
      method: sent.method,
      headers: sent.headers,
      ...(sent.body === undefined ? {} : { body: sent.body }),
      ...(signal ? { signal } : {}),
    })
    const { status } = response
    if (readAll || status == 400 || status == 401 || status == 403)
      text = await (readAll ? response : response.clone()).text()
  } catch (error) {
    if (signal?.aborted) throw signal.reason
    throw new NetworkError(sent.method, describeUrl(sent.url), error)
  }
  return { mode, sent, response, text, parsed: text === undefined ? undefined : parseGraphQLBody(text) }
}

function isSkippable(error: unknown): error is Error {
  return (error as { tryNext?: unknown } | null)?.tryNext === true && error instanceof Error
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
