import type { AuthMode, HttpRequest } from '../auth/types'
import { ConfigurationError } from '../errors/ConfigurationError'
import { NetworkError } from '../errors/NetworkError'
import { isRetryableRefresh } from '../errors/TokenRefreshError'
import { prepareDocument, type DocumentInput, type OperationType } from '../graphql/document'
import { sleep } from '../internal/abort'
import { normalizeHeaders, withoutCredentialHeaders } from '../internal/headers'
import { describeUrl } from '../transport/fetch'
import { checkTimeout, mergeRetry, parseModes, resolveConfig, type ResolvedConfig } from './config'
import { startDeadline } from './deadline'
import type { ClientEventListener, ClientEventName } from './events'
import { interpretExchange } from './interpret'
import type { ClientOptions, RequestOptions, ResolvedRetry } from './options'
import { backoffDelay, isRetryableStatus } from './retry'
import { sendAuthorized } from './send'

/** `fetch`, with an optional per-call `authMode`. */
export type AuthFetch = (input: Request | string | URL, init?: AuthFetchInit) => Promise<Response>
export type AuthFetchInit = RequestInit & { readonly authMode?: AuthMode | readonly AuthMode[] | undefined }

export interface Client {
  /**
   * Runs a query or mutation and resolves to its `data`.
   *
   * @throws {GraphQLResponseError} when the response has `errors` (partial `data` on the error).
   */
  request<TResult = Record<string, unknown>, TVariables = Record<string, unknown>>(
    document: DocumentInput<TResult, TVariables>,
    variables?: TVariables,
    options?: RequestOptions,
  ): Promise<TResult>
  /** A `fetch` that authorizes every call with this client's modes and identities (see `createAuthFetch`). */
  readonly fetch: AuthFetch
  /** Subscribes to an event; returns the unsubscribe function. */
  on<TName extends ClientEventName>(name: TName, listener: ClientEventListener<TName>): () => void
  /** The clock offset learned from the server, in milliseconds (0 until a signature-time rejection). */
  readonly clockOffsetMs: number
}

/**
 * Creates an AppSync client. Each request picks its authorization mode (the call's `authMode`,
 * else the client's) and applies exactly that mode's credentials, last.
 *
 * @example
 * ```ts
 * import { createClient } from '@authmode/core'
 *
 * const client = createClient({ endpoint, apiKey: 'da2-…', authMode: 'apiKey' })
 * const data = await client.request<{ getPost: { id: string } }>(
 *   'query GetPost($id: ID!) { getPost(id: $id) { id } }',
 *   { id: '1' },
 * )
 * ```
 */
export function createClient(options: ClientOptions): Client {
  const config = resolveConfig(options)
  return {
    request: (document, variables, requestOptions) => runRequest(config, document, variables, requestOptions ?? {}),
    fetch: (input, init) => authFetch(config, input, init),
    on: (name, listener) => config.events.on(name, listener),
    get clockOffsetMs() {
      return config.clock.offsetMs
    },
  }
}

/**
 * A `fetch`-compatible function that authorizes each call last, over the exact bytes sent, so
 * graphql-request, Apollo's HttpLink or urql can use it. Takes the options of `createClient`;
 * each call may carry `authMode` in its init.
 *
 * @example
 * ```ts
 * import { GraphQLClient } from 'graphql-request'
 * const fetch = createAuthFetch({ endpoint, apiKey: 'da2-…', authMode: 'apiKey' })
 * const gql = new GraphQLClient(endpoint, { fetch })
 * ```
 */
export function createAuthFetch(options: ClientOptions): AuthFetch {
  return createClient(options).fetch
}

