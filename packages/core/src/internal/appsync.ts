// AppSync's own GraphQL host, `<id>.appsync-api.<region>.amazonaws.com` (`.cn` in China). The one
// spelling of it: the region of `iam`, the real-time URL and the Node default credentials read it.
const APPSYNC_HOST = /^[a-z\d]+\.appsync-api\.([a-z\d-]+)\.amazonaws\.com(\.cn)?$/

/** The region of an AppSync endpoint, or undefined for any other host (a custom domain, a local endpoint). */
export function appSyncRegion({ hostname }: URL): string | undefined {
  return APPSYNC_HOST.exec(hostname)?.[1]
}
