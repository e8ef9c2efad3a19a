const APPSYNC_API = /^[a-z\d]+\.appsync-api\.[a-z\d-]+\.amazonaws\.com(\.cn)?$/

/**
 * The real-time URL of a GraphQL endpoint: an AppSync URL `https://<id>.appsync-api.<region>…/graphql`
 * becomes `wss://<id>.appsync-realtime-api.<region>…/graphql`; any other endpoint (a custom domain,
 * a local endpoint) keeps its host, with path `/graphql/realtime` (`wss:` for https, `ws:` for http).
 */
export function realtimeUrl({ protocol, host, hostname }: URL): URL {
  const appSync = APPSYNC_API.test(hostname)
  return new URL(
    `${protocol.replace('http', 'ws')}//${appSync ? host.replace('.appsync-api.', '.appsync-realtime-api.') : host}/graphql${appSync ? '' : '/realtime'}`,
  )
}
