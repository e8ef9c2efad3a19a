import type { AuthMode, HttpRequest } from '../auth/types'
import { ConfigurationError } from '../errors/ConfigurationError'
import { NetworkError } from '../errors/NetworkError'
import { isRetryableRefresh } from '../errors/TokenRefreshError'
import { prepareDocument, type DocumentInput, type OperationType } from '../graphql/document'
import { sleep } from '../internal/abort'
import { normalizeHeaders, withoutCredentialHeaders } from '../internal/headers'
import { checkTimeout, DEFAULT_RETRY, mergeRetry, parseModes, resolveConfig, type ResolvedConfig } from './config'
import { startDeadline } from './deadline'
import type { ClientEventListener, ClientEventName } from './events'
import { interpretExchange } from './interpret'
import type { ClientOptions, RequestOptions } from './options'
import { backoffDelay, isRetryableStatus } from './retry'
import { describeUrl } from '../transport/fetch'
import { sendAuthorized, type Exchange } from './send'

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
  const { query, operationName, operationType } = prepareDocument(document, options.operationName)
  const modes = modesOf(config, options.authMode)
  const retry = mergeRetry(config.retry, options.retry) || { ...DEFAULT_RETRY, limit: 0 }
  const timeoutMs = options.timeoutMs === undefined ? config.timeoutMs : checkTimeout(options.timeoutMs, 'timeoutMs')
  if (variables !== undefined && (typeof variables != 'object' || !variables || Array.isArray(variables))) {
    throw new ConfigurationError('`variables` must be an object.')
  }
  const request = await runHooks(
    config,
    {
      method: 'POST',
      url: config.endpoint,
      headers: {
        ...config.headers,
        ...withoutCredentialHeaders(normalizeHeaders(options.headers)),
        accept: 'application/json',
        'content-type': 'application/json; charset=UTF-8',
      },
      body: JSON.stringify({ query, variables, operationName }),
    },
    operationName,
    operationType,
  )
  // Queries (and mutations when asked) are retried after throttling, 5xx, network errors and
  // transient token refresh failures (the session is kept), with jittered backoff.
  const retries = operationType != 'mutation' || retry.mutations ? retry.limit : 0
  const isQuery = !operationType || operationType == 'query'
  return withDeadline(request, options.signal, timeoutMs, async (signal) => {
    for (let attempt = 0; ; attempt++) {
      let exchange: Exchange | undefined
      let reason: string | undefined
      let retryAfter: string | null = null
      try {
        exchange = await sendAuthorized(config, request, {
          modes,
          signal,
          readAll: true,
          nextModeOnFieldDenial: isQuery,
        })
        const { status, headers } = exchange.response
        if (isRetryableStatus(status)) {
          reason = `HTTP ${String(status)}`
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

function modesOf(config: ResolvedConfig, authMode: RequestOptions['authMode']): readonly AuthMode[] {
  return authMode === undefined ? config.defaultModes : parseModes(authMode, config.definitions, 'authMode')
}

/** Runs `send` under the call's signal and the timeout (over the whole call, retries included). */
async function withDeadline<T>(
  request: HttpRequest,
  signal: AbortSignal | null | undefined,
  timeoutMs: number,
  send: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  const deadline = startDeadline(signal ?? undefined, timeoutMs, `${request.method} ${describeUrl(request.url)}`)
  try {
    return await send(deadline.signal)
  } finally {
    deadline.dispose()
  }
}

async function runHooks(
  config: ResolvedConfig,
  request: HttpRequest,
  operationName: string | undefined,
  operationType: OperationType | undefined,
): Promise<HttpRequest> {
  let current = request
  for (const hook of config.hooks.beforeRequest ?? [])
    current = (await hook(current, { operationName, operationType })) ?? current
  // Credentials come from the modes only: never two modes' headers on one request.
  return { ...current, headers: withoutCredentialHeaders(normalizeHeaders(current.headers)) }
}

async function authFetch(
  config: ResolvedConfig,
  input: Request | string | URL,
  { authMode, ...init }: AuthFetchInit = {},
): Promise<Response> {
  const source = input instanceof Request ? input : undefined
  const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input)
  const given = init.body
  let body: string | undefined
  // The media type `fetch` would derive from the body (text/plain for a string, form types, a
  // Blob's type): set before signing, so that no header is sent that the signature does not cover.
  let bodyType: string | null = null
  if (typeof given == 'string') {
    body = given
    bodyType = 'text/plain;charset=UTF-8'
  } else if (given != null) {
    const extracted = new Response(given)
    bodyType = extracted.headers.get('content-type')
    body = await extracted.text()
  } else if (source?.body) {
    body = await source.clone().text()
  }
  const modes = modesOf(config, authMode)
  const request = await runHooks(
    config,
    {
      method: (init.method ?? source?.method ?? 'GET').toUpperCase(),
      url,
      headers: {
        ...(bodyType ? { 'content-type': bodyType } : {}),
        ...config.headers,
        ...normalizeHeaders(source?.headers, init.headers),
      },
      body,
    },
    undefined,
    undefined,
  )
  return withDeadline(
    request,
    init.signal ?? source?.signal,
    config.timeoutMs,
    async (signal) =>
      (await sendAuthorized(config, request, { modes, signal, readAll: false, nextModeOnFieldDenial: false })).response,
  )
}
