import type { AuthModeDefinition } from '../auth/definition'
import type {
  ApiKeyProvider,
  AuthMode,
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  HttpRequest,
  TokenProvider,
} from '../auth/types'
import type { Clock } from '../internal/clock'
import type { Logger } from './events'
import type { RealtimeOptions, WebSocketConstructor, WebSocketLoader } from '../realtime/types'

export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  readonly limit?: number | undefined
  /** Retry mutations too (default false: they are not idempotent). */
  readonly mutations?: boolean | undefined
  /** First backoff (default 300 ms); doubles each time, with full jitter. */
  readonly baseDelayMs?: number | undefined
  /** Upper bound of one backoff (default 5000 ms). */
  readonly maxDelayMs?: number | undefined
}

/** Retry options with every default filled in. */
export interface ResolvedRetry {
  readonly limit: number
  readonly mutations: boolean
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

export interface BeforeRequestContext {
  readonly operationName: string | undefined
  readonly operationType: 'query' | 'mutation' | 'subscription' | undefined
}

/**
 * Runs after the request is built and before it is authorized (so a SigV4 signature covers what
 * the hook changed). Return a new request or nothing. Credential headers set here are dropped:
 * credentials come from the modes. `request.body` is a string for `client.request`, and may be a
 * `Uint8Array` for `createAuthFetch` (the bytes of a binary body, sent unchanged).
 */
export type BeforeRequestHook = (
  request: HttpRequest,
  context: BeforeRequestContext,
) => HttpRequest | undefined | Promise<HttpRequest | undefined>

export interface ClientHooks {
  readonly beforeRequest?: readonly BeforeRequestHook[] | undefined
}

/** Options of `createClient` and `createAuthFetch`. */
export interface ClientOptions {
  /** The GraphQL endpoint, e.g. `https://<id>.appsync-api.<region>.amazonaws.com/graphql`. */
  readonly endpoint: string | URL
  /** The API's region: read from AppSync endpoints; required with `iam` on a custom domain. */
  readonly region?: string | undefined
  /** The default mode of every request: one mode or an ordered list, e.g. `['userPool', 'iam']`. */
  readonly authMode?: AuthMode | readonly AuthMode[] | undefined
  readonly apiKey?: string | ApiKeyProvider | undefined
  /** Cognito user pool JWT. */
  readonly userPool?: string | TokenProvider | undefined
  readonly oidc?: string | TokenProvider | undefined
  /** Lambda authorizer token. */
  readonly lambda?: string | TokenProvider | undefined
  /** AWS credentials or an AWS SDK v3 credentials provider, for `iam`. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined
  /** Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined
  /** Headers added to every request (credential headers are not allowed here). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /**
   * Deadline of one `request` call including its retries (default 30 000 ms; 0 for none). A
   * `createAuthFetch` function applies it only when it is set: like `fetch`, it has none otherwise.
   */
  readonly timeoutMs?: number | undefined
  /**
   * The largest response body `request` reads, in bytes (default 10 MiB; 0 for no limit): a larger
   * one (by its Content-Length, or counted as it streams) is a `ResponseParseError`, not retried.
   * `createAuthFetch` applies it only to the bodies it reads itself (those of a 400, 401 or 403, to
   * judge them); the `Response` it returns is the caller's to read.
   */
  readonly maxResponseBytes?: number | undefined
  /** Backoff retries of queries on 429, 5xx and network failures; `false` for none. */
  readonly retry?: RetryOptions | false | undefined
  readonly hooks?: ClientHooks | undefined
  /** Where events are logged (default: warnings to `console.warn`; `null` for silence). */
  readonly logger?: Logger | null | undefined
  /** Time source, for tests; the client keeps its own server-clock offset on top. */
  readonly clock?: Clock | undefined
  /** Extra or replacement mode definitions (the registry), e.g. `[iamMode()]` with the bare core. */
  readonly modes?: readonly AuthModeDefinition[] | undefined
  /**
   * The WebSocket of `subscribe`: default `globalThis.WebSocket` (browsers, Node 22+); `@authmode/node`
   * defaults to the `ws` package, imported on the first subscription.
   */
  readonly webSocket?: WebSocketConstructor | WebSocketLoader | undefined
  /** Subscriptions: how the connection is authorized, and reconnection. */
  readonly realtime?: RealtimeOptions | undefined
  /**
   * The real-time URL (`wss://…`) when it is not derived from `endpoint` (a proxy). The connection's
   * header still names the endpoint's host, which IAM signs.
   */
  readonly realtimeEndpoint?: string | URL | undefined
}

/** Options of one `client.request` call; each overrides the client's. */
export interface RequestOptions {
  readonly authMode?: AuthMode | readonly AuthMode[] | undefined
  /** The call's own token for its one token mode (userPool, oidc, lambda): no provider asked, no refresh. */
  readonly authToken?: string | undefined
  readonly signal?: AbortSignal | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly timeoutMs?: number | undefined
  readonly retry?: RetryOptions | false | undefined
  /** Picks the operation to run when the document has several. */
  readonly operationName?: string | undefined
}
