import type { AuthMode, AuthStrategy, HttpRequest } from '../auth/types'
import { CredentialsError } from '../errors/CredentialsError'
import { NetworkError } from '../errors/NetworkError'
import { NoAuthModeAvailableError, type SkippedMode } from '../errors/NoAuthModeAvailableError'
import { NoIdentityError } from '../errors/NoIdentityError'
import { UnauthorizedError } from '../errors/UnauthorizedError'
import { hasFieldDenial, isUnauthorizedBody, parseGraphQLBody, type ParsedBody } from '../graphql/response'
import { redactServerMessage } from '../internal/redact'
import { describeUrl, sendWithFetch } from '../transport/fetch'
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
  /** Read every body (the GraphQL client) or only error bodies (the fetch wrapper, which returns the response). */
  readonly readBody: 'always' | 'errors'
  /** Try the next mode of the list on a field-level denial (queries only: nothing ran twice). */
  readonly nextModeOnFieldDenial: boolean
}

const SKEW = /Signature expired|Signature not yet current|RequestTimeTooSkewed/i
const SERVER_TIME_IN_MESSAGE = /\((\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z [-+] 5 min\.?\)/

/**
 * Picks a mode, authorizes and sends; after a rejection it refreshes that mode's identity and
 * retries once, after a signature-time rejection it corrects the clock and retries once, and with
 * a mode list it moves on to the next mode only for authorization failures.
 */
export async function sendAuthorized(
  config: ResolvedConfig,
  request: HttpRequest,
  options: SendOptions,
): Promise<Exchange> {
  const reasons: SkippedMode[] = []
  let lastUnauthorized: UnauthorizedError | undefined
  let lastDenied: Exchange | undefined
  const skip = (mode: AuthMode, reason: string): void => {
    reasons.push({ mode, reason })
    config.events.emit('authModeSkipped', { mode, reason })
  }

  for (const [index, mode] of options.modes.entries()) {
    const strategy = config.strategies.get(mode)
    if (!strategy) {
      skip(mode, `\`${config.definitions.get(mode)?.option ?? mode}\` is not configured`)
      continue
    }
    let identity: unknown
    try {
      identity = await strategy.resolveIdentity({ signal: options.signal })
    } catch (error) {
      if (isSkippable(error)) {
        skip(mode, error.message)
        continue
      }
      throw error
    }

    let authRetried = false
    let skewRetried = false
    for (;;) {
      const exchange = await attempt(config, { strategy, request, identity, options })
      const { response, parsed } = exchange
      const status = response.status

      if (!skewRetried && isSkewRejection(exchange) && correctClock(config, exchange)) {
        skewRetried = true
        continue
      }
      const body = parsed?.ok ? parsed.body : undefined
      const unauthorized =
        status === 401 ||
        ((status === 400 || status === 403 || status === 200) && isUnauthorizedBody(body) && body?.data == null)
      if (unauthorized) {
        if (!authRetried) {
          authRetried = true
          config.events.emit('unauthorizedRetry', { mode, status })
          try {
            identity = await strategy.refreshAfterRejection(identity, options.signal)
          } catch (error) {
            if (!isSkippable(error)) throw error
            skip(mode, error.message)
            break
          }
          continue
        }
        lastUnauthorized = new UnauthorizedError({
          method: request.method,
          url: describeUrl(request.url),
          status,
          mode,
          requestId: requestId(response),
          serverMessages: (body?.errors ?? []).map((e) => redactServerMessage(e.message, exchange.sent)),
        })
        break
      }
      if (options.nextModeOnFieldDenial && body && hasFieldDenial(body) && index < options.modes.length - 1) {
        lastDenied = exchange
        break
      }
      return exchange
    }
  }
  if (lastDenied) return lastDenied
  if (lastUnauthorized) throw lastUnauthorized
  throw new NoAuthModeAvailableError(reasons)
}

interface Attempt {
  readonly strategy: AuthStrategy
  readonly request: HttpRequest
  readonly identity: unknown
  readonly options: SendOptions
}

async function attempt(config: ResolvedConfig, { strategy, request, identity, options }: Attempt): Promise<Exchange> {
  const sent = await strategy.authorize(request, identity, { clock: config.clock, signal: options.signal })
  let response: Response
  try {
    response = await sendWithFetch(config.fetch, sent, options.signal)
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason
    throw new NetworkError(request.method, describeUrl(request.url), error)
  }
  const status = response.status
  const read = options.readBody === 'always' || status === 400 || status === 401 || status === 403
  let text: string | undefined
  if (read) {
    try {
      text = await (options.readBody === 'always' ? response : response.clone()).text()
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      throw new NetworkError(request.method, describeUrl(request.url), error)
    }
  }
  return { mode: strategy.mode, sent, response, text, parsed: text === undefined ? undefined : parseGraphQLBody(text) }
}

function isSkippable(error: unknown): error is Error {
  return error instanceof NoIdentityError || (error instanceof CredentialsError && error.tryNext)
}

function isSkewRejection({ response, text }: Exchange): boolean {
  const status = response.status
  if (status !== 400 && status !== 401 && status !== 403) return false
  return SKEW.test(text ?? '') || SKEW.test(response.headers.get('x-amzn-errortype') ?? '')
}

/** Sets the clock offset from the server's time; false when the answer does not say it. */
function correctClock(config: ResolvedConfig, { response, text }: Exchange): boolean {
  let serverTime = Date.parse(response.headers.get('date') ?? '')
  if (Number.isNaN(serverTime)) {
    const m = SERVER_TIME_IN_MESSAGE.exec(text ?? '')
    if (m) serverTime = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  }
  if (Number.isNaN(serverTime)) return false
  const offsetMs = serverTime - (config.clock.now() - config.clock.offsetMs)
  config.clock.offsetMs = offsetMs
  config.events.emit('clockSkewCorrected', { offsetMs })
  return true
}

export function requestId(response: Response): string | undefined {
  return response.headers.get('x-amzn-requestid') ?? response.headers.get('x-amz-request-id') ?? undefined
}
