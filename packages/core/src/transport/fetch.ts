import type { HttpRequest } from '../auth/types'

/** Sends a plain request with `fetch`; the request is built here, at the boundary, never earlier. */
export function sendWithFetch(
  fetchImpl: typeof globalThis.fetch,
  request: HttpRequest,
  signal: AbortSignal | undefined,
): Promise<Response> {
  return fetchImpl(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(signal ? { signal } : {}),
  })
}

/** Origin and path of a URL: what errors may name (never its query string). */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`
}
