import type { ResolvedConfig } from './config'
import type { ClientOptions } from './options'

/** What a client was made from: for entry points that are not methods of the client (`subscribe`). */
export interface RegisteredClient {
  readonly config: ResolvedConfig
  readonly options: ClientOptions
}

// Keyed by the client object, so a client nobody holds any more is forgotten with it.
const registry = new WeakMap<object, RegisteredClient>()

/** Remembers a client's resolved config and options; returns the client. */
export function registerClient<TClient extends object>(
  config: ResolvedConfig,
  options: ClientOptions,
  client: TClient,
): TClient {
  registry.set(client, { config, options })
  return client
}

/** The config and options of a client made by `createClient`, or undefined for anything else. */
export function configOf(client: unknown): RegisteredClient | undefined {
  return typeof client == 'object' && client ? registry.get(client) : undefined
}
