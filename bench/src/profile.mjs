// Where one request's time goes: each candidate of the requests-per-second section (raw `fetch`,
// `client.request` with apiKey and with iam) runs one request at a time against the loopback server
// in a fresh process (bench/src/profileChild.mjs), first timed without the profiler, then under V8's
// sampling profiler. Every sample is put in one step by the innermost frame of our code on its stack
// (mapped to its source file through the dist's source maps) and the function that frame called;
// samples with none of our code are Node's fetch after the call, scheduling, GC, native work or idle.
// Rounds alternate the candidates; each step's time is the median over rounds. A second, small table
// times our code alone in a hot loop (a stub `fetch` with a canned answer, no network).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { fileURLToPath } from 'node:url'
import { CREDENTIALS, REGION } from './fixtures.mjs'
import { importDist } from './paths.mjs'
import { API_KEY, QUERY, VARIABLES, startServer } from './rps.mjs'
import { interleave, opsPerSecond, summarize } from './stats.mjs'

export const PROFILE_CANDIDATES = Object.freeze(['raw', 'apiKey', 'iam'])

/**
 * The steps, in the order of one request: id, part, short name, label. `ours`: code of ours runs
 * it (our frame is on the stack); `fetch`: Node's fetch called by that code; `process`: no code of
 * ours on the stack.
 *
 * @type {readonly { id: string, part: 'ours' | 'fetch' | 'process', short: string, label: string }[]}
 */
export const STEPS = Object.freeze(
  /** @type {[string, 'ours' | 'fetch' | 'process', string, string][]} */ ([
    ['bench', 'ours', 'benchmark loop', 'the benchmark loop (its request function)'],
    ['document', 'ours', 'document', 'document preparation (`prepareDocument`; operations scanned once per document)'],
    ['setup', 'ours', 'call setup', 'call setup: options, headers, the JSON body (`JSON.stringify`)'],
    ['hooks', 'ours', 'hooks', 'request hooks step (none configured)'],
    ['deadline', 'ours', 'deadline', 'deadline: `AbortController` and its signal, timer, clean-up'],
    ['authorizer', 'ours', 'send loop', 'send loop and authorization: mode pick, `RequestInit`, judging the answer'],
    ['identity', 'ours', 'identity', 'identity resolve (memoized API key or credentials)'],
    ['header', 'ours', 'API key header', 'API key header added'],
    [
      'sigv4Canonical',
      'ours',
      'SigV4 canonical request',
      'SigV4: canonical request, string to sign, headers (date, scope, sort)',
    ],
    [
      'sigv4Hash',
      'ours',
      'SigV4 hashing',
      'SigV4: SHA-256 of body and canonical request, HMAC signature (node:crypto)',
    ],
    ['sigv4Hex', 'ours', 'hex', 'SigV4: hex encoding'],
    ['parse', 'ours', 'JSON parse', 'JSON parse and response checks (`parseGraphQLBody`)'],
    ['interpret', 'ours', 'interpretation', 'interpretation: `data` or a typed error'],
    ['fetchCall', 'fetch', 'fetch call', 'fetch call: `RequestInit`, Node’s fetch up to sending (synchronous part)'],
    [
      'signalFollow',
      'fetch',
      'signal following',
      'Node’s fetch following the deadline’s signal (abort listener, `setMaxListeners`)',
    ],
    ['bodyRead', 'fetch', 'body read', 'body read: `text()` or `json()` (synchronous part)'],
    [
      'undici',
      'process',
      'Node’s fetch after the call',
      'Node’s fetch after the call: HTTP parsing, streams, sockets, timers (JS; raw `fetch` parses its JSON here)',
    ],
    ['microtasks', 'process', 'scheduling', 'promise jobs and ticks (scheduling)'],
    ['native', 'process', 'native', 'native: socket writes (the kernel sends over loopback) and other'],
    ['gc', 'process', 'GC', 'garbage collection'],
    ['idle', 'process', 'idle', 'idle: waiting for the answer (the server runs in its own process)'],
  ]).map(([id, part, short, label]) => ({ id, part, short, label })),
)

// Functions of Node's that our code calls: fetch itself, and reading a body.
const FETCH = new Set(['fetch', 'fetch2'])
const BODY = new Set(['text', 'json', 'clone', 'arrayBuffer'])

