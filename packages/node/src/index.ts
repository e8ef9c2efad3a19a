import {
  createAuthFetch as createCoreAuthFetch,
  createClient as createCoreClient,
  iamMode,
  type AuthFetch,
  type AuthMode,
  type Client,
  type ClientOptions,
} from '@authmode/core'
import { lazyNodeProviderChain } from './nodeProviderChain'
import { NodeSha256 } from './sha256'
import { lazyWs } from './webSocket'

// The public surface of the core (never its internal entry), plus what only Node has. Every value
// exported here needs a twin in ./unsupported, the entry browser bundles get.
export * from '@authmode/core'
export { lazyNodeProviderChain } from './nodeProviderChain'
export { NodeSha256 } from './sha256'

/**
 * `createClient` of `@authmode/core` with Node defaults: every mode registered, SigV4 signing
 * with Node's native SHA-256, and, when `credentials` are left out, the AWS SDK's default Node
 * credential chain (environment/Lambda, profiles, ECS, EC2 IMDSv2), loaded on the first request
 * that uses `iam` (see `lazyNodeProviderChain`), and, for `subscribe`, the `ws` package's WebSocket,
 * loaded on the first subscription. Anything you pass wins.
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
  return createCoreClient(withNodeDefaults(options))
}

/** `createAuthFetch` of `@authmode/core` with the Node defaults of `createClient`. */
export function createAuthFetch(from: ClientOptions | Client): AuthFetch {
  // A client already has the defaults (and shares its identities); options get them here.
  return createCoreAuthFetch(
    typeof (from as Partial<Client> | null)?.request == 'function' ? from : withNodeDefaults(from as ClientOptions),
  )
}

const APPSYNC_HOST = /\.appsync-api\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com(?:\.cn)?$/

// The options of the modes other than iam, by the mode they configure.
const MODE_OPTIONS = [
  ['apiKey', 'apiKey'],
  ['userPool', 'userPool'],
  ['oidc', 'oidc'],
  ['lambda', 'lambda'],
] as const satisfies readonly (readonly [AuthMode, keyof ClientOptions])[]

function withNodeDefaults(options: ClientOptions): ClientOptions {
  const withModes = {
    ...options,
    modes: [iamMode({ sha256: NodeSha256 }), ...(options.modes ?? [])],
    webSocket: options.webSocket ?? lazyWs,
  }
  if (options.credentials !== undefined) return withModes
  // Without `authMode` the core takes the one configured mode as the default: the default
  // credentials must not make that ambiguous, so the default mode is named here.
  const configured = MODE_OPTIONS.filter(([, option]) => options[option] !== undefined).map(([mode]) => mode)
  const authMode = options.authMode ?? (configured.length > 1 ? undefined : (configured[0] ?? 'iam'))
  if (authMode === undefined) return withModes // several modes: the core asks for `authMode`, as without the default
  const modes: readonly AuthMode[] = typeof authMode === 'string' ? [authMode] : authMode
  // SigV4 needs the API's region: a client that does not ask for iam and has none (a custom
  // domain or local endpoint without `region`) gets no default credentials rather than an error.
  if (!modes.includes('iam') && !regionKnown(options)) return { ...withModes, authMode }
  return { ...withModes, credentials: lazyNodeProviderChain(), authMode }
}

function regionKnown(options: ClientOptions): boolean {
  if (options.region !== undefined) return true
  try {
    return APPSYNC_HOST.test(new URL(options.endpoint).hostname)
  } catch {
    return false // the core reports the endpoint
  }
}
