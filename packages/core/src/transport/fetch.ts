/** A URL for messages: origin and path, never the query (it may carry credentials). */
export function describeUrl(url: URL): string {
  return url.origin + url.pathname
}
