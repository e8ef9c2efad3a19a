// The floor of option 2 in docs/bundle-budgets.md ("a small core with opt-in features"), for an
// API-key client: our own mode registry entry, send loop (mode lists with skip reasons, one refresh
// and retry after a 401, field-level denials), memoized providers with rotation, response checks,
// typed errors and the deadline, reused as they are. Left out: option validation (config.ts),
// retries, hooks, events, operation detection and the other header modes. Not shipped;
// `node bench/floor/measure.mjs` bundles it as the bundle entries are bundled.
import { apiKeyMode } from '../../packages/core/src/auth/apiKey'
import type { AuthMode, AuthStrategy } from '../../packages/core/src/auth/types'
import type { ResolvedConfig } from '../../packages/core/src/client/config'
import { withDeadline } from '../../packages/core/src/client/deadline'
import type { Events } from '../../packages/core/src/client/events'
import { interpretExchange } from '../../packages/core/src/client/interpret'
import { sendAuthorized } from '../../packages/core/src/client/send'
import type { ClientOptions } from '../../packages/core/src/client/options'
import { SkewedClock, systemClock } from '../../packages/core/src/internal/clock'

export function createFloorModeClient(options: ClientOptions & { authMode: AuthMode }) {
  const endpoint = new URL(options.endpoint)
  const clock = new SkewedClock(systemClock)
  const events: Events = { on: () => () => undefined, emit: () => undefined }
  const strategies = new Map<AuthMode, AuthStrategy>()
  const strategy = apiKeyMode.create({ options, endpoint, clock, events })
  if (strategy) strategies.set('apiKey', strategy)
  const config = {
    endpoint,
    clock,
    events,
    fetch: (input: URL, init?: RequestInit) => fetch(input, init),
    strategies,
    definitions: new Map([['apiKey', apiKeyMode]]),
  } as unknown as ResolvedConfig
  return {
    request(query: string, variables?: object, call: { signal?: AbortSignal } = {}) {
      const headers = { accept: 'application/json', 'content-type': 'application/json; charset=UTF-8' }
      const request = { method: 'POST', url: endpoint, headers, body: JSON.stringify({ query, variables }) }
      return withDeadline(request, call.signal, 30_000, async (signal) =>
        interpretExchange(
          await sendAuthorized(config, request, {
            modes: [options.authMode],
            signal,
            readAll: true,
            nextModeOnFieldDenial: true,
            reasons: [],
          }),
        ),
      )
    },
  }
}
