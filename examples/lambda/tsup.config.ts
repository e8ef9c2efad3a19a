import { defineConfig } from 'tsup'

// What a deployment zips: one ESM file (dependencies come from node_modules, as in a zip with
// node_modules or a layer). `package.json` says "type": "module", so Lambda loads it as ESM.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
})
