// Where things are: the repository, this folder, and the built packages the bench consumes.
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)))
export const ROOT_DIR = dirname(BENCH_DIR)
export const TMP_DIR = join(BENCH_DIR, '.tmp')

/** The built entry of each of our packages (run `pnpm run build` first). */
export const DIST = Object.freeze({
  core: join(ROOT_DIR, 'packages/core/dist/index.js'),
  coreInternal: join(ROOT_DIR, 'packages/core/dist/internal.js'),
  coreSigv4: join(ROOT_DIR, 'packages/core/dist/sigv4.js'),
  coreCookies: join(ROOT_DIR, 'packages/core/dist/cookies.js'),
  browser: join(ROOT_DIR, 'packages/browser/dist/index.js'),
  node: join(ROOT_DIR, 'packages/node/dist/index.js'),
})

/** esbuild aliases: the built files stand in for the published packages. */
export const DIST_ALIAS = Object.freeze({
  '@authmode/core/internal': DIST.coreInternal,
  '@authmode/core/sigv4': DIST.coreSigv4,
  '@authmode/core/cookies': DIST.coreCookies,
  '@authmode/core': DIST.core,
  '@authmode/browser': DIST.browser,
  '@authmode/node': DIST.node,
})

/**
 * Imports one of our built packages.
 *
 * @param {keyof typeof DIST} name
 * @returns {Promise<Record<string, any>>}
 */
export function importDist(name) {
  return import(pathToFileURL(DIST[name]).href)
}

/**
 * The names the built `@authmode/core` exports: what `bundleEntries` picks its providers from.
 *
 * @returns {Promise<Set<string>>}
 */
export async function coreExportNames() {
  return new Set(Object.keys(await importDist('core')))
}
