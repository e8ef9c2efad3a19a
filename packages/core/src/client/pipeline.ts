import type { AuthMode, HttpRequest } from '../auth/types'
import type { OperationType } from '../graphql/document'
import { normalizeHeaders, withoutCredentialHeaders } from '../internal/headers'
import { describeUrl } from '../transport/fetch'
import { parseModes, type ResolvedConfig } from './config'
import { startDeadline } from './deadline'

// The steps `client.request` and `createAuthFetch` share.

/** The modes of one call: its `authMode`, else the client's. */
export function modesOf(config: ResolvedConfig, authMode: unknown): readonly AuthMode[] {
  return authMode === undefined ? config.defaultModes : parseModes(authMode, config.definitions, 'authMode')
}

/** Runs `send` under the call's signal and the timeout (over the whole call, retries included). */
export async function withDeadline<T>(
  request: HttpRequest,
  signal: AbortSignal | null | undefined,
  timeoutMs: number,
  send: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  const deadline = startDeadline(signal ?? undefined, timeoutMs, `${request.method} ${describeUrl(request.url)}`)
  try {
    return await send(deadline.signal)
  } finally {
    deadline.dispose()
  }
}

/** The request after the user's `beforeRequest` hooks (headers built without credentials go in). */
export async function runHooks(
  config: ResolvedConfig,
  request: HttpRequest,
  operationName: string | undefined,
  operationType: OperationType | undefined,
): Promise<HttpRequest> {
  const hooks = config.hooks.beforeRequest ?? []
  if (!hooks.length) return request
  let current = request
  for (const hook of hooks) current = (await hook(current, { operationName, operationType })) ?? current
  // Credentials come from the modes only: never two modes' headers on one request.
  return { ...current, headers: withoutCredentialHeaders(normalizeHeaders(current.headers)) }
}
