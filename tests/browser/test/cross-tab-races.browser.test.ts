// Issue 13, finding 4, in real Chromium: two tabs of one profile share localStorage, and neither
// has Web Locks (as in an insecure context), so each refreshes under its own in-page lock, the
// default there. The Cognito they call rotates refresh tokens (a used one is refused with
// RefreshTokenReuseException), which cognito-local does not: a small one of ours on 127.0.0.1
// (src/rotatingCognito.ts). The page is the published @authmode/browser, bundled (pages/session.ts).
// Nothing here returns or prints a token: the page gives claims and digests only.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PageConfig, TokenSummary } from '../pages/session'
import { launchChromium, type RunningChromium } from '../src/chromium'
import { startRotatingCognito, type RotatingCognito } from '../src/rotatingCognito'
import type { RunningServer } from '../src/servers'
import { servePage } from '../src/site'

const LIFETIME_S = 2
const CLIENT_ID = 'rotatingclient0000000000001'
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

let cognito: RotatingCognito
let site: RunningServer
let chromium: RunningChromium

beforeAll(async () => {
  cognito = await startRotatingCognito({ lifetimeS: LIFETIME_S })
  site = await servePage('session')
  chromium = await launchChromium()
})

afterAll(async () => {
  await (chromium as RunningChromium | undefined)?.close()
  await Promise.allSettled([
    (site as RunningServer | undefined)?.close(),
    (cognito as RotatingCognito | undefined)?.close(),
  ])
})

const config = (): PageConfig => ({
  clientId: CLIENT_ID,
  region: 'us-east-1',
  cognitoEndpoint: cognito.endpoint,
  sharedLock: false,
})

async function openTab(): Promise<Page> {
  const tab = await chromium.newTab()
  // As in an insecure context or an old browser: no navigator.locks.
  await tab.addInitScript(() => {
    Reflect.deleteProperty(Navigator.prototype, 'locks')
  })
  await tab.goto(site.origin)
  await tab.waitForFunction(() => 'app' in window)
  return tab
}

/** Tab A signs in, tab B restores the session from localStorage; both without a shared lock. */
async function twoSignedInTabs(): Promise<[Page, Page]> {
  const [a, b] = [await openTab(), await openTab()]
  expect(await a.evaluate(() => window.app.unsharedLockKind)).toBe('in-process')
  await a.evaluate(([c, u, p]) => window.app.signIn(c, u, p), [config(), 'alice', 'any-password'] as const)
  // Chromium hands one tab's localStorage writes to another's renderer asynchronously: B restores
  // once it sees A's session, as a page loaded a moment later would.
  await b.waitForFunction((id) => window.app.stored(id), CLIENT_ID)
  expect(await b.evaluate((c) => window.app.restore(c), config())).toBe(true)
  return [a, b]
}

const stored = (tab: Page): Promise<boolean> => tab.evaluate((id) => window.app.stored(id), CLIENT_ID)
/** The token's summary, or the error's name: a failing assertion must never print a token. */
const token = (tab: Page, startAt?: number): Promise<TokenSummary | string> =>
  tab.evaluate(
    (at) =>
      window.app.token(at).then(
        (summary) => summary,
        (error: unknown) => (error instanceof Error ? error.name : 'non-error'),
      ),
    startAt,
  )
const refreshes = (): string[] =>
  cognito.calls
    .filter((call) => call.operation === 'GetTokensFromRefreshToken')
    .map((call) => `${String(call.status)} from ${call.origin ?? '?'}`)

describe('two tabs without a shared lock, against a Cognito that rotates refresh tokens', () => {
  it("the tab that loses the refresh race adopts the winner's tokens instead of clearing them", async () => {
    const [a, b] = await twoSignedInTabs()
    const before = await token(a)
    expect(await token(b)).toEqual(before)
    await sleep(LIFETIME_S * 1000 + 500)
    // The refused reuse answers last, after the winner has stored its tokens.
    cognito.delays.refreshMs = 0
    cognito.delays.reuseMs = 500
    cognito.reset()
    const startAt = Date.now() + 300
    const [tokenA, tokenB] = await Promise.all([token(a, startAt), token(b, startAt)])
    // Both tabs refreshed with the same refresh token: one won, the other was refused.
    expect(refreshes().sort()).toEqual([`200 from ${site.origin}`, `400 from ${site.origin}`])
    expect(typeof tokenA).toBe('object')
    expect(tokenA).toEqual(tokenB)
    expect((tokenA as TokenSummary).digest).not.toBe((before as TokenSummary).digest)
    // The winner's session is still stored, and both tabs go on with it without another refresh.
    expect([await stored(a), await stored(b)]).toEqual([true, true])
    expect([await token(a), await token(b)]).toEqual([tokenA, tokenA])
    expect(refreshes()).toHaveLength(2)
    // Chromium logs the refused reuse (a 400) as a console error; nothing else went wrong.
    expect(chromium.errors).toEqual([
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ])
    chromium.errors.length = 0
    await Promise.all([a.close(), b.close()])
  })

  it('a refresh that finishes after a sign-out in the other tab does not sign the user in again', async () => {
    const [a, b] = await twoSignedInTabs()
    await sleep(LIFETIME_S * 1000 + 500)
    cognito.delays.refreshMs = 1000
    cognito.delays.reuseMs = 0
    cognito.reset()
    // Tab A starts a refresh; while Cognito takes its time, tab B signs out.
    const pending = token(a)
    await sleep(300)
    await b.evaluate(() => window.app.signOut())
    expect(await stored(b)).toBe(false)
    expect(await pending).toBe('NoIdentityError')
    expect(refreshes()).toEqual([`200 from ${site.origin}`])
    expect(cognito.calls.filter((call) => call.operation === 'RevokeToken')).toHaveLength(1)
    // Signed out in both tabs, and after a reload too.
    expect([await stored(a), await stored(b)]).toEqual([false, false])
    expect(await token(a)).toBe('NoIdentityError')
    await a.reload()
    await a.waitForFunction(() => 'app' in window)
    expect(await a.evaluate((c) => window.app.restore(c), config())).toBe(false)
    expect(chromium.errors).toEqual([])
    await Promise.all([a.close(), b.close()])
  })
})
