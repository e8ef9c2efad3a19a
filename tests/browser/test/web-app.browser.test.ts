// examples/web-app: built with its own build script, served on 127.0.0.1 with a config.json that
// points at its local backend (examples/web-app/local.ts: @authmode/local with its own user pool,
// as `pnpm dev` runs it), and used in Chromium the way a person would: type, click, read the page.
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWebApp } from '../../../examples/web-app/build'
import { startLocalBackend, type LocalBackend } from '../../../examples/web-app/local'
import { launchChromium, type RunningChromium } from '../src/chromium'
import { serveStatic, type RunningServer } from '../src/servers'

let backend: LocalBackend
let site: RunningServer
let chromium: RunningChromium
const alice = { username: 'alice', password: `Pw-${randomBytes(12).toString('base64url')}-aA1!` }
let outDir: string
let bundleBytes: number

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'authmode-web-app-'))
  ;({ bytes: bundleBytes } = await buildWebApp(outDir))
  backend = await startLocalBackend([alice])
  site = await serveStatic({
    '/index.html': { type: 'text/html; charset=utf-8', body: await readFile(join(outDir, 'index.html')) },
    '/main.js': { type: 'text/javascript; charset=utf-8', body: await readFile(join(outDir, 'main.js')) },
    '/config.json': { type: 'application/json', body: JSON.stringify(backend.config) },
  })
  chromium = await launchChromium()
})

afterAll(async () => {
  // Each is undefined when beforeAll failed before starting it.
  await (chromium as RunningChromium | undefined)?.close()
  await Promise.allSettled([
    (site as RunningServer | undefined)?.close(),
    (backend as LocalBackend | undefined)?.stop(),
  ])
  await rm(outDir, { recursive: true, force: true })
})

const statusOf = (page: Page) => page.locator('#status')
/** Calls of `operation` the local user pool received. */
const calls = (operation: 'InitiateAuth' | 'RevokeToken'): number =>
  backend.server.userPool?.handler.counts()[operation] ?? 0

describe('examples/web-app in Chromium', () => {
  it('builds: index.html, config.json and one bundled module', async () => {
    const html = await readFile(join(outDir, 'index.html'), 'utf8')
    expect(html).toContain('src="./main.js"')
    expect(JSON.parse(await readFile(join(outDir, 'config.json'), 'utf8'))).toHaveProperty('userPoolClientId')
    expect(bundleBytes).toBeGreaterThan(1000)
    // Everything is bundled: no bare import is left for the browser to resolve.
    expect(await readFile(join(outDir, 'main.js'), 'utf8')).not.toMatch(/from\s*["']@authmode\//)
  })

  it('signs in, calls the API, stays signed in after a reload, and signs out', async () => {
    const page = await chromium.newTab()
    await page.goto(site.origin)
    await expect.poll(() => statusOf(page).textContent()).toBe('Not signed in.')

    await page.fill('input[name=username]', alice.username)
    await page.fill('input[name=password]', alice.password)
    await page.click('button[type=submit]')
    await expect.poll(() => statusOf(page).textContent()).toBe('Signed in as alice.')
    expect(calls('InitiateAuth')).toBe(1)
    // The session is in localStorage in Amplify's layout, where Amplify and amazon-cognito-identity-js look too.
    const clientId = backend.config.userPoolClientId
    expect(
      await page.evaluate(
        (key) => localStorage.getItem(key),
        `CognitoIdentityServiceProvider.${clientId}.LastAuthUser`,
      ),
    ).toBe('alice')

    await page.click('#load-profile')
    await expect.poll(() => page.locator('#output').textContent()).toContain('"username": "alice"')

    await page.reload()
    await expect.poll(() => statusOf(page).textContent()).toBe('Signed in as alice.')
    await page.click('#load-profile')
    await expect.poll(() => page.locator('#output').textContent()).toContain('"username": "alice"')
    expect(calls('InitiateAuth')).toBe(1)

    await page.click('#sign-out')
    await expect.poll(() => statusOf(page).textContent()).toBe('Signed out.')
    expect(calls('RevokeToken')).toBe(1)
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('CognitoIdentity'))),
    ).toEqual([])
    await page.reload()
    await expect.poll(() => statusOf(page).textContent()).toBe('Not signed in.')
    expect(chromium.errors).toEqual([])
    await page.close()
  })

  it('a wrong password shows the typed error, and no password or token reaches the page text', async () => {
    const page = await chromium.newTab()
    await page.goto(site.origin)
    await expect.poll(() => statusOf(page).textContent()).toBe('Not signed in.')
    await page.fill('input[name=username]', alice.username)
    await page.fill('input[name=password]', `${alice.password}-wrong`)
    await page.click('button[type=submit]')
    await expect.poll(() => statusOf(page).textContent()).toMatch(/^Sign-in failed: ERR_SIGN_IN: /)
    const text = (await page.locator('body').textContent()) ?? ''
    expect(text.includes(alice.password)).toBe(false)
    await page.close()
  })
})
