import { callToken } from '../auth/token'
import type { AuthMode } from '../auth/types'
import { modesOf } from '../client/config'
import type { Client } from '../client/createClient'
import { configOf } from '../client/registry'
import { ConfigurationError } from '../errors/ConfigurationError'
import type { GraphQLResponseError } from '../errors/GraphQLResponseError'
import { SubscriptionError } from '../errors/SubscriptionError'
import { prepareDocument, type AnyVariables, type DocumentInput } from '../graphql/document'
import { connectionOf, noop, type SubscriptionSink } from './connection'

/** Options of one `subscribe` call; `next`, `error`, `complete` observe it without a loop. */
export interface SubscribeOptions<TResult = unknown> {
  /** This subscription's mode or ordered list (default: the client's); each subscription may use its own. */
  readonly authMode?: AuthMode | readonly AuthMode[] | 'auto' | undefined
  /** Its own token for its one token mode, sent with each `start` (reconnects included). */
  readonly authToken?: string | undefined
  /** Aborting stops the subscription (a `stop` is sent) and the iteration rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined
  /** Picks the operation when the document has several. */
  readonly operationName?: string | undefined
  /** GraphQL errors of an event: with it the subscription goes on; without, the iteration ends with them. */
  readonly onError?: ((error: GraphQLResponseError) => void) | undefined
  /** Live again after a lost connection; AppSync kept nothing meanwhile, so refetch here. */
  readonly onReconnected?: (() => void) | undefined
  /** Events that may wait unread (default 1000); one more stops it with a `SubscriptionError`, none dropped. */
  readonly maxBuffered?: number | undefined
  /** Each event's `data` (instead of iterating); a throw ends the subscription with that error. */
  readonly next?: ((data: TResult) => void) | undefined
  /** The error that ended it (with `next`); without, an unhandled rejection. */
  readonly error?: ((error: unknown) => void) | undefined
  /** It ended without an error (`unsubscribe`), with `next`. */
  readonly complete?: (() => void) | undefined
}

/** A running subscription: iterate it (`for await`) for each event's `data`. */
export interface Subscription<TResult> extends AsyncIterable<TResult> {
  /** Resolves once AppSync acknowledged it (`start_ack`); rejects with the error when it could not start. */
  readonly ready: Promise<void>
  /** Stops the subscription (a `stop` is sent) and ends the iteration; the last one closes the socket. */
  unsubscribe(): void
}

// An event, the end, or the error that ended the subscription (a rejected promise).
type Result<TResult> = IteratorResult<TResult> | Promise<never>

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined }
let sequence = 0

/**
 * Subscribes over AppSync's real-time WebSocket (one per client), each `start` authorized with the
 * subscription's modes; reconnects with backoff after a lost connection. Throws `ConfigurationError`
 * (or `PlatformNotSupportedError` without a WebSocket) synchronously. See the README's "Subscriptions".
 *
 * @example
 * const onPost = subscribe<{ onCreatePost: { title: string } }>(client, 'subscription { onCreatePost { title } }')
 * for await (const { onCreatePost } of onPost) console.log(onCreatePost.title)
 * // or: subscribe(client, doc, undefined, { next: (data) => …, error: (e) => … })
 */
export function subscribe<TResult = Record<string, unknown>, TVariables = AnyVariables>(
  client: Client,
  document: DocumentInput<TResult, TVariables>,
  variables?: TVariables,
  options: SubscribeOptions<TResult> = {},
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
    operation: { query, operationName, operationType },
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
  const subscription: Subscription<TResult> = {
    ready,
    unsubscribe: () => {
      stop()
    },
    [Symbol.asyncIterator]: () => iterator,
  }
  // Observer callbacks: the loop, run for the app (issue 19).
  const { next, error, complete } = options
  if (next)
    void (async () => {
      for await (const data of subscription) next(data)
      complete?.()
    })().catch(error)
  return subscription
}
