// The driver of the runtimes that run a script (Node, Bun, Deno): the suite through @authmode/node,
// as a server app imports it. The config comes as the first argument (Deno runs without --allow-env);
// one JSON line of results goes to stdout.
import * as sdk from '@authmode/node'
import { runScenarios } from './scenarios.mjs'

const config = JSON.parse(globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2])
const results = await runScenarios(sdk, config)
console.log(JSON.stringify({ results }))
