// Bundles a page script with esbuild, as an app's bundler would: `@authmode/browser` resolves
// through its package exports to the built dist, so the page runs what is published.
import { fileURLToPath } from 'node:url'
import { build, type BuildOptions } from 'esbuild'

export interface Bundle {
  readonly code: string
  /** Every input file that ended up in the bundle (paths relative to the working directory). */
  readonly inputs: readonly string[]
}

/** Bundles a file, or (`{ source }`) a snippet of TypeScript resolved from this package. */
export async function bundle(entry: string | { readonly source: string }): Promise<Bundle> {
  const input: BuildOptions =
    typeof entry === 'string'
      ? { entryPoints: [entry] }
      : {
          stdin: {
            contents: entry.source,
            loader: 'ts',
            resolveDir: fileURLToPath(new URL('..', import.meta.url)),
            sourcefile: 'snippet.ts',
          },
        }
  const result = await build({
    ...input,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const output = result.outputFiles[0]
  if (!output) throw new Error('esbuild produced no output')
  return { code: output.text, inputs: Object.keys(result.metafile.inputs) }
}
