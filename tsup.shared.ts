// One place for the build settings of every package, so that a move from tsup (in maintenance
// mode) to tsdown is a change to this file alone.
import { rmSync } from 'node:fs'
import { defineConfig, type Options } from 'tsup'

export interface BuildConfig {
  /** Entry name -> source file, e.g. `{ index: 'src/index.ts' }`. Exports maps are checked against it. */
  readonly entry: Record<string, string>
  readonly platform: 'neutral' | 'browser' | 'node'
  /**
   * Entries whose declarations are emitted on their own (a self-contained `.d.ts` each) instead of
   * sharing a chunk with the other entries: so that the main entry's published types hold what it
   * exports and nothing that only an internal entry needs.
   */
  readonly ownTypes?: readonly string[]
}

// esbuild's code splitting repeats the imports of a chunk's chunks in the chunk itself, as bare
// `import "./chunk-X.js"` statements (so that they load in parallel). A consumer's esbuild warns
// about each one in a package marked `sideEffects: false` ("this import will be ignored"); our
// chunks only declare, and each is imported with its bindings where it is used, so they are
// blanked (the line kept, so that source maps still line up). The CJS files keep their bare
// `require`s: Node runs them, and bundlers do not warn about those.
const BARE_CHUNK_IMPORT = /^import ["']\.\/chunk-[\w-]+\.js["'];$/gm
const withoutBareChunkImports: NonNullable<Options['plugins']>[number] = {
  name: 'without-bare-chunk-imports',
  renderChunk(code) {
    return { code: code.replace(BARE_CHUNK_IMPORT, '') }
  },
}

export function defineBuildConfig(config: BuildConfig): ReturnType<typeof defineConfig> {
  // Members tagged `@internal` (the mode registry's hooks, a session's sign-out step) stay out of
  // the published types, so apps see what they call and not how the client calls it back.
  const dts = { compilerOptions: { stripInternal: true } }
  const options: Options = {
    entry: config.entry,
    platform: config.platform,
    format: ['esm', 'cjs'],
    dts,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    treeshake: true,
    // Without CJS splitting every CJS entry would inline its own copy of the error classes.
    splitting: true,
    external: [/^@authmode\//],
    outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.js' }),
    plugins: [withoutBareChunkImports],
  }
  const own = config.ownTypes ?? []
  if (own.length === 0) return defineConfig(options)
  const shared = Object.fromEntries(Object.entries(config.entry).filter(([name]) => !own.includes(name)))
  // tsup runs the configs side by side, each cleaning at its own start: clean once, here, instead.
  rmSync('dist', { recursive: true, force: true })
  return defineConfig([
    { ...options, clean: false, dts: { ...dts, entry: shared } },
    ...own.map((name): Options => ({
      ...options,
      clean: false,
      dts: { ...dts, entry: { [name]: config.entry[name] ?? name }, only: true },
    })),
  ])
}
