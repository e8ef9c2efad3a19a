// Requests per second through `client.request` of @authmode/node against a loopback server, per
// mode, against raw `fetch` posting the same body (and raw `fetch` with a timeout of its own, for
// what the client's default timeout costs). All use Node's global fetch (undici, keep-alive on by
// default) against a server with a 60 s keep-alive. Interleaved rounds, bounded by time and count,
// with each candidate's requests/s also divided by raw fetch's of the same round; the server runs
// in its own process and is stopped by its PID.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { CREDENTIALS, REGION } from './fixtures.mjs'
import { importDist } from './paths.mjs'
import { collectGarbage, fixed, interleave, summarize } from './stats.mjs'

export const QUERY = 'query GetPost($id: ID!) { getPost(id: $id) { id title } }'
export const VARIABLES = Object.freeze({ id: '1' })
export const API_KEY = 'da2-benchbenchbenchbenchbench'
export const RPS_CONCURRENCY = Object.freeze([1, 8])
// What raw `fetch` sends in every row it is in.
const RAW_HEADERS = Object.freeze({ 'content-type': 'application/json; charset=UTF-8', 'x-api-key': API_KEY })

/** A JWT-shaped user pool token (unsigned; the loopback server checks only that it is there). */
function fakeIdToken() {
  const part = (/** @type {object} */ value) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const exp = Math.floor(Date.now() / 1000) + 24 * 3600
  return `${part({ alg: 'RS256', kid: 'bench' })}.${part({ sub: 'bench', token_use: 'id', exp })}.${'s'.repeat(342)}`
}

/**
 * Starts the loopback server process.
 *
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startServer() {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./server.mjs', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    await exited
  }
  try {
    const lines = createInterface({ input: child.stdout })
    const timer = setTimeout(() => child.kill('SIGTERM'), 10_000)
    const [line] = await Promise.race([
      once(lines, 'line'),
      once(child, 'exit').then(() => {
        throw new Error('the loopback server exited before listening')
      }),
    ])
    clearTimeout(timer)
    lines.close()
    const { port } = JSON.parse(String(line))
    return { url: `http://127.0.0.1:${String(port)}/graphql`, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/**
 * @typedef {object} RpsCandidate
 * @property {string} id
 * @property {string} label
 * @property {() => Promise<unknown>} op One request, answer parsed.
 */

/**
 * @param {string} url
 * @returns {Promise<RpsCandidate[]>}
 */
