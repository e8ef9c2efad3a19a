// examples/guest-web: built with its own build script, served on 127.0.0.1, and opened in Chromium
// as a phone (390×844, touch) against @authmode/local, whose one server is both the GraphQL
// endpoint (SigV4 verified, `@auth` enforced) and the Cognito identity-pool endpoint. Guest
// credentials live 12 s, so the page meets their expiry within the test; they are refreshed from
// half their lifetime, which leaves the reuse check 6 s of slack on a slow machine.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalAppSync, type LocalAppSync } from '@authmode/local'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildGuestWeb } from '../../../examples/guest-web/build'
import { launchChromium, type RunningChromium } from '../src/chromium'
import { serveStatic, type RunningServer } from '../src/servers'

const SCHEMA = /* GraphQL */ `
  type Post @model @auth(rules: [{ allow: public, provider: iam, operations: [read] }]) {
    id: ID!
    title: String!
  }
`
const TITLES = ['Ferry times for the long weekend', 'Market opens at eight', 'Pool closed on Monday']
const LIFETIME_SECONDS = 12
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 }

let server: LocalAppSync
let site: RunningServer
let bare: RunningServer
let chromium: RunningChromium
let outDir: string
let bundleBytes: number
let storageKey: string

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'authmode-guest-web-'))
  ;({ bytes: bundleBytes } = await buildGuestWeb(outDir))
  server = await startLocalAppSync({
    schema: SCHEMA,
    apiKeys: false,
    defaultAuthMode: 'iam',
    identityPool: { credentialLifetimeSeconds: LIFETIME_SECONDS },
  })
  const now = new Date().toISOString()
  TITLES.forEach((title, index) => {
    server.store.put('Post', { id: `post-${String(index)}`, title, createdAt: now, updatedAt: now })
  })
  storageKey = `com.amplify.Cognito.${server.identityPoolId ?? ''}.identityId`
  const config = {
    graphqlEndpoint: server.graphqlUrl,
    region: server.region,
    identityPoolId: server.identityPoolId,
    identityPoolEndpoint: `${server.url}/`,
  }
  const page = {
    '/index.html': { type: 'text/html; charset=utf-8', body: await readFile(join(outDir, 'index.html')) },
    '/main.js': { type: 'text/javascript; charset=utf-8', body: await readFile(join(outDir, 'main.js')) },
  }
  site = await serveStatic({ ...page, '/config.json': { type: 'application/json', body: JSON.stringify(config) } })
  // No config.json: the configuration comes from the query string.
  bare = await serveStatic(page)
  chromium = await launchChromium(PHONE)
})

afterAll(async () => {
  // Each is undefined when beforeAll failed before starting it.
  await (chromium as RunningChromium | undefined)?.close()
  await Promise.allSettled([
    (site as RunningServer | undefined)?.close(),
    (bare as RunningServer | undefined)?.close(),
    (server as LocalAppSync | undefined)?.stop(),
  ])
  await rm(outDir, { recursive: true, force: true })
})

/** GetId and GetCredentialsForIdentity calls the identity-pool endpoint has answered so far. */
const counts = (): { GetId: number; GetCredentialsForIdentity: number } => {
  const { GetId, GetCredentialsForIdentity } = server.identityPool?.counts() ?? {
    GetId: -1,
    GetCredentialsForIdentity: -1,
  }
  return { GetId, GetCredentialsForIdentity }
}

/** Waits for the `n`th load of the posts to finish and returns the status line. */
async function loaded(page: Page, n: number): Promise<string> {
  await expect.poll(() => page.locator('#status').getAttribute('data-loads'), { timeout: 15_000 }).toBe(String(n))
  return (await page.locator('#status').textContent()) ?? ''
}

const shownTitles = (page: Page): Promise<string[]> => page.locator('#posts li').allTextContents()

/** The secret parts of every credential the identity pool handed this page (kept in the test, never printed). */
function watchIssuedSecrets(page: Page): string[] {
  const secrets: string[] = []
  page.on('response', (response) => {
    if (response.request().headers()['x-amz-target'] !== 'AWSCognitoIdentityService.GetCredentialsForIdentity') return
    void response.json().then(
      (body: { Credentials?: { SecretKey?: string; SessionToken?: string } }) => {
        for (const secret of [body.Credentials?.SecretKey, body.Credentials?.SessionToken]) {
          if (secret) secrets.push(secret)
        }
      },
      () => undefined,
    )
  })
  return secrets
}

/** Whether any secret occurs in the page's text, its HTML or its localStorage (a boolean, so a failure prints none). */
async function leaks(page: Page, secrets: readonly string[]): Promise<boolean> {
  const text = (await page.locator('body').textContent()) ?? ''
  const html = await page.content()
  const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)))
  return secrets.some((secret) => text.includes(secret) || html.includes(secret) || stored.includes(secret))
}