/**
 * True when `called` (the frames under ours, innermost first) is Node's `Request` following a
 * caller's signal: raising its listener limit, or adding its abort listener (fetch adds one to its
 * own request's signal too, from `fetch` itself: that one is not counted here).
 *
 * @param {Frame[]} called
 */
function followsSignal(called) {
  return called.some(
    (f, i) =>
      /^(EventEmitter\.)?[gs]etMaxListeners$/.test(f.name) ||
      (f.name === 'addAbortListener' && /Request$/.test(called[i + 1]?.name ?? '')),
  )
}

// The step of a function of ours, by its source file (from the source maps) and name.
/** @type {Record<string, string | ((name: string) => string)>} */
const BY_FILE = {
  'document.ts': 'document',
  'createClient.ts': 'setup',
  'config.ts': 'setup',
  'headers.ts': 'setup',
  'events.ts': 'setup',
  'registry.ts': 'setup',
  'pipeline.ts': 'hooks',
  'deadline.ts': 'deadline',
  'abort.ts': 'deadline',
  'authorizer.ts': 'authorizer',
  'sigv4Rejections.ts': 'authorizer',
  'send.ts': 'authorizer',
  'header.ts': (name) => (name === 'authorize' ? 'header' : 'identity'),
  'apiKey.ts': 'identity',
  'token.ts': 'identity',
  'identitySource.ts': 'identity',
  'clock.ts': 'identity',
  'iamStrategy.ts': (name) => (name === 'authorize' ? 'sigv4Canonical' : 'identity'),
  'signer.ts': (name) => (/digest/i.test(name) ? 'sigv4Hash' : 'sigv4Canonical'),
  'canonical.ts': (name) => (name === 'hex' ? 'sigv4Hex' : 'sigv4Canonical'),
  'sha256.ts': 'sigv4Hash',
  'response.ts': 'parse',
  'interpret.ts': 'interpret',
  'redact.ts': 'interpret',
  'fetch.ts': 'interpret',
}

/** @typedef {{ name: string, url: string, line: number, column: number }} Frame */

/** @type {Map<string, SourceMap | null>} */
const sourceMaps = new Map()

/**
 * The source file (`src/auth/header.ts`) of a frame in one of our built files; undefined for others.
 *
 * @param {Frame} frame
 * @returns {string | undefined}
 */
