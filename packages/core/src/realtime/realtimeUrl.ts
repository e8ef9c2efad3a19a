import { appSyncRegion } from '../internal/appsync'

/**
 * The real-time URL: `realtimeEndpoint` when given (a copy), else derived from the GraphQL
 * endpoint: an AppSync URL `https://<id>.appsync-api.<region>…/graphql` becomes
 * `wss://<id>.appsync-realtime-api.<region>…/graphql`; any other endpoint (a custom domain, a local
 * endpoint) keeps its host, with path `/graphql/realtime` (`wss:` for https, `ws:` for http).
 */
export function realtimeUrl(endpoint: URL, override?: URL): URL {
  if (override) return new URL(override)
  const { protocol, host } = endpoint
  const appSync = appSyncRegion(endpoint) !== undefined
  return new URL(
    `${protocol.replace('http', 'ws')}//${appSync ? host.replace('.appsync-api.', '.appsync-realtime-api.') : host}/graphql${appSync ? '' : '/realtime'}`,
  )
}
