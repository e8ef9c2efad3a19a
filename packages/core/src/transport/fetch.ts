/** A URL for messages: origin and path, never the query (it may carry credentials). */
export function describeUrl(url: URL): string {
  return url.origin + url.pathname
}

/**
 * Whether the answer to a `redirect: 'manual'` fetch is a redirect, which we never follow: AppSync
 * and Cognito never redirect, and the credentials would go along. A 301, 302, 303, 307 or 308, or
 * status 0: a browser's opaque redirect (the only answer with status 0 a `cors` fetch resolves to).
 */
export function isRedirect({ status }: Response): boolean {
  return /^(0|30[12378])$/.test(String(status))
}
