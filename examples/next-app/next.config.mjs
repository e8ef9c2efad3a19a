// The repository root is the workspace: Next traces and resolves from there. @authmode packages
// (and `ws`, which @authmode/node loads for subscriptions) run from node_modules, unbundled.
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** @type {import('next').NextConfig} */
export default {
  turbopack: { root },
  outputFileTracingRoot: root,
  serverExternalPackages: ['@authmode/node', '@authmode/core', 'ws'],
}
