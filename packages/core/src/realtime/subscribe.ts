import type { AuthMode } from '../auth/types'
import { parseModes } from '../client/config'
import type { Client } from '../client/createClient'
import { configOf } from '../client/registry'
import { ConfigurationError } from '../errors/ConfigurationError'
import type { GraphQLResponseError } from '../errors/GraphQLResponseError'
import { SubscriptionError } from '../errors/SubscriptionError'
import { prepareDocument, type DocumentInput } from '../graphql/document'
import { connectionOf } from './connection'

/** Options of one `subscribe` call. */
export interface SubscribeOptions {
  /** This subscription's mode or ordered list (default: the client's); each subscription may use its own. */
  readonly authMode?: AuthMode | readonly AuthMode[] | undefined
  /** Aborting stops the subscription (a `stop` is sent) and the iteration rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined
  /** Picks the operation when the document has several. */
  readonly operationName?: string | undefined
  /**
   * GraphQL errors in one event. With this callback the subscription goes on (the event's partial
   * `data`, if any, is still yielded); without it the iteration ends with the `GraphQLResponseError`.
   */
  readonly onError?: ((error: GraphQLResponseError) => void) | undefined
  /**
   * Called each time the subscription is live again after its connection was lost and reopened
   * (the client also emits `subscriptionReconnected`). AppSync keeps nothing while a client is
   * disconnected: refetch here what the subscription keeps up to date.
   */
  readonly onReconnected?: (() => void) | undefined
}

/** A running subscription: iterate it (`for await`) for each event's `data`. */
export interface Subscription<TResult> extends AsyncIterable<TResult> {
  /**
   * Resolves once AppSync acknowledged the subscription (`start_ack`): events from then on are
   * delivered. Rejects when it could not start (a `GraphQLResponseError` for AppSync's `error`, a
   * `SubscriptionError` when the connection failed, `NoAuthModeAvailableError`, …).
   */
  readonly ready: Promise<void>
  /** Stops the subscription (a `stop` is sent) and ends the iteration; the last one closes the socket. */
  unsubscribe(): void
}

let sequence = 0

/**
 * Subscribes to a GraphQL subscription over AppSync's real-time WebSocket. All subscriptions of a
 * client share one connection, opened on the first and closed after the last; each `start` is
 * authorized with the subscription's own mode (the client's modes by default). After an unexpected
 * close the connection is reopened with jittered backoff (`realtime.reconnect` of the client) and
 * live subscriptions are started again; AppSync keeps nothing meanwhile, so refetch in
 * `onReconnected` (or on the client's `subscriptionReconnected` event). Events are buffered until
 * they are iterated. A separate function, not a method of the client, so apps that never
 * subscribe do not bundle it.
 *
 * @throws {ConfigurationError} synchronously when `client` is not from `createClient`, or the document is not a subscription.
 * @throws {PlatformNotSupportedError} synchronously when there is no WebSocket (pass `webSocket` to `createClient`).
 *
 * @example
 * ```ts
 * import { createClient, subscribe } from '@authmode/browser'
 *
 * const client = createClient({ endpoint, authMode: 'userPool', userPool: session })
 * const onPost = subscribe<{ onCreatePost: { id: string; title: string } }>(
 *   client,
 *   'subscription OnCreatePost { onCreatePost { id title } }',
 *   {},
 *   { onReconnected: () => void refetchPosts() },
 * )
 * await onPost.ready // AppSync acknowledged it
 * for await (const { onCreatePost } of onPost) console.log(onCreatePost.title)
 * // elsewhere: onPost.unsubscribe()
 * ```
 */
