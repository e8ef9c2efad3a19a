const APPSYNC_API = /^[a-z\d]+\.appsync-api\.[a-z\d-]+\.amazonaws\.com(\.cn)?$/

/**
 * The real-time URL of a GraphQL endpoint: an AppSync URL `https://<id>.appsync-api.<region>…/graphql`
 * becomes `wss://<id>.appsync-realtime-api.<region>…/graphql`; any other endpoint (a custom domain,
 * a local endpoint) keeps its host, with path `/graphql/realtime` (`wss:` for https, `ws:` for http).
 */
export function realtimeUrl(endpoint: URL): URL {
  const url = new URL(endpoint.origin)
  url.protocol = endpoint.protocol == 'http:' ? 'ws:' : 'wss:'
  if (APPSYNC_API.test(endpoint.hostname)) {
    url.hostname = endpoint.hostname.replace('.appsync-api.', '.appsync-realtime-api.')
    url.pathname = '/graphql'
  } else {
    url.pathname = '/graphql/realtime'
  }
  return url
}
