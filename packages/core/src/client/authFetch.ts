import { startAuthorization } from '../auth/authorizer'
import type { AuthMode } from '../auth/types'
import type { Client } from './createClient'
import { modesOf, resolveConfig, type ClientDefaults, type ResolvedConfig } from './config'
import { withDeadline } from './deadline'
import type { ClientOptions } from './options'
import { runHooks } from './pipeline'
import { configOf } from './registry'
import { normalizeHeaders, withoutCredentialHeaders } from '../internal/headers'
import { sendAuthorized } from './send'

/** `fetch`, with an optional per-call `authMode`. */
export type AuthFetch = (input: Request | string | URL, init?: AuthFetchInit) => Promise<Response>
export type AuthFetchInit = RequestInit & { readonly authMode?: AuthMode | readonly AuthMode[] | undefined }

/**
 * A `fetch`-compatible function that authorizes each call last, over the exact bytes sent, so
 * graphql-request, Apollo's HttpLink or urql can use it. Takes the options of `createClient`, or a
 * client (to share its identities, events and clock); each call may carry `authMode` in its init.
 * Apps that only use it bundle none of `client.request` (document scanning, GraphQL errors).
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
 * It throws only where there is no answer: no usable mode (`NoAuthModeAvailableError`), an identity
 * it cannot get, a network error, an abort or timeout.
 *
 * @example
 * ```ts
 * import { GraphQLClient } from 'graphql-request'
 * const fetch = createAuthFetch({ endpoint, apiKey: 'da2-…', authMode: 'apiKey' })
 * const gql = new GraphQLClient(endpoint, { fetch })
 * ```
 */
export function createAuthFetch(from: ClientOptions | Client): AuthFetch {
  return authFetchWith(undefined, from)
}

/** `createAuthFetch` with an environment's defaults under the options (a client has them already). */
export function authFetchWith(defaults: ClientDefaults | undefined, from: ClientOptions | Client): AuthFetch {
  const config = configOf(from) ?? resolveConfig(from as ClientOptions, defaults)
  return (input, init) => authFetch(config, input, init)
}

async function authFetch(
  config: ResolvedConfig,
  input: Request | string | URL,
  { authMode, ...init }: AuthFetchInit = {},
): Promise<Response> {
  const source = input instanceof Request ? input : undefined
  const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input)
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
        await sendAuthorized(config, request, startAuthorization(config, modes, { signal }), {
          signal,
          readAll: false,
        })
      ).response,
  )
}
