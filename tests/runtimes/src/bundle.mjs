// Bundles src/bundle-entry.mjs with esbuild for the runtimes that load one file: an ES module for
// workerd, a script for edge-runtime's VM (which has no module loader).
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('./bundle-entry.mjs', import.meta.url))

/** @param {'esm' | 'iife'} format @param {string} outfile */
export async function bundle(format, outfile) {
  await build({
    entryPoints: [entry],
    bundle: true,
    format,
    outfile,
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    logLevel: 'silent',
  })
}
