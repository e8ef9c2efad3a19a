// Bundles the two floor prototypes of docs/bundle-budgets.md as bench/src/bundle.mjs bundles the
// entries (esbuild, minified, browser, ES2022) and prints their minified and min+gzip sizes:
// request.ts (one API-key request and nothing more) and client.ts (option 2's small core).
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const ENDPOINT = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
const QUERY = 'query GetPost($id: ID!) { getPost(id: $id) { id title } }'
const entries = {
  'floor API-key request (request.ts)': `import { createFloorClient } from './request.ts'
const client = createFloorClient({ endpoint: '${ENDPOINT}', apiKey: 'da2-example' })
client.request('${QUERY}', { id: '1' }).then(console.log)`,
  'small core, API key (client.ts)': `import { createFloorModeClient } from './client.ts'
const client = createFloorModeClient({ endpoint: '${ENDPOINT}', authMode: 'apiKey', apiKey: 'da2-example' })
client.request('${QUERY}', { id: '1' }).then(console.log)`,
}

for (const [label, contents] of Object.entries(entries)) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    legalComments: 'none',
  })
  const [output] = result.outputFiles
  console.log(
    `${label}: ${output.contents.length} B minified, ${gzipSync(output.contents, { level: 9 }).length} B min+gzip`,
  )
}
