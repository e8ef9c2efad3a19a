// Cold start: wall time of a fresh Node process that imports a library and exits, against bare
// `node -e 0`. Candidates alternate in rounds; medians and the median excess over bare Node.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { DIST, TMP_DIR } from './paths.mjs'
import { interleave, summarize } from './stats.mjs'

/**
 * @typedef {object} ColdCandidate
 * @property {string} id
 * @property {string} label
 * @property {string[]} args Arguments to `node`.
 */

/** @returns {ColdCandidate[]} */
export function coldCandidates() {
  const dir = join(TMP_DIR, 'cold')
  mkdirSync(dir, { recursive: true })
  /**
   * An ES module file under bench/ (so anchors resolve from bench/node_modules).
   *
   * @param {string} name
   * @param {string} source
   */
  const file = (name, source) => {
    const path = join(dir, `${name}.mjs`)
    writeFileSync(path, `${source}\n`)
    return [path]
  }
  const distUrl = (/** @type {keyof typeof DIST} */ name) => pathToFileURL(DIST[name]).href
  return [
    { id: 'bare', label: 'bare `node -e 0`', args: ['-e', '0'] },
    { id: 'empty-esm', label: 'an empty ES module file', args: file('empty', '// nothing') },
    {
      id: 'node',
      label: '`@authmode/node` (import only)',
      args: file(
        'authmode-node',
        `import { createClient } from '${distUrl('node')}'\nif (typeof createClient !== 'function') process.exit(1)`,
      ),
    },
    {
      id: 'core',
      label: '`@authmode/core` (import only)',
      args: file(
        'authmode-core',
        `import { createClient } from '${distUrl('core')}'\nif (typeof createClient !== 'function') process.exit(1)`,
      ),
    },
    {
      id: 'amplify',
      label: '`aws-amplify` + `aws-amplify/api`',
      args: file(
        'amplify',
        `import { Amplify } from 'aws-amplify'\nimport { generateClient } from 'aws-amplify/api'\nif (typeof generateClient !== 'function' || !Amplify) process.exit(1)`,
      ),
    },
    {
      id: 'graphql-request',
      label: '`graphql-request`',
      args: file(
        'graphql-request',
        `import { GraphQLClient } from 'graphql-request'\nif (typeof GraphQLClient !== 'function') process.exit(1)`,
      ),
    },
    {
      id: 'aws4fetch',
      label: '`aws4fetch`',
      args: file(
        'aws4fetch',
        `import { AwsClient } from 'aws4fetch'\nif (typeof AwsClient !== 'function') process.exit(1)`,
      ),
    },
  ]
}

/**
 * Wall time of one process, spawn to exit, in milliseconds.
 *
 * @param {string[]} args
 * @returns {number}
 */
function timeProcess(args) {
  const start = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) {
    throw new Error(
      `node ${args.join(' ')} failed (${String(result.status ?? result.signal)}): ${result.stderr.toString().slice(0, 500)}`,
    )
  }
  return ms
}

/**
 * @typedef {object} ColdResult
 * @property {{ id: string, label: string }[]} candidates
 * @property {Record<string, import('./stats.mjs').Summary>} ms candidate → wall time
 * @property {Record<string, number>} overBareMs candidate → median of (run − bare run of the same round)
 * @property {number} rounds
 */

/**
 * @param {{ rounds: number, budgetMs: number, log: (line: string) => void }} options
 * @returns {Promise<ColdResult>}
 */
export async function runColdStart({ rounds, budgetMs, log }) {
  const candidates = coldCandidates()
  for (const c of candidates) timeProcess(c.args) // warm the file cache; also fails early on a broken import
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(candidates.map((c) => [c.id, []]))
  // A busy machine makes every process slow: the time budget keeps the section bounded then.
  const done = await interleave(
    candidates,
    rounds,
    (c) => {
      samples[c.id]?.push(timeProcess(c.args))
      return Promise.resolve()
    },
    { budgetMs, minRounds: Math.min(rounds, 7) },
  )
  const bare = samples.bare ?? []
  /** @type {Record<string, number>} */
  const overBareMs = {}
  for (const c of candidates) {
    // Paired by round: each run minus the bare run of its own round, so slow stretches cancel.
    const diffs = (samples[c.id] ?? []).map((v, i) => v - (bare[i] ?? Number.NaN))
    overBareMs[c.id] = summarize(diffs).median
  }
  const ms = Object.fromEntries(Object.entries(samples).map(([id, s]) => [id, summarize(s)]))
  log(
    `  cold start (${String(done)} rounds): ${candidates.map((c) => `${c.id} ${(ms[c.id]?.median ?? 0).toFixed(0)} ms`).join(', ')}`,
  )
  return { candidates: candidates.map(({ id, label }) => ({ id, label })), ms, overBareMs, rounds: done }
}
