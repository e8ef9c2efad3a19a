// Issue 17 in real Chromium: the page signs in with its session in document.cookie
// (documentCookieStorage of the built @authmode/browser) against @authmode/local's user pool; the
// server-rendering app of tests/e2e/src/ssr.ts (@authmode/node, a cookie jar, session and client per
// request) reads that session from the request's cookies and renders the user's owner-protected
// notes; when the ID token has expired it refreshes on the server and sets the new cookies, which
// the page then goes on with. A manual clock, shared by the local API and the server, makes "two
// hours later" instant. No token is returned from the page or printed.
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalAppSync, type LocalAppSync, type LocalUserPool } from '@authmode/local'
import { serve, ssrApp, type Note, type ServedApp } from '../../e2e/src/ssr'
import type { AmplifyPageConfig } from '../pages/amplify-cookies'
import type { SsrPageConfig } from '../pages/ssr-cookies'
import { bundle } from '../src/bundle'
import { launchChromium, type RunningChromium } from '../src/chromium'

const SCHEMA = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String!
  }
`
const PASSWORD = `Pw-${randomBytes(12).toString('base64url')}-aA1!`
const HOUR = 3_600_000
let now = Date.now()
const clock = { now: () => now }
let server: LocalAppSync
let pool: LocalUserPool
let app: ServedApp
let chromium: RunningChromium
let clientId: string

const escape = (text: string): string => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    apiKeys: false,
    clock,
    userPool: {
      users: [{ username: 'alice', password: PASSWORD }],
      clients: [{ refreshTokenRotation: { retryGracePeriodSeconds: 0 } }],
    },
  })
  pool = server.userPool as LocalUserPool
  clientId = pool.clients[0]?.clientId ?? ''
  const config: SsrPageConfig = { clientId, userPoolEndpoint: pool.endpoint, graphqlUrl: server.graphqlUrl }
  const html = (body: string): string =>
    `<!doctype html><html><head><meta charset="utf-8"><title>ssr</title></head><body>${body}` +
    `<script>globalThis.SSR_CONFIG = ${JSON.stringify(config)}</script><script type="module" src="/page.js"></script></body></html>`
  const page = async (name: string): Promise<string> =>
    (await bundle(fileURLToPath(new URL(`../pages/${name}.ts`, import.meta.url)))).code
  const [code, amplifyCode] = await Promise.all([page('ssr-cookies'), page('amplify-cookies')])
  app = await serve(
    ssrApp({
      graphqlUrl: server.graphqlUrl,
      userPoolEndpoint: pool.endpoint,
      clientId,
      clock,
      page: (notes: readonly Note[]) =>
        html(`<ul id="notes">${notes.map((note) => `<li>${escape(note.text)}</li>`).join('')}</ul>`),
    }),
    {
      '/login': { type: 'text/html; charset=utf-8', body: html('<p>sign in</p>') },
      '/page.js': { type: 'text/javascript; charset=utf-8', body: code },
      '/amplify': {
        type: 'text/html; charset=utf-8',
        body: '<!doctype html><html><head><meta charset="utf-8"><title>amplify</title></head><body><script type="module" src="/amplify.js"></script></body></html>',
      },
      '/amplify.js': { type: 'text/javascript; charset=utf-8', body: amplifyCode },
      // Chromium asks for one on every page; a 404 in its console would hide real errors.
      '/favicon.ico': { type: 'image/x-icon', body: '' },
    },
  )
  chromium = await launchChromium()
})

afterAll(async () => {
  await (chromium as RunningChromium | undefined)?.close()
  await (app as ServedApp | undefined)?.close()
  await (server as LocalAppSync | undefined)?.stop()
})

const renderedNotes = (tab: Page): Promise<string[]> => tab.locator('#notes li').allTextContents()

describe('a session in cookies shared by the page (document.cookie) and the server', () => {
  it('signs in on the page, renders owner data on the server, refreshes there, and the page goes on with the new cookies', async () => {
    const tab = await chromium.newTab()
    await tab.goto(`${app.origin}/login`)
    await tab.waitForFunction(() => 'ssr' in window)
    // Signed in on the page: Amplify's cookie names, readable by the page (not HttpOnly), no Secure on 127.0.0.1.
    await tab.evaluate((password) => window.ssr.signIn('alice', password), PASSWORD)
    const prefix = `CognitoIdentityServiceProvider.${clientId}`
    expect((await tab.evaluate(() => window.ssr.cookieNames())).sort()).toEqual(
      [
        `${prefix}.LastAuthUser`,
        ...['accessToken', 'clockDrift', 'idToken', 'refreshToken'].map((p) => `${prefix}.alice.${p}`),
      ].sort(),
    )
    const cookies = await chromium.context.cookies(app.origin)
    expect(cookies.every((c) => c.path === '/' && c.sameSite === 'Lax' && !c.secure && !c.httpOnly)).toBe(true)
    // ~30 days (the refresh token's default lifetime).
    const days = (Math.min(...cookies.map((c) => c.expires)) - Date.now() / 1000) / 86_400
    expect(days).toBeGreaterThan(29.9)
    expect(days).toBeLessThan(30.1)

    // A note from the page, one from the server (the session from the request's cookies), both rendered by the server.
    expect(await tab.evaluate(() => window.ssr.createNote('from the page'))).toContain('alice')
    const posted = await tab.evaluate(async () => {
      const response = await fetch('/notes', { method: 'POST', body: JSON.stringify({ text: 'from the server' }) })
      return ((await response.json()) as { owner: string }).owner
    })
    expect(posted).toContain('alice')
    const first = await tab.goto(`${app.origin}/`)
    expect(first?.status()).toBe(200)
    expect((await renderedNotes(tab)).sort()).toEqual(['from the page', 'from the server'])
    // Nothing to refresh yet: no cookies set.
    expect(await first?.headerValue('set-cookie')).toBeNull()
    const before = await tab.evaluate(() => window.ssr.idTokenClaims())
    expect(before?.username).toBe('alice')

    // Two hours later the ID token has expired: the server refreshes while rendering and sets the new cookies.
    now += 2 * HOUR
    const second = await tab.goto(`${app.origin}/`)
    expect(second?.status()).toBe(200)
    expect((await renderedNotes(tab)).sort()).toEqual(['from the page', 'from the server'])
    const set = (await second?.headerValue('set-cookie')) ?? ''
    expect(set).toContain(`${prefix}.alice.idToken=`)
    expect(set).toContain(`${prefix}.alice.refreshToken=`) // rotated
    await tab.waitForFunction(() => 'ssr' in window)
    const after = await tab.evaluate(() => window.ssr.idTokenClaims())
    expect(after?.username).toBe('alice')
    expect(Number(after?.iat)).toBeGreaterThanOrEqual(Math.floor(now / 1000) - 5)
    // The page goes on with the server's refreshed session (the old ID token has expired for the API).
    expect(await tab.evaluate(() => window.ssr.createNote('after the refresh'))).toContain('alice')

    // And again: the rotated refresh token the server wrote is the one the browser sends next.
    now += 2 * HOUR
    await tab.goto(`${app.origin}/`)
    expect((await renderedNotes(tab)).sort()).toEqual(['after the refresh', 'from the page', 'from the server'])
    expect(chromium.errors.map((e) => e.slice(0, 200))).toEqual([])
  })
})

describe('interop with Amplify v6’s own cookie storage (@aws-amplify/core CookieStorage, as `ssr: true` sets it up)', () => {
  it('a session Amplify signed in, in its cookies, is used by our server code; the cookies our server refreshes are Amplify’s session', async () => {
    await chromium.context.clearCookies()
    chromium.errors.length = 0
    const tab = await chromium.newTab()
    await tab.goto(`${app.origin}/amplify`)
    await tab.waitForFunction(() => 'amplify' in window)
    const config: AmplifyPageConfig = { userPoolId: pool.userPoolId, clientId, userPoolEndpoint: pool.endpoint }
    await tab.evaluate((c) => {
      window.amplify.configure(c)
    }, config)
    expect(await tab.evaluate((password) => window.amplify.signIn('alice', password), PASSWORD)).toBe(true)
    const prefix = `CognitoIdentityServiceProvider.${clientId}`
    const names = (await chromium.context.cookies(app.origin)).map((c) => c.name)
    expect(names).toEqual(expect.arrayContaining([`${prefix}.LastAuthUser`, `${prefix}.alice.idToken`]))

    // Our server, from Amplify's cookies: creates and renders as alice.
    const owner = await tab.evaluate(async () => {
      const response = await fetch('/notes', { method: 'POST', body: JSON.stringify({ text: 'amplify signed in' }) })
      return ((await response.json()) as { owner: string }).owner
    })
    expect(owner).toContain('alice')
    await tab.goto(`${app.origin}/`)
    expect(await renderedNotes(tab)).toContain('amplify signed in')

    // Our server refreshes (the ID token expired) and writes the cookies; Amplify's session is the new one.
    now += 2 * HOUR
    const refreshed = await tab.goto(`${app.origin}/`)
    expect((await refreshed?.headerValue('set-cookie')) ?? '').toContain(`${prefix}.alice.idToken=`)
    await tab.goto(`${app.origin}/amplify`)
    await tab.waitForFunction(() => 'amplify' in window)
    await tab.evaluate((c) => {
      window.amplify.configure(c)
    }, config)
    const claims = await tab.evaluate(() => window.amplify.idTokenClaims())
    expect(claims?.username).toBe('alice')
    expect(Number(claims?.iat)).toBeGreaterThanOrEqual(Math.floor(now / 1000) - 5)
    expect(chromium.errors).toEqual([])
  })
})
