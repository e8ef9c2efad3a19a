import { fileURLToPath } from 'node:url'

/**
 * A script for `node -e` that loads the built @authmode/node as `m` (ESM: with `--input-type=module`,
 * and `require` at hand to look into `require.cache`; CJS: by `require`) and then runs `body`.
 */
export function distScript(format: 'esm' | 'cjs', body: string): string {
  if (format === 'cjs') {
    const dist = fileURLToPath(new URL('../../dist/index.cjs', import.meta.url))
    return `(async () => { const m = require(${JSON.stringify(dist)}); ${body} })().catch((e) => { console.error(e); process.exit(1) })`
  }
  const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url))
  return `
      import { createRequire } from 'node:module'
      const require = createRequire(import.meta.url)
      const m = await import(${JSON.stringify(dist)})
      ${body}`
}
