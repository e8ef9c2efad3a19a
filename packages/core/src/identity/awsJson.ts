import { redact } from '../internal/redact'
import { isRedirect } from '../transport/fetch'

/** Why an AWS JSON 1.1 call (Cognito user pools, identity pools) produced no answer to use. */
export interface AwsJsonFailure {
  readonly ok: false
  /**
   * The service's error type (`NotAuthorizedException`, …, any `prefix#` removed), `HTTP <status>`
   * for an answer without one, or `NetworkError` / `TimeoutError` when no answer came.
   */
  readonly type: string
  /** `type: message`, every secret sent masked in the service's message: safe to show. */
  readonly detail: string
  /** Worth retrying later: throttling, 5xx, no answer, or an answer that was not JSON. */
  readonly transient: boolean
  readonly cause?: unknown
}

export type AwsJsonResult = { readonly ok: true; readonly body: unknown } | AwsJsonFailure

export interface AwsJsonOptions {
  readonly fetch: typeof globalThis.fetch
  /** Gives up after this long, as a `TimeoutError` failure. */
  readonly timeoutMs?: number | undefined
  /** The caller's own signal (instead of `timeoutMs`): its abort rejects with its reason. */
  readonly signal?: AbortSignal | undefined
  /** What was sent that must never be shown: masked in the service's message. */
  readonly secrets?: readonly (string | undefined)[] | undefined
}

// Tokens quoted by a service message are masked even when the caller did not name them.
// Throttling answered with 400; server errors (InternalError, ServiceUnavailable) are 5xx anyway.
const TRANSIENT = /Throttl|TooManyRequests|LimitExceeded/

/** The default fetch, looked up at call time (so test interceptors and polyfills installed later apply). */
export const defaultFetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init)

/**
 * One unsigned call to an AWS JSON 1.1 API (Cognito user pools and identity pools). Every outcome
 * but the caller's own abort comes back as a value, never with the request (which may hold a
 * password or refresh token) attached.
 */
export async function callAwsJson(
  endpoint: URL,
  target: string,
  body: unknown,
  { fetch, timeoutMs, signal, secrets = [] }: AwsJsonOptions,
): Promise<AwsJsonResult> {
  const timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs)
  let response: Response
  let json: unknown
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: JSON.stringify(body),
      signal: signal ?? timeout ?? null,
      // Never followed: the body (a password, a refresh token, `Logins`) would go along.
      redirect: 'manual',
    })
    const text = await response.text()
    try {
      json = JSON.parse(text)
    } catch {
      // Not JSON: a proxy's or gateway's page.
    }
  } catch (cause) {
    if (signal?.aborted) throw signal.reason
    const type = timeout?.aborted ? 'TimeoutError' : 'NetworkError'
    const what = timeout?.aborted
      ? `no answer within ${String(timeoutMs)} ms`
      : `${endpoint.origin} could not be reached`
    return { ok: false, type, detail: `${type}: ${what}`, transient: true, cause }
  }
  const { status } = response
  if (isRedirect(response))
    return {
      ok: false,
      type: `HTTP ${String(status)}`,
      detail: `HTTP ${String(status)}: a redirect, not followed`,
      transient: false,
    }
  if (response.ok && json !== undefined) return { ok: true, body: json }
  const { __type, message, Message } = (json ?? {}) as Record<string, unknown>
  // `com.amazonaws…#NotAuthorizedException`, or the header's `NotAuthorizedException:http://…`.
  const type =
    /[^#:]+(?=:|$)/.exec(text(__type) ?? response.headers.get('x-amzn-errortype') ?? '')?.[0] ??
    `HTTP ${String(status)}`
  const detail = redact(text(message) ?? text(Message) ?? (json === undefined ? 'the answer is not JSON' : ''), secrets)
  return {
    ok: false,
    type,
    detail: detail ? `${type}: ${detail}` : type,
    transient: status > 499 || status === 429 || TRANSIENT.test(type) || (json === undefined && response.ok),
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
