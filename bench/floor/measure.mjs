// Bundles bench/floor/request.ts as bench/src/bundle.mjs bundles the entries (esbuild, minified,
// browser, ES2022) and prints its minified and min+gzip sizes.
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const result = await esbuild.build({
  stdin: {
    contents: `import { createFloorClient } from './request.ts'
const client = createFloorClient({ endpoint: 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql', apiKey: 'da2-example' })
client.request('query GetPost($id: ID!) { getPost(id: $id) { id title } }', { id: '1' }).then(console.log)`,
    resolveDir: fileURLToPath(new URL('.', import.meta.url)),
    loader: 'js',
  },
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
  `floor API-key request: ${output.contents.length} B minified, ${gzipSync(output.contents, { level: 9 }).length} B min+gzip`,
)
