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
  readonly authMode?: AuthMode | readonly AuthMode[] | undefined
  /** This call's token for its one token mode, as in `client.request`. */
  readonly authToken?: string | undefined
}

/** Which URLs a `createAuthFetch` function sends credentials to, and what `iam` signs them for. */
export interface AuthFetchOptions {
  /**
   * Origins that receive credentials besides the endpoint's, e.g. `['https://api.example.com']`
   * (scheme, host and port: a URL's path and query are ignored).
   */
  readonly origins?: readonly (string | URL)[] | undefined
  /**
   * A URL of any other origin: `'refuse'` (default) rejects the call with a `ConfigurationError`,
   * sending nothing; `'passThrough'` hands it to `fetch` as given, without credentials, the client's
   * headers or hooks.
   */
  readonly otherOrigins?: 'refuse' | 'passThrough' | undefined
  /**
   * The AWS service `iam` signs for (SigV4's credential scope): `appsync` (default), `execute-api`
   * (API Gateway), `lambda` (function URLs), `s3`, …. The region is read from an API Gateway or
   * Lambda function URL host (`<id>.execute-api.<region>.amazonaws.com`,
   * `<id>.lambda-url.<region>.on.aws`); for any other host it is the client's `region`.
   */
  readonly service?: string | undefined
}

/**
 * A `fetch`-compatible function that authorizes each call last, over the exact bytes sent, so
 * graphql-request, Apollo's HttpLink or urql can use it. Takes the options of `createClient`, or a
 * client (to share its identities, events and clock); each call may carry `authMode` and
 * `authToken` in its init. Apps that only use it bundle none of `client.request` (document
 * scanning, GraphQL errors).
 *
 * Credentials go only to the endpoint's origin and the `origins` listed in `options`; a URL of any
 * other origin is refused, or passed through untouched with `otherOrigins: 'passThrough'`. A
 * redirect is never followed, whatever the init's `redirect` says: a 3xx (or a browser's opaque
 * redirect) is an `HttpError`, and nothing is sent to its location.
 *
 * `iam` signs for AppSync unless `options.service` names another service: then any method, query
 * and body is signed for API Gateway (`execute-api`), a Lambda function URL (`lambda`) or another
 * IAM-protected HTTP endpoint, with the same credentials, clock correction and retry.
 *
 * It sends the caller's bytes unchanged, as `fetch` would: a string as UTF-8, any other body
 * (bytes, a `Blob`, form data, a stream) as its bytes, with the content-type `fetch` derives; the
 * body is read once, so the retry sends it again. With a `Request`, the init's method, body and
 * headers win, and the init's headers replace the Request's, as in `fetch`.
 *
 * Like `fetch`, it has no timeout of its own unless `timeoutMs` is given: the caller's `signal`
 * (the GraphQL client's) decides. Mode fallback, one refresh and retry after a 401 and clock
 * correction work as in `client.request`. Every answer comes back as the `Response`, as `fetch`
 * gives it, so the GraphQL client sees a 401 as it expects: an authorization failure that survives
 * the refresh and retry is that last answer (where `client.request` throws `UnauthorizedError`).
 * It throws only where there is no answer to hand back: no usable mode (`NoAuthModeAvailableError`),
 * an identity it cannot get, a URL it may not authorize, a redirect, a network error, an abort or
 * timeout, or an authorization failure's body over `maxResponseBytes`.
 *
 * @example
 * ```ts
 * import { GraphQLClient } from 'graphql-request'
 * const fetch = createAuthFetch({ endpoint, apiKey: 'da2-…', authMode: 'apiKey' })
 * const gql = new GraphQLClient(endpoint, { fetch })
 *
 * // API Gateway (IAM authorization), with the credentials of the same client:
 * const rest = createAuthFetch(client, { origins: ['https://a1b2c3.execute-api.eu-west-1.amazonaws.com'], service: 'execute-api' })
 * await rest('https://a1b2c3.execute-api.eu-west-1.amazonaws.com/prod/items?limit=10')
 * ```
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
        await sendAuthorized(config, request, startAuthorization(config, modes, { signal, signing, token }), {
          signal,
          readAll: false,
        })
      ).response,
  )
}
