import { NetworkError } from '../errors/NetworkError'
import { describeUrl } from '../transport/fetch'

/** An AWS JSON 1.1 service error, as Cognito answers: `__type` and `message`. */
export interface AwsJsonFailure {
  readonly ok: false
  readonly status: number
  /** `NotAuthorizedException`, `ResourceNotFoundException`, … (any `prefix#` removed). */
  readonly type: string
  readonly message: string
  /** Worth retrying later: throttling, 5xx, or an answer that was not JSON. */
  readonly transient: boolean
}

export type AwsJsonResult<T> = { readonly ok: true; readonly body: T } | AwsJsonFailure

export interface AwsJsonCall {
  readonly endpoint: URL
  /** e.g. `AWSCognitoIdentityProviderService.InitiateAuth`. */
  readonly target: string
  readonly body: unknown
  readonly fetch: typeof globalThis.fetch
  readonly signal?: AbortSignal | undefined
}

/**
 * One unsigned call to an AWS JSON 1.1 API (Cognito user pools and identity pools). Network
 * failures throw `NetworkError`; service answers come back as values, never with the request
 * (which may hold a password or refresh token) attached.
 */
export async function callAwsJson<T>(call: AwsJsonCall): Promise<AwsJsonResult<T>> {
  let response: Response
  let text: string
  try {
    response = await call.fetch(call.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': call.target },
      body: JSON.stringify(call.body),
      ...(call.signal ? { signal: call.signal } : {}),
    })
    text = await response.text()
  } catch (error) {
    if (call.signal?.aborted) throw call.signal.reason
    throw new NetworkError('POST', describeUrl(call.endpoint), error)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  const record = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>
  if (response.ok && json !== undefined) return { ok: true, body: json as T }
  const rawType =
    typeof record['__type'] === 'string' ? record['__type'] : (response.headers.get('x-amzn-errortype') ?? '')
  const type = rawType.split('#').pop()?.split(':')[0] ?? ''
  const message =
    typeof record['message'] === 'string'
      ? record['message']
      : typeof record['Message'] === 'string'
        ? record['Message']
        : json === undefined
          ? 'the answer is not JSON'
          : ''
  const transient =
    response.status >= 500 ||
    response.status === 429 ||
    /Throttl|TooManyRequests|LimitExceeded|InternalError|ServiceUnavailable/.test(type) ||
    (json === undefined && response.ok)
  return { ok: false, status: response.status, type: type || `HTTP ${String(response.status)}`, message, transient }
}
