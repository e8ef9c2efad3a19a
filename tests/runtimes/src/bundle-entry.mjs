// The suite as workerd and edge-runtime get it: bundled (src/bundle.mjs) with @authmode/browser,
// the entry for browsers and workers. The worker's fetch handler runs it for POST /run; edge-runtime
// calls `globalThis.runConformance` in its VM.
import * as sdk from '@authmode/browser'
import { runScenarios } from './scenarios.mjs'

const run = async (config) => JSON.stringify({ results: await runScenarios(sdk, config) })
globalThis.runConformance = run

export default {
  async fetch(request) {
    const url = new URL(request.url)
    if (request.method === 'POST' && url.pathname === '/run') return new Response(await run(await request.json()))
    return new Response('ok')
  },
}
