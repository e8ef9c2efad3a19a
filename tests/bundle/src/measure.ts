// Measures consumer entries exactly as `pnpm bench` does (bench/src/bundle.mjs, the built
// packages/*/dist aliased by bench/src/paths.mjs, the entries of bench/src/entries.mjs), with this
// package's esbuild, so the budgets hold the numbers BENCHMARKS.md reports.
import { existsSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { measureBundle, type BundleSize } from '../../../bench/src/bundle.mjs'
import { bundleEntries, type Entry } from '../../../bench/src/entries.mjs'
import { DIST, DIST_ALIAS, ROOT_DIR, coreExportNames } from '../../../bench/src/paths.mjs'

const HERE = fileURLToPath(new URL('..', import.meta.url))

/** The `@authmode/browser/amazon-cognito-identity-js` adapter, built next to the browser entry. */
export const BROWSER_ADAPTER: string = join(dirname(DIST.browser), 'amazon-cognito-identity-js.js')

/** Throws what to do when a built file the tests measure is missing. */
export function assertBuilt(): void {
  const missing = [DIST.core, DIST.browser, DIST.node, BROWSER_ADAPTER].filter((file) => !existsSync(file))
  if (missing.length > 0) {
    const files = missing.map((file) => relative(ROOT_DIR, file)).join(', ')
    throw new Error(
      `The bundle tests measure the built packages, and ${files} ${missing.length === 1 ? 'is' : 'are'} missing: run \`pnpm run build\` first (the test command does).`,
    )
  }
}

/** Our bench entries (`group: 'ours'`), with the providers the built core exports. */
export async function ourEntries(): Promise<Entry[]> {
  assertBuilt()
  const entries = bundleEntries({ coreExports: await coreExportNames() })
  return entries.filter((entry) => entry.group === 'ours')
}

const NODE_BUILTINS = new Set(builtinModules)
const UNRESOLVED = /^Could not resolve "([^"]+)"/

/**
 * Bundles an entry module for browsers and measures it, as bench does (`load`: which chunks count,
 * default all that its first request loads). A browser build cannot
 * resolve Node built-ins; when that is all that stops it, the entry is bundled again with them
 * left as imports, so that the checker names each one instead of esbuild failing first.
 */
export async function measureEntry(
  source: string,
  { external = [], load }: { external?: readonly string[]; load?: Entry['load'] } = {},
): Promise<BundleSize> {
  const measure = (left: readonly string[]): Promise<BundleSize> =>
    measureBundle(source, {
      resolveDir: HERE,
      alias: { ...DIST_ALIAS },
      ...(left.length > 0 ? { external: [...left] } : {}),
      ...(load ? { load } : {}),
      esbuild,
    })
  try {
    return await measure(external)
  } catch (error) {
    const builtins = unresolvedBuiltins(error)
    if (builtins.length === 0) throw error
    return measure([...external, ...builtins])
  }
}

/** The Node built-ins an esbuild failure could not resolve; empty when anything else failed too. */
function unresolvedBuiltins(error: unknown): string[] {
  if (!(error instanceof Error) || !('errors' in error) || !Array.isArray(error.errors)) return []
  const specifiers = (error.errors as { text?: unknown }[]).map((message) =>
    typeof message.text === 'string' ? UNRESOLVED.exec(message.text)?.[1] : undefined,
  )
  const builtin = (specifier: string | undefined): specifier is string =>
    specifier !== undefined && (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier))
  return specifiers.length > 0 && specifiers.every(builtin) ? [...new Set(specifiers.filter(builtin))] : []
}
