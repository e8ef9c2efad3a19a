// One place for the build settings of every package, so that a move from tsup (in maintenance
// mode) to tsdown is a change to this file alone.
import { defineConfig, type Options } from 'tsup'

export interface BuildConfig {
  /** Entry name -> source file, e.g. `{ index: 'src/index.ts' }`. Exports maps are checked against it. */
  readonly entry: Record<string, string>
  readonly platform: 'neutral' | 'browser' | 'node'
}

export function defineBuildConfig(config: BuildConfig): ReturnType<typeof defineConfig> {
  const options: Options = {
    entry: config.entry,
    platform: config.platform,
    format: ['esm', 'cjs'],
    // Members tagged `@internal` (the mode registry's hooks, a session's sign-out step) stay out of
    // the published types, so apps see what they call and not how the client calls it back.
    dts: { compilerOptions: { stripInternal: true } },
    sourcemap: true,
    clean: true,
    target: 'es2022',
    treeshake: true,
    // Without CJS splitting every CJS entry would inline its own copy of the error classes.
    splitting: true,
    external: [/^@authmode\//],
    outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.js' }),
  }
  return defineConfig(options)
}
