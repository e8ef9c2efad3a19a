import { callToken } from '../auth/token'
import type { AuthMode } from '../auth/types'
import { modesOf } from '../client/config'
import type { Client } from '../client/createClient'
import { configOf } from '../client/registry'
import { ConfigurationError } from '../errors/ConfigurationError'
import type { GraphQLResponseError } from '../errors/GraphQLResponseError'
import { SubscriptionError } from '../errors/SubscriptionError'
import { prepareDocument, type DocumentInput } from '../graphql/document'
import { connectionOf, noop, type SubscriptionSink } from './connection'

/** Options of one `subscribe` call. */
export interface SubscribeOptions {
  /** This subscription's mode or ordered list (default: the client's); each subscription may use its own. */
  readonly authMode?: AuthMode | readonly AuthMode[] | undefined
  /**
   * Its own token for its one token mode (userPool, oidc, lambda), sent with its `start` (and the
   * connect, when no other subscription can authorize it) for its whole life, reconnects included.
   */
  readonly authToken?: string | undefined
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
  /**
   * How many events may wait unread (default 1000; a whole number, at least 1; `Infinity` is refused,
   * a bound is the point). One more, and the subscription is stopped (a `stop` is sent) and the
   * iteration yields the waiting events, then rejects with a `SubscriptionError`; nothing is dropped
   * silently. Only events nobody has asked for yet count: a loop that keeps up never reaches it.
   *
   * @example
   * ```ts
   * // a consumer that may fall behind by bursts of up to 5000 events
   * for await (const event of subscribe(client, onChange, {}, { maxBuffered: 5000 })) await save(event)
   * ```
   */
  readonly maxBuffered?: number | undefined
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

// An event, the end, or the error that ended the subscription (a rejected promise).
type Result<TResult> = IteratorResult<TResult> | Promise<never>

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined }
let sequence = 0

/**
 * Subscribes to a GraphQL subscription over AppSync's real-time WebSocket. All subscriptions of a
 * client share one connection, opened on the first and closed after the last; each `start` is
 * authorized with the subscription's own mode (the client's modes by default). After an unexpected
 * close the connection is reopened with jittered backoff (`realtime.reconnect` of the client) and
 * live subscriptions are started again; AppSync keeps nothing meanwhile, so refetch in
 * `onReconnected` (or on the client's `subscriptionReconnected` event). Events are buffered until
 * they are iterated, up to `maxBuffered` of them. A separate function, not a method of the client,
 * so apps that never subscribe do not bundle it.
 *
 * @throws {ConfigurationError} synchronously when `client` is not from `createClient`, the document
 * is not a subscription, or `maxBuffered` is not a whole number ≥ 1.
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
  const config = configOf(client)
  if (!config) throw new ConfigurationError('`subscribe` needs a client made by `createClient`.')
  const { signal, onError, onReconnected, authMode, maxBuffered = 1000 } = options
  const { query, operationName, operationType } = prepareDocument(document, options.operationName)
  if (operationType !== 'subscription')
    throw new ConfigurationError(
      `\`subscribe\` takes a subscription, not a ${operationType ?? 'document without an operation'}: use \`client.request\`.`,
    )
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables)))
    throw new ConfigurationError('`variables` must be an object.')
  if (!(Number.isInteger(maxBuffered) && maxBuffered > 0))
    throw new ConfigurationError('`maxBuffered` must be a whole number ≥ 1.')
  const modes = modesOf(config, authMode)
  const token = callToken(modes, options.authToken)
  const connection = connectionOf(config)

  // Events (or the error that ended it) not asked for yet, and the `next` calls waiting for one.
  const results: Result<TResult>[] = []
  const waiting: ((result: Result<TResult>) => void)[] = []
  let ended = false
  // Got a start_ack: a later one is a restart after a reconnection.
  let live = false
  let resolveReady!: () => void
  let rejectReady!: (error: unknown) => void
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve
    rejectReady = reject
  })
  // An app that only iterates must not see an unhandled rejection of `ready`.
  ready.catch(noop)

  const deliver = (result: Result<TResult>): void => {
    const resolve = waiting.shift()
    if (resolve) resolve(result)
    else results.push(result)
  }
  // Every way it ends (the app, its signal, the connection, AppSync): the error goes to one `next` call.
  const stop = (error?: unknown): void => {
    connection.remove(sub)
    if (ended) return
    ended = true
    signal?.removeEventListener('abort', onAbort)
    rejectReady(error ?? new SubscriptionError('The subscription ended before its start_ack.'))
    if (error !== undefined) {
      // Whatever ended it (a signal's reason need not be an Error), as given.
      const reason = error as Error
      const failed = Promise.reject(reason)
      failed.catch(noop)
      deliver(failed)
    }
    for (const resolve of waiting.splice(0)) resolve(DONE)
  }
  const onAbort = (): void => {
    stop(signal?.reason)
  }
  // A throwing callback of the app ends the subscription with its error.
  const call = (callback: (() => void) | undefined): void => {
    try {
      callback?.()
    } catch (error) {
      stop(error)
    }
  }
  const sub: SubscriptionSink = {
    id: String(++sequence),
    data: JSON.stringify({ query, variables: variables ?? {}, operationName }),
    modes,
    token,
    started(attempts) {
      if (live) {
        config.events.emit('subscriptionReconnected', { operationName, attempts })
        call(onReconnected)
      }
      live = true
      resolveReady()
    },
    next(data, error) {
      // Without onError, GraphQL errors end it.
      if (error)
        call(() => {
          if (!onError) throw error
          onError(error)
        })
      if (data != null && !ended) {
        // `results` holds only events while it runs. The error goes after them, where this event would.
        if (results.length < maxBuffered) deliver({ done: false, value: data as TResult })
        else stop(new SubscriptionError(`${maxBuffered} events unread: read faster or raise \`maxBuffered\`.`))
      }
    },
    end: stop,
  }

  if (signal?.aborted) onAbort()
  else {
    signal?.addEventListener('abort', onAbort)
    connection.add(sub)
  }

  const iterator: AsyncIterator<TResult> = {
    next: () =>
      Promise.resolve(
        results.shift() ?? (ended ? DONE : new Promise<Result<TResult>>((resolve) => waiting.push(resolve))),
      ),
    return() {
      stop()
      return Promise.resolve(DONE)
    },
  }
  return {
    ready,
    unsubscribe: () => {
      stop()
    },
    [Symbol.asyncIterator]: () => iterator,
  }
}
