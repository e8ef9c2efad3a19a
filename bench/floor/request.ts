// The floor of an API-key request (docs/bundle-budgets.md): one `fetch` with our response checks,
// the 7 error classes of that path, secret redaction and the deadline, and nothing else: no mode
// registry or lists, providers, refresh, retries, hooks, events or operation detection. Not shipped;
// `node bench/floor/measure.mjs` bundles it as the bundle entries are bundled and prints its size.
import { withDeadline } from '../../packages/core/src/client/deadline'
import { interpretExchange } from '../../packages/core/src/client/interpret'
import { ConfigurationError } from '../../packages/core/src/errors/ConfigurationError'
import { NetworkError } from '../../packages/core/src/errors/NetworkError'
import { UnauthorizedError } from '../../packages/core/src/errors/UnauthorizedError'
import { parseGraphQLBody } from '../../packages/core/src/graphql/response'
import { describeUrl } from '../../packages/core/src/transport/fetch'

type Document = string | { loc?: { source: { body: string } } }

export function createFloorClient(options: { endpoint: string; apiKey: string; timeoutMs?: number }) {
  let url: URL
  try {
    url = new URL(options.endpoint)
  } catch {
    throw new ConfigurationError(
      '`endpoint` is not an absolute URL: use https://<id>.appsync-api.<region>.amazonaws.com/graphql.',
    )
  }
  if (typeof options.apiKey != 'string' || !options.apiKey)
    throw new ConfigurationError('`apiKey` must be a non-empty API key (da2-…).')
  return {
    request(document: Document, variables?: object, call: { signal?: AbortSignal; operationName?: string } = {}) {
      const query = typeof document == 'string' ? document : document.loc?.source.body
      if (!query) throw new ConfigurationError('`document` must be a GraphQL string or a document node with `loc`.')
      const headers = {
        accept: 'application/json',
        'content-type': 'application/json; charset=UTF-8',
        'x-api-key': options.apiKey,
      }
      const sent = {
        method: 'POST',
        url,
        headers,
        body: JSON.stringify({ query, variables, operationName: call.operationName }),
      }
      return withDeadline(sent, call.signal, options.timeoutMs ?? 30_000, async (signal) => {
        let response: Response
        let text: string
        try {
          response = await fetch(url, { method: 'POST', headers, body: sent.body, signal: signal ?? null })
          text = await response.text()
        } catch (error) {
          if (signal?.aborted) throw signal.reason
          throw new NetworkError('POST', describeUrl(url), error)
        }
        if (response.status == 401) {
          const where = { method: 'POST', url: describeUrl(url), status: 401, requestId: undefined }
          throw new UnauthorizedError({ ...where, mode: 'apiKey', serverMessages: [] })
        }
        return interpretExchange({ mode: 'apiKey', sent, response, text, parsed: parseGraphQLBody(text) })
      })
    },
  }
}
