// examples/next-app (Next.js App Router, Next from npm): built with `next build` (offline,
// telemetry off), started with `next start` on 127.0.0.1 against @authmode/local (its user pool,
// owner rule, real-time endpoint), and used in Chromium as a person would: sign in, see the notes the
// server component rendered with the session from cookies, add one and see it arrive on the page's
// live subscription; then the ID token (8 s here) becomes due, the next page load refreshes it in
// the proxy (middleware), which sets the new cookies, and the page goes on with that session.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalAppSync, type LocalAppSync, type LocalUserPool } from '@authmode/local'
import { launchChromium, type RunningChromium } from '../src/chromium'

const APP_DIR = fileURLToPath(new URL('../../../examples/next-app/', import.meta.url))
const NEXT_BIN = fileURLToPath(new URL('../../../examples/next-app/node_modules/next/dist/bin/next', import.meta.url))
const SCHEMA = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String!
  }
`
const TOKEN_SECONDS = 8
const PASSWORD = `Pw-${randomBytes(12).toString('base64url')}-aA1!`
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

let server: LocalAppSync
let pool: LocalUserPool
let next: ChildProcess | undefined
let origin: string
let chromium: RunningChromium
const output: string[] = []
export const timings: Record<string, number> = {}

/** Runs `next <args>` in the example; resolves when it exits 0 (or, with `until`, when its output matches). */
function runNext(args: string[], env: Record<string, string>, until?: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, [NEXT_BIN, ...args], {
    cwd: APP_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer): void => {
      output.push(chunk.toString())
      if (until?.test(output.join(''))) resolve(child)
    }
    child.stdout.on('data', seen)
    child.stderr.on('data', seen)
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code === 0 && !until) resolve(child)
      else reject(new Error(`next ${args[0] ?? ''} exited with ${String(code)}: ${output.join('').slice(-2000)}`))
    })
  })
}

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise<void>((resolve) =>
    probe.close(() => {
      resolve()
    }),
  )
  return port
}

beforeAll(async () => {
  let started = Date.now()
  await runNext(['build'], {})
  timings['next build'] = Date.now() - started
  started = Date.now()
  server = await startLocalAppSync({
    schema: SCHEMA,
    apiKeys: false,
    userPool: {
      users: [{ username: 'alice', password: PASSWORD }],
      clients: [{ idTokenValiditySeconds: TOKEN_SECONDS, accessTokenValiditySeconds: TOKEN_SECONDS }],
    },
  })
  pool = server.userPool as LocalUserPool
  const port = await freePort()
  origin = `http://127.0.0.1:${String(port)}`
  next = await runNext(
    ['start', '-p', String(port), '-H', '127.0.0.1'],
    {
      AUTHMODE_CLIENT_ID: pool.clients[0]?.clientId ?? '',
      AUTHMODE_USER_POOL_ENDPOINT: pool.endpoint,
      AUTHMODE_GRAPHQL_URL: server.graphqlUrl,
    },
    /Ready in/,
  )
  chromium = await launchChromium()
  timings['start'] = Date.now() - started
}, 240_000)

afterAll(async () => {
  await (chromium as RunningChromium | undefined)?.close()
  next?.kill()
  await (server as LocalAppSync | undefined)?.stop()
})

describe('examples/next-app in Chromium', () => {
  it('signs in, renders owner data on the server, refreshes in the proxy with new cookies, and the page goes on live', async () => {
    const started = Date.now()
    const tab = await chromium.newTab()
    await tab.goto(`${origin}/`)
    await tab.getByLabel('username').fill('alice')
    await tab.getByLabel('password').fill(PASSWORD)
    await tab.getByRole('button', { name: 'Sign in' }).click()
    // Reloaded: the server component rendered the (empty) list with the session from the cookies.
    await tab.locator('#live-status', { hasText: 'live' }).waitFor()
    const prefix = `CognitoIdentityServiceProvider.${pool.clients[0]?.clientId ?? ''}`
    const idToken = async (): Promise<string | undefined> =>
      (await chromium.context.cookies(origin)).find((c) => c.name === `${prefix}.alice.idToken`)?.value

    // Added on the page: it arrives on the live subscription, and the server renders it next time.
    await tab.getByLabel('text').fill('first note')
    await tab.getByRole('button', { name: 'Add' }).click()
    await tab.locator('#live li', { hasText: 'first note' }).waitFor()
    const first = await tab.goto(`${origin}/`)
    expect(await tab.locator('#notes li').allTextContents()).toEqual(['first note'])
    expect(await first?.headerValue('set-cookie')).toBeNull()
    const before = await idToken()

    // The ID token becomes due (refreshed ahead, with half its lifetime left): the next load refreshes it in the proxy.
    await sleep((TOKEN_SECONDS / 2) * 1000 + 500)
    const refreshes = pool.handler.counts().GetTokensFromRefreshToken
    const second = await tab.goto(`${origin}/`)
    expect(second?.status()).toBe(200)
    expect((await second?.headerValue('set-cookie')) ?? '').toContain(`${prefix}.alice.idToken=`)
    expect(pool.handler.counts().GetTokensFromRefreshToken).toBeGreaterThan(refreshes)
    expect(await tab.locator('#notes li').allTextContents()).toEqual(['first note'])
    const after = await idToken()
    expect(after !== undefined && after !== before).toBe(true)

    // The page goes on with the session the server refreshed: live again, and a new note arrives.
    await tab.locator('#live-status', { hasText: 'live' }).waitFor()
    await tab.getByLabel('text').fill('second note')
    await tab.getByRole('button', { name: 'Add' }).click()
    await tab.locator('#live li', { hasText: 'second note' }).waitFor()
    expect(chromium.errors.map((e) => e.slice(0, 300))).toEqual([])
    timings['test'] = Date.now() - started
    console.info(`examples/next-app timings (ms): ${JSON.stringify(timings)}`)
  }, 60_000)
})
