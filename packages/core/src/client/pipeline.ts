import type { AuthMode, HttpRequest } from '../auth/types'
import type { OperationType } from '../graphql/document'
import { normalizeHeaders, withoutCredentialHeaders } from '../internal/headers'
import { parseModes, type ResolvedConfig } from './config'

// The steps `client.request` and `createAuthFetch` share.
export { withDeadline } from './deadline'

/** The modes of one call: its `authMode`, else the client's. */
export function modesOf(config: ResolvedConfig, authMode: unknown): readonly AuthMode[] {
  return authMode === undefined ? config.defaultModes : parseModes(authMode, config.definitions, 'authMode')
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