function sourceOf(frame) {
  if (!/\/packages\/[a-z]+\/dist\/[^/]+\.js$/.test(frame.url)) return undefined
  let map = sourceMaps.get(frame.url)
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(frame.url)}.map`, 'utf8')))
    } catch {
      map = null
    }
    sourceMaps.set(frame.url, map)
  }
  const entry = /** @type {{ originalSource?: string }} */ (map?.findEntry(frame.line, frame.column) ?? {})
  return entry.originalSource ?? 'unknown'
}

/**
 * The step of one sample, from its stack (innermost frame first).
 *
 * @param {Frame[]} stack
 * @returns {string}
 */
export function classify(stack) {
  const at = stack.findIndex((f) => f.url.endsWith('/bench/src/rps.mjs') || sourceOf(f) !== undefined)
  if (at < 0) {
    const leaf = stack[0]
    const name = leaf?.name ?? ''
    if (name === '(garbage collector)') return 'gc'
    if (name === '(idle)') return 'idle'
    if (name === 'runMicrotasks' || leaf?.url.endsWith('task_queues')) return 'microtasks'
    return !leaf?.url ? 'native' : 'undici'
  }
  const own = /** @type {Frame} */ (stack[at])
  const called = stack.slice(0, at)
  if (followsSignal(called)) return 'signalFollow'
  const callee = called.at(-1)?.name ?? ''
  if (FETCH.has(callee)) return 'fetchCall'
  if (BODY.has(callee)) return 'bodyRead'
  const source = sourceOf(own)
  if (source === undefined) return 'bench'
  if (/\/identity\//.test(source)) return 'identity'
  if (/\/errors\//.test(source)) return 'interpret'
  const rule = BY_FILE[source.slice(source.lastIndexOf('/') + 1)]
  return typeof rule === 'function' ? rule(own.name) : (rule ?? 'setup')
}

/**
 * Microseconds per request of each step in a V8 CPU profile of `requests` requests: each sample
 * counts for the time since the previous one (its `timeDeltas` entry).
 *
 * @param {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number }, children?: number[] }[], samples: number[], timeDeltas: number[] }} profile
 * @param {number} requests
 * @returns {Record<string, number>}
 */
export function attribute(profile, requests) {
  /** @type {Map<number, { frame: Frame, parent: number | undefined }>} */
  const nodes = new Map()
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame
    nodes.set(node.id, {
      frame: { name: functionName, url, line: lineNumber, column: columnNumber },
      parent: undefined,
    })
  }
  for (const node of profile.nodes)
    for (const child of node.children ?? []) {
      const entry = nodes.get(child)
      if (entry) entry.parent = node.id
    }
  /** @type {Map<number, string>} */
  const stepOfNode = new Map()
  /** @type {Record<string, number>} */
  const out = Object.fromEntries(STEPS.map((s) => [s.id, 0]))
  profile.samples.forEach((id, i) => {
    let step = stepOfNode.get(id)
    if (step === undefined) {
      /** @type {Frame[]} */
      const stack = []
      for (let n = nodes.get(id); n; n = n.parent === undefined ? undefined : nodes.get(n.parent)) stack.push(n.frame)
      step = classify(stack)
      stepOfNode.set(id, step)
    }
    out[step] = (out[step] ?? 0) + (profile.timeDeltas[i] ?? 0) / requests
  })
  return out
}

/**
 * @typedef {object} ChildResult
 * @property {string} id
 * @property {number} wallUs Wall time per request without the profiler.
 * @property {number} cpuUs CPU time of the client process per request without the profiler (all its threads).
 * @property {number} profiledWallUs Wall time per request under the profiler.
 * @property {Record<string, number>} steps Microseconds per request under the profiler.
 */

/**
 * @param {string} id
 * @param {string} url
 * @param {{ warmup: number, requests: number, intervalUs: number }} options
 * @returns {Promise<ChildResult>}
 */
async function runChild(id, url, { warmup, requests, intervalUs }) {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      fileURLToPath(new URL('./profileChild.mjs', import.meta.url)),
      id,
      url,
      String(warmup),
      String(requests),
      String(intervalUs),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let output = ''
  child.stdout.on('data', (/** @type {Buffer} */ chunk) => (output += chunk.toString()))
  const [code] = await once(child, 'exit')
  if (code !== 0) throw new Error(`profile child ${id} exited with ${String(code)}`)
  return JSON.parse(output)
}

/**
 * @typedef {object} ProfileResult
 * @property {{ id: string, label: string }[]} candidates
 * @property {Record<string, Record<string, number>>} steps candidate → step → median µs per request (profiled)
 * @property {Record<string, import('./stats.mjs').Summary>} wallUs candidate → wall µs per request, no profiler
 * @property {Record<string, import('./stats.mjs').Summary>} cpuUs candidate → client CPU µs per request, no profiler
 * @property {Record<string, import('./stats.mjs').Summary>} profiledWallUs candidate → wall µs per request, profiled
 * @property {Record<string, import('./stats.mjs').Summary>} overRawUs candidate → its wall µs per request minus raw
 *   fetch's in the same round (no profiler), over the rounds: paired, so load that drifts over the run cancels out
 * @property {{ id: string, label: string, us: import('./stats.mjs').Summary }[]} hot our code alone, µs per request
 * @property {{ rounds: number, requests: number, intervalUs: number }} settings
 */

/**
 * @param {{ rounds: number, requests: number, warmup: number, intervalUs: number, hotSliceMs: number, log: (line: string) => void }} options
 * @returns {Promise<ProfileResult>}
 */
export async function runProfile({ rounds, requests, warmup, intervalUs, hotSliceMs, log }) {
  const server = await startServer()
  /** @type {Record<string, ChildResult[]>} */
  const runs = Object.fromEntries(PROFILE_CANDIDATES.map((id) => [id, []]))
  try {
    await interleave(PROFILE_CANDIDATES, rounds, async (id) => {
      runs[id]?.push(await runChild(id, server.url, { warmup, requests, intervalUs }))
    })
  } finally {
    await server.stop()
  }
  const labels = {
    raw: 'raw `fetch`',
    apiKey: '`client.request`, apiKey',
    iam: '`client.request`, iam (SigV4)',
  }
  /** @type {ProfileResult['steps']} */
  const steps = {}
  /** @type {ProfileResult['wallUs']} */
  const wallUs = {}
  /** @type {ProfileResult['cpuUs']} */
  const cpuUs = {}
  /** @type {ProfileResult['profiledWallUs']} */
  const profiledWallUs = {}
  /** @type {ProfileResult['overRawUs']} */
  const overRawUs = {}
  for (const [id, list] of Object.entries(runs)) {
    steps[id] = Object.fromEntries(STEPS.map((s) => [s.id, summarize(list.map((r) => r.steps[s.id] ?? 0)).median]))
    wallUs[id] = summarize(list.map((r) => r.wallUs))
    cpuUs[id] = summarize(list.map((r) => r.cpuUs))
    profiledWallUs[id] = summarize(list.map((r) => r.profiledWallUs))
    overRawUs[id] = summarize(list.map((r, round) => r.wallUs - (runs['raw']?.[round]?.wallUs ?? Number.NaN)))
    log(
      `  ${id}: ${(wallUs[id]?.median ?? 0).toFixed(0)} µs a request (client CPU ${(cpuUs[id]?.median ?? 0).toFixed(0)} µs); ours under the profiler: ${STEPS.filter(
        (s) => s.part === 'ours' && (steps[id]?.[s.id] ?? 0) >= 0.5,
      )
        .map((s) => `${s.id} ${(steps[id]?.[s.id] ?? 0).toFixed(1)}`)
        .join(', ')}`,
    )
  }
  const hot = await hotLoop({ rounds, sliceMs: hotSliceMs })
  log(`  our code alone (stub fetch): ${hot.map((h) => `${h.id} ${h.us.median.toFixed(1)} µs`).join(', ')}`)
  return {
    candidates: PROFILE_CANDIDATES.map((id) => ({ id, label: labels[/** @type {keyof typeof labels} */ (id)] })),
    steps,
    wallUs,
    cpuUs,
    profiledWallUs,
    overRawUs,
    hot,
    settings: { rounds, requests, intervalUs },
  }
}

/**
 * Our code alone: `client.request` with a stub `fetch` that answers a canned response at once, in a
 * hot loop (everything in cache), µs per request.
 *
 * @param {{ rounds: number, sliceMs: number }} options
 * @returns {Promise<ProfileResult['hot']>}
 */
async function hotLoop({ rounds, sliceMs }) {
  const { createClient } = await importDist('node')
  const answer = JSON.stringify({ data: { getPost: { id: '1', title: 'hello' } } })
  const headers = new Headers({ 'content-type': 'application/json' })
  // What send.ts and interpret.ts read of a Response (the body as a stream of one chunk, as the
  // client reads it, counting bytes); built once but for the reader, so the stub costs next to
  // nothing per request.
  const bytes = new TextEncoder().encode(answer)
  const body = {
    getReader: () => {
      let read = false
      return {
        read: () =>
          Promise.resolve(read ? { done: true, value: undefined } : ((read = true), { done: false, value: bytes })),
        cancel: () => Promise.resolve(),
      }
    },
  }
  const response = { status: 200, ok: true, statusText: 'OK', headers, body, text: () => Promise.resolve(answer) }
  const common = {
    endpoint: 'http://127.0.0.1:9/graphql',
    region: REGION,
    logger: null,
    fetch: () => Promise.resolve(response),
  }
  const candidates = [
    { id: 'apiKey', label: '`client.request`, apiKey', options: { authMode: 'apiKey', apiKey: API_KEY } },
    {
      id: 'apiKey-noTimeout',
      label: '`client.request`, apiKey, `timeoutMs: 0` (no deadline)',
      options: { authMode: 'apiKey', apiKey: API_KEY, timeoutMs: 0 },
    },
    { id: 'iam', label: '`client.request`, iam (SigV4)', options: { authMode: 'iam', credentials: CREDENTIALS } },
  ].map((c) => {
    const client = createClient({ ...common, ...c.options })
    return { ...c, op: () => client.request(QUERY, VARIABLES) }
  })
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(candidates.map((c) => [c.id, []]))
  for (const c of candidates) await opsPerSecond(c.op, { sliceMs })
  await interleave(candidates, rounds, async (c) => {
    samples[c.id]?.push(1e6 / (await opsPerSecond(c.op, { sliceMs })))
  })
  return candidates.map((c) => ({ id: c.id, label: c.label, us: summarize(samples[c.id] ?? []) }))
}
