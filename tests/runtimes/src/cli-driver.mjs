// The driver of the runtimes that run a script (Node, Bun, Deno): the suite through @authmode/node,
// as a server app imports it. The config comes as the first argument (Deno runs without --allow-env);
// one JSON line of results goes to stdout. Where the runner put AWS credentials in the environment
// (Node, Bun), one more check: the node entry's default, the AWS SDK's credential chain.
import * as sdk from '@authmode/node'
import { runScenarios } from './scenarios.mjs'

export const CHAIN = 'iam: the AWS SDK credential chain (node entry default)'

const config = JSON.parse(globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2])
const results = await runScenarios(sdk, config)
if (config.chain) {
  try {
    // No `credentials`: the chain finds AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
    const client = sdk.createClient({
      endpoint: config.endpoint,
      region: config.region,
      authMode: 'iam',
      retry: false,
      logger: null,
    })
    const data = await client.request('{ listPosts { items { id } } }')
    if (!Array.isArray(data.listPosts.items)) throw new Error('expected listPosts.items')
    results.push({ name: CHAIN, ok: true })
  } catch (error) {
    results.push({ name: CHAIN, ok: false, error: `${error.name}: ${error.message}` })
  }
}
console.log(JSON.stringify({ results }))