export function subscribe<TResult = Record<string, unknown>, TVariables = Record<string, unknown>>(
  client: Client,
  document: DocumentInput<TResult, TVariables>,
  variables?: TVariables,
  options: SubscribeOptions = {},
): Subscription<TResult> {
  const registered = configOf(client)
  if (!registered) throw new ConfigurationError('`subscribe` needs a client made by `createClient`.')
  const { config } = registered
  const { query, operationName, operationType } = prepareDocument(document, options.operationName)
  if (operationType != 'subscription') {
    throw new ConfigurationError(
      `\`subscribe\` runs subscription operations, not a ${operationType ?? 'document without an operation'}: use \`client.request\`.`,
    )
  }
  if (variables != null && (typeof variables != 'object' || Array.isArray(variables))) {
    throw new ConfigurationError('`variables` must be an object.')
  }
  const modes =
    options.authMode === undefined ? config.defaultModes : parseModes(options.authMode, config.definitions, 'authMode')
  const connection = connectionOf(config, registered.options)
  const { signal, onError, onReconnected } = options
  const id = `${String(++sequence)}-${Math.random().toString(36).slice(2)}`

  const queue: TResult[] = []
  const waiting: ((result: IteratorResult<TResult>) => void)[] = []
  const rejecting: ((error: unknown) => void)[] = []
  // Set once the subscription ended; `error` is delivered to one `next` call, then iteration is done.
  let ended: { error?: unknown } | undefined
  let resolveReady!: () => void
  let rejectReady!: (error: unknown) => void
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve
    rejectReady = reject
  })
  // An app that only iterates must not see an unhandled rejection of `ready`.
  ready.catch(() => undefined)

  const finish = (error?: unknown): void => {
    if (ended) return
    ended = error === undefined ? {} : { error }
    signal?.removeEventListener('abort', onAbort)
    rejectReady(error ?? new SubscriptionError('The subscription ended before AppSync acknowledged it.'))
    for (const [index, resolve] of waiting.entries()) {
      if (index == 0 && 'error' in ended) rejecting[0]?.(ended.error)
      else resolve({ done: true, value: undefined })
    }
    if (waiting.length && 'error' in ended) ended = {}
    waiting.length = rejecting.length = 0
  }
  const push = (value: TResult): void => {
    const resolve = waiting.shift()
    rejecting.shift()
    if (resolve) resolve({ done: false, value })
    else queue.push(value)
  }
  // A throwing callback of the app ends the subscription with its error.
  const call = (callback: (() => void) | undefined): void => {
    try {
      callback?.()
    } catch (error) {
      connection.remove(id)
      finish(error)
    }
  }
  const unsubscribe = (): void => {
    connection.remove(id)
    finish()
  }
  const onAbort = (): void => {
    connection.remove(id)
    finish(signal?.reason)
  }

  if (signal?.aborted) finish(signal.reason)
  else {
    signal?.addEventListener('abort', onAbort)
    connection.add({
      id,
      data: JSON.stringify({ query, variables: variables ?? {}, operationName }),
      modes,
      started(attempts) {
        if (!attempts) {
          resolveReady()
          return
        }
        config.events.emit('subscriptionReconnected', { operationName, attempts })
        call(onReconnected)
      },
      next(data, error) {
        if (error && !onError) {
          connection.remove(id)
          finish(error)
          return
        }
        if (error) call(() => onError?.(error))
        if (data != null && !ended) push(data as TResult)
      },
      end: finish,
    })
  }

  const iterator: AsyncIterator<TResult> = {
    next() {
      const value = queue.shift()
      if (value !== undefined) return Promise.resolve({ done: false, value })
      if (ended) {
        // Whatever ended it (a signal's reason need not be an Error), as given.
        const error = ended.error as Error | undefined
        ended = {}
        return error === undefined ? Promise.resolve({ done: true, value: undefined }) : Promise.reject(error)
      }
      return new Promise((resolve, reject) => {
        waiting.push(resolve)
        rejecting.push(reject)
      })
    },
    return() {
      unsubscribe()
      return Promise.resolve({ done: true, value: undefined })
    },
  }
  return { ready, unsubscribe, [Symbol.asyncIterator]: () => iterator }
}
