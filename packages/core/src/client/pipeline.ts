import type { HttpRequest } from '../auth/types'
import type { OperationType } from '../graphql/document'
import { normalizeHeaders, withoutCredentialHeaders } from '../internal/headers'
import type { ResolvedConfig } from './config'

/** The request after the user's `beforeRequest` hooks (headers built without credentials go in). */
export async function runHooks(
  config: ResolvedConfig,
  request: HttpRequest,
  operationName: string | undefined,
  operationType: OperationType | undefined,
): Promise<HttpRequest> {
  const hooks = config.hooks.beforeRequest ?? []
  if (!hooks.length) return request
  for (const hook of hooks) request = (await hook(request, { operationName, operationType })) ?? request
  // Credentials come from the modes only: never two modes' headers on one request.
  return { ...request, headers: withoutCredentialHeaders(normalizeHeaders(request.headers)) }
}