export async function rpsCandidates(url) {
  const { createClient } = await importDist('node')
  // \`region\` on every client: the node entry's default credential chain sets up the iam mode even
  // for apiKey clients, and iam needs a region on a non-AppSync URL such as this loopback one.
  const common = { endpoint: url, region: REGION, logger: null }
  const apiKey = createClient({ ...common, authMode: 'apiKey', apiKey: API_KEY })
  const userPool = createClient({ ...common, authMode: 'userPool', userPool: fakeIdToken() })
  const iam = createClient({ ...common, authMode: 'iam', credentials: CREDENTIALS })
  // Two rows that split the client's overhead: without its default deadline, and the iam path
  // with a signer that signs nothing (the headers of one real signature, sent every time).
  const apiKeyNoTimeout = createClient({ ...common, authMode: 'apiKey', apiKey: API_KEY, timeoutMs: 0 })
  /** @type {Record<string, string>} */
  let signed = {}
  await createClient({
    ...common,
    authMode: 'iam',
    credentials: CREDENTIALS,
    fetch: (/** @type {URL} */ input, /** @type {RequestInit} */ init) => {
      signed = /** @type {Record<string, string>} */ (init.headers)
      return fetch(input, init)
    },
  }).request(QUERY, VARIABLES)
  const { iamMode } = await importDist('core')
  const iamUnsigned = createClient({
    ...common,
    authMode: 'iam',
    credentials: CREDENTIALS,
    modes: [
      iamMode({
        signer: (/** @type {{ headers: Record<string, string> }} */ request) =>
          Promise.resolve({ ...request, headers: { ...request.headers, ...signed } }),
      }),
    ],
  })
  return [
    {
      id: 'raw',
      label: 'raw `fetch` (same body, `x-api-key`)',
      op: async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: RAW_HEADERS,
          body: JSON.stringify({ query: QUERY, variables: VARIABLES }),
        })
        if (!response.ok) throw new Error(`raw fetch: HTTP ${String(response.status)}`)
        return /** @type {{ data: unknown }} */ (await response.json()).data
      },
    },
    {
      // What any timeout that really aborts costs raw fetch: Node's fetch follows the signal it is
      // given (a listener, a WeakRef and a FinalizationRegistry entry per request). `client.request`
      // has such a timeout by default (30 s), so this row shows how much of its overhead is the timeout.
      id: 'rawTimeout',
      label: 'raw `fetch` + a 30 s timeout (own `AbortController` and timer, signal to `fetch`)',
      op: async () => {
        const controller = new AbortController()
        const timer = setTimeout(() => {
          controller.abort()
        }, 30_000)
        try {
          const response = await fetch(url, {
            method: 'POST',
            headers: RAW_HEADERS,
            body: JSON.stringify({ query: QUERY, variables: VARIABLES }),
            signal: controller.signal,
          })
          if (!response.ok) throw new Error(`raw fetch: HTTP ${String(response.status)}`)
          return /** @type {{ data: unknown }} */ (await response.json()).data
        } finally {
          clearTimeout(timer)
        }
      },
    },
    { id: 'apiKey', label: '`client.request`, apiKey', op: () => apiKey.request(QUERY, VARIABLES) },
    {
      id: 'userPool',
      label: '`client.request`, userPool (static token)',
      op: () => userPool.request(QUERY, VARIABLES),
    },
    { id: 'iam', label: '`client.request`, iam (static credentials, SigV4)', op: () => iam.request(QUERY, VARIABLES) },
    {
      id: 'apiKeyNoTimeout',
      label: '`client.request`, apiKey, `timeoutMs: 0` (no deadline)',
      op: () => apiKeyNoTimeout.request(QUERY, VARIABLES),
    },
    {
      id: 'iamUnsigned',
      label: '`client.request`, iam with a signer that signs nothing (one signature’s headers every time)',
      op: () => iamUnsigned.request(QUERY, VARIABLES),
    },
  ]
}

/**
 * Requests per second with `concurrency` loops running `op` until `sliceMs` passed or `maxRequests` started.
 *
 * @param {() => Promise<unknown>} op
 * @param {{ concurrency: number, sliceMs: number, maxRequests: number }} options
 * @returns {Promise<number>}
 */
async function requestsPerSecond(op, { concurrency, sliceMs, maxRequests }) {
  collectGarbage()
  const start = performance.now()
  const end = start + sliceMs
  let started = 0
  let done = 0
  const loop = async () => {
    while (performance.now() < end && started < maxRequests) {
      started++
      await op()
      done++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop))
  return (done * 1000) / (performance.now() - start)
}

/**
 * @typedef {object} RpsResult
 * @property {{ id: string, label: string }[]} candidates
 * @property {Record<string, Record<string, import('./stats.mjs').Summary>>} byConcurrency concurrency → candidate → requests/s
 * @property {Record<string, Record<string, import('./stats.mjs').Summary>>} ratioToRaw concurrency → candidate →
 *   its requests/s ÷ raw fetch's in the same round, summarized over rounds (median, quartiles, min, max):
 *   each ratio compares two slices run within seconds of each other, so load that comes and goes over a
 *   run cancels out of it. The API-key target is judged on the median of these per-round ratios.
 * @property {Record<string, import('./stats.mjs').Summary>} afterWork µs of work before each raw fetch → its
 *   round trip in µs (see `roundTripAfterWork`).
 */

// How long the client computes (spinning on the clock) before each raw fetch.
export const AFTER_WORK_US = Object.freeze([0, 25, 50, 100])

