// Browser bundle size of a consumer entry: esbuild (bundled, minified, ESM, code splitting, browser
// conditions), then gzip and brotli at their highest levels, chunk by chunk. Kept free of bench-only
// imports so that tests (bundle budgets) can import it and pass their own esbuild.
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
 * @property {'initial' | 'first-request'} [load] Which chunks count: those loaded at start, or also
 *   those imported dynamically (default), but for `authMode: 'auto'`'s chunk unless `auto` is set.
 * @property {boolean} [auto] The entry uses `authMode: 'auto'`, so its first request loads that chunk.
 */

// The chunk of `authMode: 'auto'` (@authmode/core's auto/autoMode.ts): a request with a mode or a
// mode list never loads it, so the entries that do not use `auto` do not count it.
const AUTO_CHUNK = /\/autoMode-[\w-]+\.js$/

/**
 * @typedef {object} BundleSize
 * @property {number} minified Bytes of the counted chunks, minified.
 * @property {number} gzip Their bytes after gzip level 9, each chunk on its own, summed.
 * @property {number} brotli Their bytes after brotli quality 11 (text mode), each chunk on its own, summed.
 * @property {string} text The counted chunks, to search (e.g. for `node:` imports or SigV4 code).
 * @property {{ path: string, initial: boolean, minified: number, gzip: number }[]} chunks The counted chunks;
 *   `initial` for those loaded at start.
 * @property {string[]} inputs The files esbuild read for the bundle (paths as esbuild reports them), tree-shaken
 *   ones included.
 * @property {string[]} included The inputs that put bytes into the counted chunks (what tree-shaking kept).
 * @property {string[]} externalImports Imports the counted chunks keep as imports (left external), as written.
 * @property {string[]} warnings esbuild warnings, as text.
 */

/**
 * Bundles `entrySource` for browsers, with code splitting as an app's bundler does, and measures
 * what the app downloads: each chunk compressed on its own and the sizes summed. `load: 'initial'`
 * counts the chunks loaded at start (the entry and what it imports statically); `'first-request'`
 * (the default) also the chunks it imports dynamically, e.g. a signer loaded on the first request.
 *
 * @example
 * ```js
 * import { measureBundle } from './bundle.mjs'
 * const size = await measureBundle("import { createClient } from '@authmode/browser'; console.log(createClient)", {
 *   resolveDir: process.cwd(),
 *   alias: { '@authmode/browser': '/repo/packages/browser/dist/index.js' },
 *   load: 'initial',
 * })
 * console.log(size.gzip, size.chunks.length)
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
    splitting: true,
    // Not written (write: false); esbuild needs a folder to name the chunks.
    outdir: OUTDIR,
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
  const outputs = result.metafile.outputs
  const entry = Object.keys(outputs).find((path) => outputs[path]?.entryPoint !== undefined)
  if (entry === undefined) throw new Error('esbuild produced no entry chunk')
  // The chunks loaded at start: the entry and its static imports, transitively.
  const initial = new Set()
  const visit = (/** @type {string} */ path) => {
    if (initial.has(path)) return
    initial.add(path)
    for (const i of outputs[path]?.imports ?? []) if (i.kind === 'import-statement' && !i.external) visit(i.path)
  }
  visit(entry)
  const counted = Object.keys(outputs).filter(
    (path) =>
      path.endsWith('.js') &&
      (initial.has(path) ||
        ((options.load ?? 'first-request') === 'first-request' &&
          (options.auto || !AUTO_CHUNK.test(outputs[path]?.entryPoint ?? '')))),
  )
  const files = new Map(result.outputFiles.map((file) => [relativeOutput(file.path), file]))
  const chunks = counted.map((path) => {
    const file = files.get(relativeOutput(path))
    if (!file) throw new Error(`esbuild reported ${path} but produced no such file`)
    return { path, initial: initial.has(path), text: file.text, ...compressedSizes(file.contents) }
  })
  const sum = (/** @type {'minified' | 'gzip' | 'brotli'} */ key) => chunks.reduce((total, c) => total + c[key], 0)
  return {
    minified: sum('minified'),
    gzip: sum('gzip'),
    brotli: sum('brotli'),
    text: chunks.map((c) => c.text).join('\n'),
    chunks: chunks.map(({ path, initial, minified, gzip }) => ({ path, initial, minified, gzip })),
    inputs: Object.keys(result.metafile.inputs),
    included: [
      ...new Set(
        counted.flatMap((path) =>
          Object.entries(outputs[path]?.inputs ?? {})
            .filter(([, input]) => input.bytesInOutput > 0)
            .map(([input]) => input),
        ),
      ),
    ],
    externalImports: counted.flatMap((path) =>
      (outputs[path]?.imports ?? []).filter((i) => i.external === true).map((i) => i.path),
    ),
    warnings: result.warnings.map((w) => w.text),
  }
}

// The folder esbuild names the (unwritten) chunks in; metafile paths are relative to the working
// folder and output file paths absolute, so both are reduced to the part under it.
const OUTDIR = '/authmode-bundle-measure'
const relativeOutput = (/** @type {string} */ path) => path.slice(path.lastIndexOf(OUTDIR.slice(1)))

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
