// Browser bundle size of a consumer entry: esbuild (bundled, minified, ESM, browser conditions),
// then gzip and brotli at their highest levels. Kept free of bench-only imports so that tests
// (bundle budgets) can import it and pass their own esbuild.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

/**
 * @typedef {object} MeasureOptions
 * @property {string} resolveDir Where bare imports of the entry resolve from.
 * @property {Record<string, string>} [alias] esbuild `alias`: package name → absolute file path
 *   (how the built `packages/*\/dist` files stand in for `@authmode/*`).
 * @property {string[]} [external] Imports left out of the bundle (and so not counted).
 * @property {'browser' | 'node' | 'neutral'} [platform] Default `browser`.
 * @property {Record<string, string>} [define] Default `process.env.NODE_ENV` = `"production"`.
 * @property {typeof import('esbuild')} [esbuild] The esbuild module; imported from here when absent.
 */

/**
 * @typedef {object} BundleSize
 * @property {number} minified Bytes of the minified bundle.
 * @property {number} gzip Bytes after gzip level 9.
 * @property {number} brotli Bytes after brotli quality 11 (text mode).
 * @property {string} text The minified bundle, to search (e.g. for `node:` imports or SigV4 code).
 * @property {string[]} inputs The files esbuild read for the bundle (paths as esbuild reports them), tree-shaken
 *   ones included.
 * @property {string[]} included The inputs that put bytes into the bundle (what tree-shaking kept).
 * @property {string[]} externalImports Imports the bundle keeps as imports (left external), as written.
 * @property {string[]} warnings esbuild warnings, as text.
 */

/**
 * Bundles `entrySource` for browsers and measures it.
 *
 * @example
 * ```js
 * import { measureBundle } from './bundle.mjs'
 * const size = await measureBundle("import { createClient } from '@authmode/core'; console.log(createClient)", {
 *   resolveDir: process.cwd(),
 *   alias: { '@authmode/core': '/repo/packages/core/dist/index.js' },
 * })
 * console.log(size.gzip)
 * ```
 *
 * @param {string} entrySource An ES module that uses what a minimal consumer would.
 * @param {MeasureOptions} options
 * @returns {Promise<BundleSize>}
 */
export async function measureBundle(entrySource, options) {
  const esbuild = options.esbuild ?? (await import('esbuild'))
  const result = await esbuild.build({
    stdin: { contents: entrySource, resolveDir: options.resolveDir, sourcefile: 'entry.mjs', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: options.platform ?? 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    define: options.define ?? { 'process.env.NODE_ENV': '"production"' },
    ...(options.alias ? { alias: options.alias } : {}),
    ...(options.external ? { external: options.external } : {}),
  })
  const output = result.outputFiles[0]
  if (!output) throw new Error('esbuild produced no output')
  const bytes = output.contents
  const meta = Object.values(result.metafile.outputs)[0]
  return {
    ...compressedSizes(bytes),
    text: output.text,
    inputs: Object.keys(result.metafile.inputs),
    included: Object.entries(meta?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
    externalImports: (meta?.imports ?? []).filter((i) => i.external === true).map((i) => i.path),
    warnings: result.warnings.map((w) => w.text),
  }
}

/**
 * Minified, gzip (level 9) and brotli (quality 11) sizes of some bytes.
 *
 * @param {Uint8Array} bytes
 * @returns {{ minified: number, gzip: number, brotli: number }}
 */
export function compressedSizes(bytes) {
  return {
    minified: bytes.byteLength,
    gzip: gzipSync(bytes, { level: 9 }).byteLength,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      },
    }).byteLength,
  }
}

/**
 * Bytes as KB with one decimal (1 KB = 1024 bytes), the unit the issue's budgets use.
 *
 * @param {number} bytes
 * @returns {string}
 */
export function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`
}