/**
 * The machine's part in the ratios: the round trip of a raw fetch (call to parsed answer, one at a
 * time) right after the client computed for each of `AFTER_WORK_US`. On a machine where idle CPUs
 * wake slowly, a round trip after more work is slower, so a client's own time costs it more than
 * that time. Median over rounds of each slice's median, in µs.
 *
 * @param {string} url
 * @param {number} rounds
 * @returns {Promise<Record<string, import('./stats.mjs').Summary>>}
 */
async function roundTripAfterWork(url, rounds) {
  const body = JSON.stringify({ query: QUERY, variables: VARIABLES })
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(AFTER_WORK_US.map((us) => [String(us), []]))
  await interleave(AFTER_WORK_US, rounds, async (us) => {
    collectGarbage()
    /** @type {number[]} */
    const times = []
    for (let i = 0; i < 300; i++) {
      const end = performance.now() + us / 1000
      while (performance.now() < end);
      const start = performance.now()
      await (await fetch(url, { method: 'POST', headers: RAW_HEADERS, body })).json()
      times.push((performance.now() - start) * 1000)
    }
    samples[String(us)]?.push(summarize(times.slice(50)).median)
  })
  return Object.fromEntries(Object.entries(samples).map(([us, s]) => [us, summarize(s)]))
}

/**
 * @param {{ rounds: number, sliceMs: number, warmupMs: number, log: (line: string) => void }} options
 * @returns {Promise<RpsResult>}
 */
export async function runRps({ rounds, sliceMs, warmupMs, log }) {
  const server = await startServer()
  try {
    const candidates = await rpsCandidates(server.url)
    for (const c of candidates) {
      const data = JSON.stringify(await c.op())
      if (data !== JSON.stringify({ getPost: { id: '1', title: 'hello' } }))
        throw new Error(`${c.id}: unexpected answer ${data}`)
    }
    /** @type {RpsResult['byConcurrency']} */
    const byConcurrency = {}
    /** @type {RpsResult['ratioToRaw']} */
    const ratioToRaw = {}
    for (const concurrency of RPS_CONCURRENCY) {
      const limits = { concurrency, sliceMs, maxRequests: 50_000 }
      for (const c of candidates) await requestsPerSecond(c.op, { ...limits, sliceMs: warmupMs })
      /** @type {Record<string, number[]>} */
      const samples = Object.fromEntries(candidates.map((c) => [c.id, []]))
      await interleave(candidates, rounds, async (c) => {
        samples[c.id]?.push(await requestsPerSecond(c.op, limits))
      })
      const summary = Object.fromEntries(Object.entries(samples).map(([id, s]) => [id, summarize(s)]))
      const raw = samples['raw'] ?? []
      const ratios = Object.fromEntries(
        Object.entries(samples).map(([id, s]) => [id, summarize(s.map((v, round) => v / (raw[round] ?? Number.NaN)))]),
      )
      byConcurrency[String(concurrency)] = summary
      ratioToRaw[String(concurrency)] = ratios
      log(
        `  requests/s at concurrency ${String(concurrency)}: ${candidates.map((c) => `${c.id} ${Math.round(summary[c.id]?.median ?? 0)}`).join(', ')}; ÷ raw fetch per round, median (min–max) of ${String(rounds)}: ${candidates
          .filter((c) => c.id !== 'raw')
          .map((c) => {
            const r = ratios[c.id]
            return `${c.id} ${fixed(r?.median ?? Number.NaN, 3)} (${fixed(r?.min ?? Number.NaN, 3)}–${fixed(r?.max ?? Number.NaN, 3)})`
          })
          .join(', ')}`,
      )
    }
    const afterWork = await roundTripAfterWork(server.url, rounds)
    log(
      `  raw fetch round trip after the client worked ${AFTER_WORK_US.map((us) => `${String(us)} µs: ${fixed(afterWork[String(us)]?.median ?? Number.NaN, 1)} µs`).join(', ')}`,
    )
    return {
      candidates: candidates.map(({ id, label }) => ({ id, label })),
      byConcurrency,
      ratioToRaw,
      afterWork,
    }
  } finally {
    await server.stop()
  }
}
