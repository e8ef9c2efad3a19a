import { startAuthorization } from '../auth/authorizer'
import { callToken } from '../auth/token'
import type { AuthMode } from '../auth/types'
import { ConfigurationError } from '../errors/ConfigurationError'
import type { Client } from './createClient'
import { modesOf, resolveConfig, type ClientDefaults, type ResolvedConfig } from './config'
import { withDeadline } from './deadline'
import type { ClientOptions } from './options'
import { runHooks } from './pipeline'
import { configOf } from './registry'
import { normalizeHeaders, withoutCredentialHeaders } from '../internal/headers'
import { serviceHostRegion } from '../internal/serviceHost'
import { sendAuthorized } from './send'

/** `fetch`, with an optional per-call `authMode` and `authToken`. */
export type AuthFetch = (input: Request | string | URL, init?: AuthFetchInit) => Promise<Response>
export type AuthFetchInit = RequestInit & {
  readonly authMode?: AuthMode | readonly AuthMode[] | 'auto' | undefined
  /** This call's token for its one token mode, as in `client.request`. */
  readonly authToken?: string | undefined
}

/** Which URLs a `createAuthFetch` function sends credentials to, and what `iam` signs them for. */
export interface AuthFetchOptions {
  /** Origins that get credentials besides the endpoint's, e.g. `['https://api.example.com']` (paths ignored). */
  readonly origins?: readonly (string | URL)[] | undefined
  /** Any other URL: `'refuse'` (default: a `ConfigurationError`, nothing sent) or `'passThrough'` (no credentials). */
  readonly otherOrigins?: 'refuse' | 'passThrough' | undefined
  /** The AWS service `iam` signs for: `appsync` (default), `execute-api`, `lambda`, `s3`, …. */
  readonly service?: string | undefined
}

/**
 * A `fetch` that authorizes each call last, over the exact bytes sent (for graphql-request, Apollo, urql
 * or an IAM-protected API), from `createClient`'s options or a client; an init may carry `authMode`.
 * Like `fetch`, it returns every answer as the `Response` (a 401 after its one refresh and retry too),
 * has no timeout unless `timeoutMs` is set, and follows no redirect (an `HttpError`). See the README.
 *
 * @example new GraphQLClient(endpoint, { fetch: createAuthFetch({ endpoint, authMode: 'apiKey', apiKey }) })
 */
export function createAuthFetch(from: ClientOptions | Client, options?: AuthFetchOptions): AuthFetch {
  return authFetchWith(undefined, from, options)
}

/** `createAuthFetch` with an environment's defaults under the options (a client has them already). */
export function authFetchWith(
  defaults: ClientDefaults | undefined,
  from: ClientOptions | Client,
  { origins = [], otherOrigins = 'refuse', service = 'appsync' }: AuthFetchOptions = {},
): AuthFetch {
  if (typeof service !== 'string' || !/^[a-z][a-z\d-]*$/.test(service)) {
    fail(
      `\`service\` must be an AWS service name as SigV4 scopes it, in lower case, e.g. "execute-api" or "lambda", not ${JSON.stringify(service)}.`,
    )
  }
  const config = configOf(from) ?? resolveConfig(withHostRegion(from as ClientOptions), defaults)
  if (!['refuse', 'passThrough'].includes(otherOrigins)) fail('`otherOrigins` must be "refuse" or "passThrough".')
  const allowed = new Set([config.endpoint.origin, ...origins.map(originOf)])
  return (input, init) =>
    authFetch(config, { allowed, passThrough: otherOrigins === 'passThrough', service }, input, init)
}

/** Options whose `endpoint` is an API Gateway or Lambda function URL: its region, unless `region` is given. */
function withHostRegion(options: ClientOptions): ClientOptions {
  if (options.region !== undefined || typeof options !== 'object' || !(options as unknown)) return options
  try {
    return { ...options, region: serviceHostRegion(new URL(options.endpoint)) }
  } catch {
    // resolveConfig says what is wrong with the endpoint
    return options
  }
}

interface Scope {
  readonly allowed: ReadonlySet<string>
  readonly passThrough: boolean
  readonly service: string
}

function originOf(value: string | URL): string {
  try {
    const url = new URL(value)
    if (/^https?:$/.test(url.protocol)) return url.origin
  } catch {
    // said below
  }
  return fail(
    `\`origins\` must hold absolute http(s) URLs, e.g. "https://api.example.com", not ${JSON.stringify(String(value))}.`,
  )
}

function fail(message: string): never {
  throw new ConfigurationError(`createAuthFetch: ${message}`)
}

async function authFetch(
  config: ResolvedConfig,
  { allowed, passThrough, service }: Scope,
  input: Request | string | URL,
  { authMode, authToken, ...init }: AuthFetchInit = {},
): Promise<Response> {
  const source = input instanceof Request ? input : undefined
  const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input)
  if (!allowed.has(url.origin)) {
    if (passThrough) return config.fetch(input, init)
    fail(
      `${url.origin} is neither the endpoint's origin nor in \`origins\`, so it gets no credentials: list it in \`origins\`, or pass \`otherOrigins: 'passThrough'\` to send such calls without credentials.`,
    )
  }
  const given = init.body
  // A string as it is; any other body read once as bytes, never decoded (a retry resends them). The
  // init's body, else the Request's.
  let body: string | Uint8Array | undefined
  // The media type `fetch` would derive from the init's body (text/plain for a string, form types,
  // a Blob's type): set before signing, so that no header is sent that the signature does not cover.
  let bodyType: string | null = null
  if (typeof given === 'string') {
    body = given
    bodyType = 'text/plain;charset=UTF-8'
  } else if (given != null) {
    const extracted = new Response(given)
    bodyType = extracted.headers.get('content-type')
    body = new Uint8Array(await extracted.arrayBuffer())
  } else if (source?.body) {
    body = new Uint8Array(await source.clone().arrayBuffer())
  }
  const modes = modesOf(config, authMode)
  const token = callToken(modes, authToken)
  // The host's region where it has one (API Gateway, Lambda URLs); left out otherwise, for the client's.
  const region = serviceHostRegion(url)
  const signing = region ? { service, region } : { service }
  const request = await runHooks(
    config,
    {
      method: (init.method ?? source?.method ?? 'GET').toUpperCase(),
      url,
      headers: {
        ...(bodyType ? { 'content-type': bodyType } : {}),
        ...config.headers,
        // As in `fetch`, the init's headers replace the Request's.
        ...withoutCredentialHeaders(normalizeHeaders(init.headers ?? source?.headers)),
      },
      body,
    },
    undefined,
    undefined,
  )
  // A rejection that outlives the refresh and retry comes back as that last answer (its body
  // unread: send.ts reads a clone), where `client.request` throws `UnauthorizedError`.
  return withDeadline(
    request,
    init.signal ?? source?.signal,
    config.fetchTimeoutMs,
    async (signal) =>
      (
        await sendAuthorized(
          config,
          request,
          // `auto` reads a GraphQL body's operation, else learns by method and URL.
          startAuthorization(config, modes, {
            signal,
            signing,
            token,
            operation: { key: `${request.method} ${url.origin}${url.pathname}`, body: request.body },
          }),
          { signal, readAll: false },
        )
      ).response,
  )
}