describe('examples/guest-web in Chromium as a phone', () => {
  it('builds: index.html with a viewport meta, config.json and one bundled module', async () => {
    const html = await readFile(join(outDir, 'index.html'), 'utf8')
    expect(html).toContain('src="./main.js"')
    expect(html).toMatch(/<meta name="viewport" content="width=device-width, initial-scale=1/)
    expect(JSON.parse(await readFile(join(outDir, 'config.json'), 'utf8'))).toHaveProperty('identityPoolId')
    expect(bundleBytes).toBeGreaterThan(1000)
    expect(await readFile(join(outDir, 'main.js'), 'utf8')).not.toMatch(/from\s*["']@authmode\//)
  })

  it('first visit, reload and expired credentials: one GetId ever, one GetCredentialsForIdentity per need', async () => {
    const page = await chromium.newTab()
    const secrets = watchIssuedSecrets(page)

    // First visit: a new guest identity and its credentials, once each.
    await page.goto(site.origin)
    expect(await loaded(page, 1)).toBe('3 public posts, read as a guest.')
    expect(await shownTitles(page)).toEqual(TITLES)
    expect(counts()).toEqual({ GetId: 1, GetCredentialsForIdentity: 1 })
    const identityId = await page.evaluate((key) => localStorage.getItem(key), storageKey)
    expect(identityId).toMatch(/^us-east-1:[0-9a-f-]+$/)
    // A phone: the viewport, touch, and nothing wider than the screen.
    const device = await page.evaluate(() => ({
      width: innerWidth,
      touch: matchMedia('(pointer: coarse)').matches,
      overflow: document.documentElement.scrollWidth > innerWidth,
    }))
    expect(device).toEqual({ width: 390, touch: true, overflow: false })

    // Reload: the same guest from localStorage, so no GetId; credentials were in memory only.
    await page.reload()
    expect(await loaded(page, 1)).toBe('3 public posts, read as a guest.')
    expect(await shownTitles(page)).toEqual(TITLES)
    expect(counts()).toEqual({ GetId: 1, GetCredentialsForIdentity: 2 })
    expect(await page.evaluate((key) => localStorage.getItem(key), storageKey)).toBe(identityId)

    // Before expiry the credentials are reused.
    await page.locator('#refresh').tap()
    expect(await loaded(page, 2)).toBe('3 public posts, read as a guest.')
    expect(counts()).toEqual({ GetId: 1, GetCredentialsForIdentity: 2 })

    // After expiry: exactly one more GetCredentialsForIdentity, for the same identity, and no GetId.
    await new Promise((resolve) => setTimeout(resolve, (LIFETIME_SECONDS + 1) * 1000))
    await page.locator('#refresh').tap()
    expect(await loaded(page, 3)).toBe('3 public posts, read as a guest.')
    expect(await shownTitles(page)).toEqual(TITLES)
    expect(counts()).toEqual({ GetId: 1, GetCredentialsForIdentity: 3 })
    expect(await page.evaluate((key) => localStorage.getItem(key), storageKey)).toBe(identityId)

    // Three credentials were issued to this page; none of their secrets is on it or in its storage.
    await expect.poll(() => secrets.length).toBe(6)
    expect(await leaks(page, secrets)).toBe(false)
    expect(chromium.errors).toEqual([])
    await page.close()
  }, 60_000)

  it('takes its configuration from the query string when there is no config.json', async () => {
    const page = await chromium.newTab()
    const query = new URLSearchParams({
      graphqlEndpoint: server.graphqlUrl,
      region: server.region,
      identityPoolId: server.identityPoolId ?? '',
      identityPoolEndpoint: `${server.url}/`,
    })
    const before = counts()
    await page.goto(`${bare.origin}/?${query.toString()}`)
    expect(await loaded(page, 1)).toBe('3 public posts, read as a guest.')
    expect(await shownTitles(page)).toEqual(TITLES)
    // Another origin has its own localStorage: a new guest.
    expect(counts()).toEqual({
      GetId: before.GetId + 1,
      GetCredentialsForIdentity: before.GetCredentialsForIdentity + 1,
    })
    expect(chromium.errors).toEqual([])
    await page.close()
  })

  it('a page without any configuration says what is missing', async () => {
    const page = await chromium.newTab()
    await page.goto(`${bare.origin}/?region=us-east-1`)
    await expect
      .poll(() => page.locator('#status').textContent())
      .toBe(
        'Could not start: config.json: HTTP 404; put graphqlEndpoint, region, identityPoolId in config.json or the query string.',
      )
    await page.close()
  })
})
