import {
  createClient as createCoreClient,
  iamMode,
  type AuthFetch,
  type Client,
  type ClientOptions,
} from '@authmode/core'
import { NodeSha256 } from './sha256'

export * from '@authmode/core'
export { NodeSha256 } from './sha256'

/**
 * `createClient` of `@authmode/core` with Node defaults: every mode registered, and SigV4 signing
 * with Node's native SHA-256. Anything you pass wins.
 *
 * @example
 * ```ts
 * import { createClient } from '@authmode/node'
 * import { fromNodeProviderChain } from '@aws-sdk/credential-providers'
 *
 * const client = createClient({ endpoint, authMode: 'iam', credentials: fromNodeProviderChain() })
 * ```
 */
export function createClient(options: ClientOptions): Client {
  return createCoreClient(withNodeDefaults(options))
}

/** `createAuthFetch` of `@authmode/core` with the Node defaults of `createClient`. */
export function createAuthFetch(options: ClientOptions): AuthFetch {
  return createClient(options).fetch
}

function withNodeDefaults(options: ClientOptions): ClientOptions {
  return { ...options, modes: [iamMode({ sha256: NodeSha256 }), ...(options.modes ?? [])] }
}
