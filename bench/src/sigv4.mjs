// SigV4 request preparation per second in Node: build and sign an AppSync POST carrying a session
// token, for our node and browser entries and the anchors, interleaved in rounds.
import aws4 from 'aws4'
import { AwsV4Signer } from 'aws4fetch'
import { signRequest } from '@aws-amplify/core/internals/aws-client-utils'
import { CONTENT_TYPE, CREDENTIALS, ENDPOINT, REGION, assertSigned, graphqlBody } from './fixtures.mjs'
import { importDist } from './paths.mjs'
import { interleave, opsPerSecond, summarize } from './stats.mjs'

export const SIGV4_SIZES = Object.freeze([300, 30 * 1024])

/**
 * @typedef {object} SignCandidate
 * @property {string} id
 * @property {string} label
 * @property {string} how What one operation is.
 * @property {(body: string) => { op: () => unknown, check: () => Promise<void> }} prepare
 */

/** @returns {Promise<SignCandidate[]>} */
export async function signCandidates() {
  const node = await importDist('node')
  const { createSigV4Signer } = await importDist('coreSigv4')
  const browser = await importDist('browser')
  const url = new URL(ENDPOINT)

  /** A fetch that records the headers it was given and answers a shared 200 whose body is never read. */
  const stubFetch = () => {
    const canned = new Response(null, { status: 200 })
    /** @type {HeadersInit | undefined} */
    let last
    // Keeps what it was given and reads it only when checked: the stub costs nothing per operation.
    /** @type {typeof fetch} */
    const fetchStub = (_input, init) => {
      last = init?.headers
      return Promise.resolve(canned)
    }
    return { fetchStub, lastHeaders: () => new Headers(last) }
  }

  /**
   * Our full per-request path: `createAuthFetch` as graphql-request or Apollo would call it.
   *
   * @param {string} id
   * @param {Record<string, any>} entry
   * @returns {SignCandidate['prepare']}
   */
  const throughAuthFetch = (id, entry) => (body) => {
    const { fetchStub, lastHeaders } = stubFetch()
    const authFetch = entry.createAuthFetch({
      endpoint: ENDPOINT,
      authMode: 'iam',
      credentials: CREDENTIALS,
      fetch: fetchStub,
      logger: null,
    })
    const init = { method: 'POST', headers: { 'content-type': CONTENT_TYPE }, body }
    return {
      op: () => authFetch(ENDPOINT, init),
      check: async () => {
        await authFetch(ENDPOINT, init)
        assertSigned(id, lastHeaders())
      },
    }
  }

  return [
    {
      id: 'node',
      label: '@authmode/node',
      how: '`createAuthFetch` (iam, static credentials) with a stub `fetch`: the whole per-request path (mode pick, memoized credentials, hooks step, our SigV4 signer with Node’s native SHA-256, fetch init; no timeout, as `createAuthFetch` has none unless `timeoutMs` is set)',
      prepare: throughAuthFetch('node', node),
    },
    {
      id: 'browser',
      label: '@authmode/browser',
      how: 'the same path through the browser entry (SigV4 hashing with `@aws-crypto/sha256-js`, pure JS)',
      prepare: throughAuthFetch('browser', browser),
    },
    {
      id: 'node-signer',
      label: '@authmode/node signer only',
      how: '`createSigV4Signer({ sha256: NodeSha256 })`, our signer as `iamMode` calls it (Node’s native SHA-256), on a plain request: no client around it',
      prepare: (body) => {
        const sign = createSigV4Signer({ sha256: node.NodeSha256 })
        const run = () =>
          sign(
            { method: 'POST', url: new URL(ENDPOINT), headers: { 'content-type': CONTENT_TYPE }, body },
            CREDENTIALS,
            {
              region: REGION,
              service: 'appsync',
              signingDate: new Date(),
            },
          )
        return {
          op: run,
          check: async () => {
            assertSigned('node-signer', (await run()).headers)
          },
        }
      },
    },
    {
      id: 'amplify',
      label: 'Amplify v6 signer',
      how: '`signRequest` of `@aws-amplify/core/internals/aws-client-utils` (what Amplify’s IAM middleware calls; sha256-js, synchronous)',
      prepare: (body) => {
        const run = () =>
          signRequest(
            { url: new URL(ENDPOINT), method: 'POST', headers: { 'content-type': CONTENT_TYPE }, body },
            { credentials: CREDENTIALS, signingRegion: REGION, signingService: 'appsync', signingDate: new Date() },
          )
        return {
          op: run,
          check: () => {
            assertSigned('amplify', run().headers)
            return Promise.resolve()
          },
        }
      },
    },
    {
      id: 'aws4',
      label: 'aws4',
      how: '`aws4.sign` (Node `crypto`, synchronous)',
      prepare: (body) => {
        const run = () =>
          aws4.sign(
            {
              host: url.host,
              path: url.pathname,
              method: 'POST',
              service: 'appsync',
              region: REGION,
              headers: { 'content-type': CONTENT_TYPE },
              body,
            },
            CREDENTIALS,
          )
        return {
          op: run,
          check: () => {
            assertSigned('aws4', /** @type {Record<string, string>} */ (run().headers))
            return Promise.resolve()
          },
        }
      },
    },
    {
      id: 'aws4fetch',
      label: 'aws4fetch',
      how: '`new AwsV4Signer({…}).sign()` (`crypto.subtle`); the signer alone, without building a `Request`',
      prepare: (body) => {
        const run = () =>
          new AwsV4Signer({
            url: ENDPOINT,
            method: 'POST',
            headers: { 'content-type': CONTENT_TYPE },
            body,
            ...CREDENTIALS,
            service: 'appsync',
            region: REGION,
          }).sign()
        return {
          op: run,
          check: async () => {
            assertSigned('aws4fetch', (await run()).headers)
          },
        }
      },
    },
  ]
}

/**
 * @typedef {object} SigV4Result
 * @property {{ id: string, label: string, how: string }[]} candidates
 * @property {Record<string, Record<string, import('./stats.mjs').Summary>>} bySize size → candidate → ops/s
 */

/**
 * @param {{ rounds: number, sliceMs: number, warmupMs: number, log: (line: string) => void }} options
 * @returns {Promise<SigV4Result>}
 */
export async function runSigV4({ rounds, sliceMs, warmupMs, log }) {
  const candidates = await signCandidates()
  /** @type {SigV4Result['bySize']} */
  const bySize = {}
  for (const size of SIGV4_SIZES) {
    const body = graphqlBody(size)
    const prepared = candidates.map((c) => ({ id: c.id, ...c.prepare(body) }))
    for (const p of prepared) await p.check()
    for (const p of prepared) await opsPerSecond(p.op, { sliceMs: warmupMs })
    /** @type {Record<string, number[]>} */
    const samples = Object.fromEntries(prepared.map((p) => [p.id, []]))
    await interleave(prepared, rounds, async (p) => {
      samples[p.id]?.push(await opsPerSecond(p.op, { sliceMs }))
    })
    bySize[String(size)] = Object.fromEntries(Object.entries(samples).map(([id, s]) => [id, summarize(s)]))
    log(
      `  sigv4 ${String(size)} B: ${prepared.map((p) => `${p.id} ${Math.round(bySize[String(size)]?.[p.id]?.median ?? 0)}/s`).join(', ')}`,
    )
  }
  return { candidates: candidates.map(({ id, label, how }) => ({ id, label, how })), bySize }
}
