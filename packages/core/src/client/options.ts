import type { ModelIntrospection } from '../amplify/amplifyConfig'
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

/** Runs before authorization, so a signature covers its changes (credential headers it sets are dropped). */
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
  /** Each request's default: one mode, an ordered list, or `'auto'` (README: "authMode: 'auto'"). */
  readonly authMode?: AuthMode | readonly AuthMode[] | 'auto' | undefined
  /** The API's modes, default first: what `auto` picks from, in this order where no rule decides. */
  readonly apiAuthModes?: readonly AuthMode[] | undefined
  /** The model introspection schema (`data.model_introspection` of amplify_outputs.json), for `auto`. */
  readonly modelIntrospection?: ModelIntrospection | undefined
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
  /** Deadline of a `request` call, retries included (default 30 000 ms; 0: none); `createAuthFetch`: none unless set. */
  readonly timeoutMs?: number | undefined
  /** The largest response body read, in bytes (default 10 MiB; 0: no limit); larger: a `ResponseParseError`. */
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
  /** The WebSocket of `subscribe` (default `globalThis.WebSocket`; `@authmode/node`: the `ws` package). */
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
  readonly authMode?: AuthMode | readonly AuthMode[] | 'auto' | undefined
  /** The call's own token for its one token mode (userPool, oidc, lambda): no provider asked, no refresh. */
  readonly authToken?: string | undefined
  readonly signal?: AbortSignal | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly timeoutMs?: number | undefined
  readonly retry?: RetryOptions | false | undefined
  /** Picks the operation to run when the document has several. */
  readonly operationName?: string | undefined
}
