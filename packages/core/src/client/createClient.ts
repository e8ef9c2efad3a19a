import { startAuthorization } from '../auth/authorizer'
import { callToken } from '../auth/token'
import { ConfigurationError } from '../errors/ConfigurationError'
import type { SkippedMode } from '../errors/NoAuthModeAvailableError'
import { NetworkError } from '../errors/NetworkError'
import { isRetryableRefresh } from '../errors/TokenRefreshError'
import { prepareDocument, type AnyVariables, type DocumentInput } from '../graphql/document'
import { sleep } from '../internal/abort'
import { normalizeHeaders, withoutCredentialHeaders } from '../internal/headers'
import {
  checkAmount,
  DEFAULT_RETRY,
  mergeRetry,
  modesOf,
  resolveConfig,
  type ClientDefaults,
  type ResolvedConfig,
} from './config'
import { withDeadline } from './deadline'
import { runHooks } from './pipeline'
import type { ClientEventListener, ClientEventName } from './events'
import { interpretExchange } from './interpret'
import type { ClientOptions, RequestOptions } from './options'
import { registerClient } from './registry'
import { backoffDelay, isRetryableStatus } from './retry'
import { sendAuthorized, type Exchange } from './send'

export interface Client {
  /** Runs a query or mutation and resolves to its `data`; throws `GraphQLResponseError` on `errors`. */
  request<TResult = Record<string, unknown>, TVariables = AnyVariables>(
    document: DocumentInput<TResult, TVariables>,
    variables?: TVariables,
    options?: RequestOptions,
  ): Promise<TResult>
  /** Subscribes to an event; returns the unsubscribe function. */
  on<TName extends ClientEventName>(name: TName, listener: ClientEventListener<TName>): () => void
  /** The clock offset learned from the server, in milliseconds (0 until a signature-time rejection). */
  readonly clockOffsetMs: number
}

/**
 * Creates an AppSync client: each request applies exactly its mode's credentials (the call's
 * `authMode`, else the client's), last. See the README.
 *
 * @example
 * const client = createClient({ endpoint, authMode: 'apiKey', apiKey: 'da2-…' })
 * const data = await client.request<{ getPost: { id: string } }>('query { getPost(id: "1") { id } }')
 */
export function createClient(options: ClientOptions): Client {
  return clientWith(undefined, options)
}

/** `createClient` with an environment's defaults under the options (for `@authmode/browser` and `@authmode/node`). */
export function clientWith(defaults: ClientDefaults | undefined, options: ClientOptions): Client {
  const config = resolveConfig(options, defaults)
  return registerClient(config, {
    request: (document, variables, requestOptions) => runRequest(config, document, variables, requestOptions ?? {}),
    on: (name, listener) => config.events.on(name, listener),
    get clockOffsetMs() {
      return config.clock.offsetMs
    },
  })
}

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json; charset=UTF-8' }

async function runRequest<TResult>(
  config: ResolvedConfig,
  document: DocumentInput<TResult, never>,
  variables: unknown,
  options: RequestOptions,
): Promise<TResult> {
  const { query, operationName, operationType } = prepareDocument(document, options.operationName)
  const modes = modesOf(config, options.authMode)
  const token = callToken(modes, options.authToken)
  const retry = mergeRetry(config.retry, options.retry) || { ...DEFAULT_RETRY, limit: 0 }
  const timeoutMs = options.timeoutMs === undefined ? config.timeoutMs : checkAmount(options.timeoutMs, 'timeoutMs')
  if (variables !== undefined && (typeof variables !== 'object' || !variables || Array.isArray(variables))) {
    throw new ConfigurationError('`variables` must be an object.')
  }
  const request = await runHooks(
    config,
    {
      method: 'POST',
      url: config.endpoint,
      // Object.assign, not a spread: V8 adds keys to a spread copy of a non-empty object through a
      // slow path. Most calls pass no headers: then nothing to normalise.
      headers: Object.assign(
        {},
        config.headers,
        options.headers && withoutCredentialHeaders(normalizeHeaders(options.headers)),
        JSON_HEADERS,
      ),
      body: JSON.stringify({ query, variables, operationName }),
    },
    operationName,
    operationType,
  )
  // Queries (and mutations when asked) are retried after throttling, 5xx, network errors and
  // transient token refresh failures (the session is kept), with jittered backoff.
  const retries = operationType !== 'mutation' || retry.mutations ? retry.limit : 0
  const isQuery = !operationType || operationType === 'query'
  // The modes skipped, shared by the attempts: each skip is announced once per call.
  const reasons: SkippedMode[] = []
  return withDeadline(request, options.signal, timeoutMs, async (signal) => {
    for (let attempt = 0; ; attempt++) {
      let exchange: Exchange | undefined
      let reason: string | undefined
      let retryAfter: string | null = null
      try {
        exchange = await sendAuthorized(
          config,
          request,
          startAuthorization(config, modes, {
            signal,
            reasons,
            nextOnFieldDenial: isQuery,
            token,
            operation: { query, operationName, operationType },
          }),
          { signal, readAll: true },
        )
        const { status, headers } = exchange
        if (isRetryableStatus(status)) {
          reason = `HTTP ${status}`
          retryAfter = headers.get('retry-after')
        }
      } catch (error) {
        reason =
          error instanceof NetworkError
            ? 'network error'
            : isRetryableRefresh(error)
              ? 'token refresh failed'
              : undefined
        if (!reason || attempt >= retries) throw error
      }
      if (exchange && (!reason || attempt >= retries)) return interpretExchange(exchange) as TResult
      const delayMs = backoffDelay(attempt, retry, retryAfter)
      config.events.emit('retry', { attempt: attempt + 1, delayMs, reason: String(reason) })
      await sleep(delayMs, signal)
    }
  })
}
