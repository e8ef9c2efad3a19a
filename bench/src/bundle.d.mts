// Types of bundle.mjs for TypeScript importers (e.g. the bundle budget tests), which do not check JS.
export interface MeasureOptions {
  /** Where bare imports of the entry resolve from. */
  resolveDir: string
  /** esbuild `alias`: package name → absolute file path (how the built dist files stand in for `@authmode/*`). */
  alias?: Record<string, string>
  /** Imports left out of the bundle (and so not counted). */
  external?: string[]
  /** Default `browser`. */
  platform?: 'browser' | 'node' | 'neutral'
  /** Default `process.env.NODE_ENV` = `"production"`. */
  define?: Record<string, string>
  /** The esbuild module (`import * as esbuild from 'esbuild'`); imported from bench/ when absent. */
  esbuild?: { build: (options: object) => Promise<unknown> }
  /** Which chunks count: those loaded at start, or also those imported dynamically (default). */
  load?: 'initial' | 'first-request'
}

export interface BundleSize {
  /** Bytes of the counted chunks, minified. */
  minified: number
  /** Their bytes after gzip level 9, each chunk on its own, summed. */
  gzip: number
  /** Their bytes after brotli quality 11 (text mode), each chunk on its own, summed. */
  brotli: number
  /** The counted chunks, to search (e.g. for `node:` imports or SigV4 code). */
  text: string
  /** The counted chunks; `initial` for those loaded at start. */
  chunks: { path: string; initial: boolean; minified: number; gzip: number }[]
  /** The files esbuild read for the bundle, tree-shaken ones included. */
  inputs: string[]
  /** The inputs that put bytes into the bundle (what tree-shaking kept). */
  included: string[]
  /** Imports the bundle keeps as imports (left external), as written (e.g. `node:fs`). */
  externalImports: string[]
  /** esbuild warnings, as text. */
  warnings: string[]
}

/** Bundles `entrySource` for browsers (esbuild, ESM, minified, code splitting) and measures the chunks it loads. */
export function measureBundle(entrySource: string, options: MeasureOptions): Promise<BundleSize>
/** Minified, gzip (level 9) and brotli (quality 11) sizes of some bytes. */
export function compressedSizes(bytes: Uint8Array): { minified: number; gzip: number; brotli: number }
/** Bytes as KB with one decimal (1 KB = 1024 bytes). */
export function kb(bytes: number): string