async function runRequest<TResult>(
  config: ResolvedConfig,
  document: DocumentInput<TResult, never>,
  variables: unknown,
  options: RequestOptions,
): Promise<TResult> {
  const prepared = prepareDocument(document, options.operationName)
  const modes =
    options.authMode === undefined ? config.defaultModes : parseModes(options.authMode, config.definitions, 'authMode')
  const retry = mergeRetry(config.retry, options.retry)
  const timeoutMs = options.timeoutMs === undefined ? config.timeoutMs : checkTimeout(options.timeoutMs, 'timeoutMs')
  if (variables !== undefined && (typeof variables !== 'object' || variables === null || Array.isArray(variables))) {
    throw new ConfigurationError('`variables` must be an object.')
  }
  const body = JSON.stringify({
    query: prepared.query,
    ...(variables === undefined ? {} : { variables }),
    ...(prepared.operationName === undefined ? {} : { operationName: prepared.operationName }),
  })
  let request: HttpRequest = {
    method: 'POST',
    url: config.endpoint,
    headers: {
      ...config.headers,
      ...withoutCredentialHeaders(normalizeHeaders(options.headers)),
      accept: 'application/json',
      'content-type': 'application/json; charset=UTF-8',
    },
    body,
  }
  request = await runHooks(config, request, prepared.operationName, prepared.operationType)

  const deadline = startDeadline(options.signal, timeoutMs, `POST ${describeUrl(config.endpoint)}`)
  const retryable = retry !== false && (prepared.operationType !== 'mutation' || retry.mutations)
  try {
    for (let attempt = 0; ; attempt++) {
      const canRetry = retryable && attempt < retry.limit
      let exchange
      try {
        exchange = await sendAuthorized(config, request, {
          modes,
          signal: deadline.signal,
          readBody: 'always',
          nextModeOnFieldDenial: isQuery(prepared.operationType),
        })
      } catch (error) {
        // A transient token refresh failure (Cognito unreachable, 5xx, throttled) kept the session:
        // retried like a network error, with the same backoff and limit.
        const reason =
          error instanceof NetworkError
            ? 'network error'
            : isRetryableRefresh(error)
              ? 'token refresh failed'
              : undefined
        if (reason === undefined || !canRetry) throw error
        await backoff(config, { attempt, retry, retryAfter: null, reason, signal: deadline.signal })
        continue
      }
      if (canRetry && isRetryableStatus(exchange.response.status)) {
        await backoff(config, {
          attempt,
          retry,
          retryAfter: exchange.response.headers.get('retry-after'),
          reason: `HTTP ${String(exchange.response.status)}`,
          signal: deadline.signal,
        })
        continue
      }
      return interpretExchange(exchange) as TResult
    }
  } finally {
    deadline.dispose()
  }
}

function isQuery(type: OperationType | undefined): boolean {
  return type === 'query' || type === undefined
}

interface BackoffOptions {
  readonly attempt: number
  readonly retry: ResolvedRetry
  readonly retryAfter: string | null
  readonly reason: string
  readonly signal: AbortSignal | undefined
}

async function backoff(
  config: ResolvedConfig,
  { attempt, retry, retryAfter, reason, signal }: BackoffOptions,
): Promise<void> {
  const delayMs = backoffDelay(attempt, retry, retryAfter)
  config.events.emit('retry', { attempt: attempt + 1, delayMs, reason })
  await sleep(delayMs, signal)
}

async function runHooks(
  config: ResolvedConfig,
  request: HttpRequest,
  operationName: string | undefined,
  operationType: OperationType | undefined,
): Promise<HttpRequest> {
  let current = request
  for (const hook of config.hooks.beforeRequest ?? []) {
    const next = await hook(current, { operationName, operationType })
    if (next) current = next
  }
  // Credentials come from the modes only: never two modes' headers on one request.
  return { ...current, headers: withoutCredentialHeaders(normalizeHeaders(current.headers)) }
}

async function authFetch(
  config: ResolvedConfig,
  input: Request | string | URL,
  init: AuthFetchInit = {},
): Promise<Response> {
  const { authMode, ...requestInit } = init
  const modes = authMode === undefined ? config.defaultModes : parseModes(authMode, config.definitions, 'authMode')
  const source = input instanceof Request ? input : undefined
  const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input)
  const method = (requestInit.method ?? source?.method ?? 'GET').toUpperCase()
  let body: string | undefined
  // The media type `fetch` would derive from the body (text/plain for a string, form types, a
  // Blob's type): set before signing, so that no header is sent that the signature does not cover.
  let bodyType: string | null = null
  if (requestInit.body !== undefined && requestInit.body !== null) {
    const extracted = new Response(requestInit.body)
    bodyType = extracted.headers.get('content-type')
    body = await extracted.text()
  } else if (source && source.body !== null) {
    body = await source.clone().text()
  }
  let request: HttpRequest = {
    method,
    url,
    headers: {
      ...(bodyType === null ? {} : { 'content-type': bodyType }),
      ...config.headers,
      ...normalizeHeaders(source?.headers, requestInit.headers),
    },
    body,
  }
  request = await runHooks(config, request, undefined, undefined)
  const deadline = startDeadline(
    requestInit.signal ?? source?.signal ?? undefined,
    config.timeoutMs,
    `${method} ${describeUrl(url)}`,
  )
  try {
    const exchange = await sendAuthorized(config, request, {
      modes,
      signal: deadline.signal,
      readBody: 'errors',
      nextModeOnFieldDenial: false,
    })
    return exchange.response
  } finally {
    deadline.dispose()
  }
}
