// A Worker for test/worker-shared-client.test.ts (issue 18): `POST /shared` subscribes with a client
// made at module scope, shared by every request (one per realtimeEndpoint); `POST /per-request` with
// a client made in the handler (the README's Worker pattern). Each answers how `ready` settled
// (within 5 s).
import { createClient, subscribe } from '@authmode/browser'

const shared = new Map()
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export default {
  async fetch(request) {
    if (request.method !== 'POST') return new Response('ok')
    const { config, holdMs = 0 } = await request.json()
    const options = {
      endpoint: config.endpoint,
      ...(config.realtimeEndpoint && { realtimeEndpoint: config.realtimeEndpoint }),
      apiKey: config.apiKey,
      authMode: 'apiKey',
      retry: false,
      logger: null,
    }
    const key = config.realtimeEndpoint ?? ''
    let client = shared.get(key)
    if (new URL(request.url).pathname !== '/shared') client = createClient(options)
    else if (!client) shared.set(key, (client = createClient(options)))
    const subscription = subscribe(client, 'subscription { onCreatePost { id title } }')
    const t0 = Date.now()
    const outcome = await Promise.race([
      subscription.ready.then(
        () => ({ ready: true }),
        (error) => ({
          error: {
            name: error.name,
            code: error.code,
            message: error.message,
            recoverySuggestion: error.recoverySuggestion,
          },
        }),
      ),
      sleep(5000).then(() => ({ settled: false })),
    ])
    await sleep(holdMs)
    subscription.unsubscribe()
    return Response.json({ ...outcome, ms: Date.now() - t0 })
  },
}
