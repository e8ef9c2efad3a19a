// Issue 18, in workerd: a client made at module scope and shared by concurrent requests. Workers
// forbid one request touching another's I/O objects; a second request's subscription on the first
// request's WebSocket used to never settle. It now fails at once with a typed error that says what
// to do, and the README's pattern (a client per request) works for concurrent requests.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain .mjs without types (src/ is run as is by every runtime)
import { startLocal } from '../src/local.mjs'
// @ts-expect-error plain .mjs without types
import { startWorkerd } from '../src/workerd.mjs'

interface Started {
  stop: () => Promise<void>
}
interface Outcome {
  ready?: boolean
  settled?: boolean
  error?: { name: string; code: string; message: string }
  ms: number
}

const dir = mkdtempSync(join(tmpdir(), 'authmode-worker-'))
let local: Started & { config: { endpoint: string; apiKey: string } }
let workerd: Started & { url: string }

beforeAll(async () => {
  await build({
    entryPoints: [fileURLToPath(new URL('../src/shared-client-worker.mjs', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    outfile: join(dir, 'worker.js'),
    logLevel: 'silent',
  })
  local = (await startLocal(dir)) as typeof local
  workerd = (await startWorkerd(dir)) as typeof workerd
}, 30_000)

afterAll(async () => {
  await workerd.stop()
  await local.stop()
  rmSync(dir, { recursive: true, force: true })
})

const post = async (path: string, holdMs = 0): Promise<Outcome> => {
  const response = await fetch(`${workerd.url}${path}`, {
    method: 'POST',
    body: JSON.stringify({ config: local.config, holdMs }),
  })
  expect(response.status).toBe(200)
  return (await response.json()) as Outcome
}

describe('workerd: a client shared by concurrent requests', () => {
  it("a second request's subscription on the first request's connection fails at once, typed, saying what to do", async () => {
    const first = post('/shared', 1500)
    await new Promise((resolve) => setTimeout(resolve, 500)) // the first request's socket is open
    const second = await post('/shared')
    expect(second.error).toMatchObject({ name: 'SubscriptionError', code: 'ERR_SUBSCRIPTION' })
    expect(second.error?.message).toBe('In a Worker, create the client per request.')
    expect(second.ms).toBeLessThan(1000)
    expect(await first).toMatchObject({ ready: true })
  }, 20_000)

  it('a client per request (the README pattern): concurrent subscriptions each get ready', async () => {
    const first = post('/per-request', 1000)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await post('/per-request')).toMatchObject({ ready: true })
    expect(await first).toMatchObject({ ready: true })
  }, 20_000)
})
