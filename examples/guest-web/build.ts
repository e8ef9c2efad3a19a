// Builds the page into dist/: index.html, config.json and one ES module bundled by esbuild.
import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const here = fileURLToPath(new URL('.', import.meta.url))

/** Builds into `outDir` (default `dist/`); returns the bundle's size in bytes. */
export async function buildGuestWeb(outDir: string = join(here, 'dist')): Promise<{ bytes: number }> {
  await mkdir(outDir, { recursive: true })
  const result = await build({
    entryPoints: [join(here, 'src', 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    outfile: join(outDir, 'main.js'),
    metafile: true,
    logLevel: 'warning',
  })
  await copyFile(join(here, 'index.html'), join(outDir, 'index.html'))
  await copyFile(join(here, 'public', 'config.json'), join(outDir, 'config.json'))
  const output = Object.keys(result.metafile.outputs).find((file) => file.endsWith('main.js')) ?? ''
  return { bytes: result.metafile.outputs[output]?.bytes ?? 0 }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { bytes } = await buildGuestWeb()
  console.log(`guest-web: built dist/ (main.js ${(bytes / 1024).toFixed(1)} KiB minified)`)
}
