import type { ResolvedConfig } from './config'

// Keyed by the client object, so a client nobody holds any more is forgotten with it.
const registry = new WeakMap<object, ResolvedConfig>()

/** Remembers a client's resolved config, for the entry points that are not its methods; returns the client. */
export function registerClient<TClient extends object>(config: ResolvedConfig, client: TClient): TClient {
  registry.set(client, config)
  return client
}

/** The config of a client made by `createClient`, or undefined for anything else. */
export function configOf(client: unknown): ResolvedConfig | undefined {
  return typeof client === 'object' && client ? registry.get(client) : undefined
}
