import { iamMode, type AuthFetch, type AuthFetchOptions, type Client, type ClientOptions } from '@authmode/core'
import { authFetchWith, clientWith, type ClientDefaults } from '@authmode/core/internal'
import { lazyNodeProviderChain } from './nodeProviderChain'
import { NodeSha256, nodeBuiltins } from './sha256'
import { lazyWs } from './webSocket'

// The public surface of the core (never its internal entry), plus what only Node has. Every value
// exported here needs a twin in ./unsupported, the entry browser bundles get.
export * from '@authmode/core'
export { lazyNodeProviderChain } from './nodeProviderChain'
export { NodeSha256 } from './sha256'
// Sessions in cookies for server-side rendering: Web-standard, so the browser stub has them too.
export { cookieStorage, requestCookies } from '@authmode/core/cookies'
export type { CookieAttributes, CookieJar, CookieStorageOptions, RequestCookies } from '@authmode/core/cookies'

/**
 * `createClient` of `@authmode/core` with Node defaults: every mode registered, SigV4 signing
 * with Node's native SHA-256, and, when `credentials` are left out, the AWS SDK's default Node
 * credential chain (environment/Lambda, profiles, ECS, EC2 IMDSv2), loaded on the first request
 * that uses `iam` (see `lazyNodeProviderChain`), and, for `subscribe`, the runtime's WebSocket, or where
 * there is none (Node 20) the `ws` package's, loaded on the first subscription. Anything you pass wins.
 *
 * The default credentials never change the default mode you chose: with `authMode` unset, a client
 * configured with one other mode (say `apiKey`) still defaults to it, and `iam` is there per
 * request; a client configured with no mode at all defaults to `iam`. A client that does not ask
 * for `iam` and whose region is unknown (a custom domain without `region`) gets no default
 * credentials, since SigV4 needs the region.
 *
 * @example
 * ```ts
 * import { createClient } from '@authmode/node'
 *
 * // On Lambda, ECS or EC2: signs with the role's credentials from the environment.
 * const client = createClient({ endpoint })
 * // API key by default, IAM when asked.
 * const both = createClient({ endpoint, apiKey: process.env.API_KEY })
 * await both.request(QUERY, {}, { authMode: 'iam' })
 * ```
 */
export function createClient(options: ClientOptions): Client {
  return clientWith(nodeDefaults(), options)
}

/** `createAuthFetch` of `@authmode/core` with the Node defaults of `createClient`. */
export function createAuthFetch(from: ClientOptions | Client, options?: AuthFetchOptions): AuthFetch {
  return authFetchWith(nodeDefaults(), from, options)
}

// A new chain for each client: its credentials are cached per client, as the user's would be.
// Without `process` (a bundle of this entry in a worker) the core's own SHA-256 signs.
const nodeDefaults = (): ClientDefaults => ({
  modes: [iamMode(nodeBuiltins() ? { sha256: NodeSha256 } : {})],
  webSocket: lazyWs,
  credentials: lazyNodeProviderChain(),
})
