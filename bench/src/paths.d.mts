// Types of paths.mjs for TypeScript importers (e.g. the bundle budget tests, to alias the same built files).
export const BENCH_DIR: string
export const ROOT_DIR: string
export const TMP_DIR: string

/** The built entry of each of our packages (run `pnpm run build` first). */
export const DIST: Readonly<{
  core: string
  coreInternal: string
  coreSigv4: string
  coreCookies: string
  browser: string
  node: string
}>

/** esbuild aliases: the built files stand in for the published packages. */
export const DIST_ALIAS: Readonly<{
  '@authmode/core/internal': string
  '@authmode/core/sigv4': string
  '@authmode/core/cookies': string
  '@authmode/core': string
  '@authmode/browser': string
  '@authmode/node': string
}>

/** Imports one of our built packages (`any` values, as in the JSDoc: the JS callers use what each exports). */
export function importDist(name: keyof typeof DIST): Promise<Record<string, any>>

/** The names the built `@authmode/core` exports: what `bundleEntries` picks its providers from. */
export function coreExportNames(): Promise<Set<string>>
