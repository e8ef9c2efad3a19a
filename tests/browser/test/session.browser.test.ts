// In real Chromium (Debian's, via playwright-core): a page built from the published
// @authmode/browser signs in against cognito-local, keeps its session in localStorage across a
// reload, calls the AppSync simulator's user-pool-only field, and two tabs whose token expired
// refresh once between them, with Web Locks and with the localStorage-lease fallback.
// cognito-local and the simulator are other origins than the page: real CORS. Cognito calls go
// through a counting proxy; no token is ever returned from the page or printed.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../e2e/src/simulator'
import type { PageConfig, TokenSummary } from '../pages/session'
import { launchChromium, type RunningChromium } from '../src/chromium'
import { createTestUser, shortLivedClient, startCognitoLocal, type CognitoLocal, type TestUser } from '../src/cognito'
import { countingProxy, type CountingProxy, type RunningServer } from '../src/servers'
import { servePage } from '../src/site'

const LIFETIME_S = 4
const REGION = 'us-east-1'
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

let cognito: CognitoLocal
let proxy: CountingProxy
let simulator: RunningSimulator
let site: RunningServer
let chromium: RunningChromium
let alice: TestUser
let shortClients: [string, string]

beforeAll(async () => {
  cognito = await startCognitoLocal({ region: REGION })
  proxy = await countingProxy(cognito.endpoint)
  shortClients = [await shortLivedClient(cognito, LIFETIME_S), await shortLivedClient(cognito, LIFETIME_S)]
  alice = await createTestUser(cognito, 'alice')
  simulator = await startSimulator({ userPool: { userPoolId: cognito.userPoolId, clientId: cognito.clientId } })
  site = await servePage('session')
  chromium = await launchChromium()
})

afterAll(async () => {
  // Each is undefined when beforeAll failed before starting it.
  await (chromium as RunningChromium | undefined)?.close()
  await Promise.allSettled([
    (site as RunningServer | undefined)?.close(),
    (simulator as RunningSimulator | undefined)?.stop(),
    (proxy as CountingProxy | undefined)?.close(),
  ])
  await (cognito as CognitoLocal | undefined)?.stop()
})

const config = (clientId: string): PageConfig => ({
  clientId,
  region: REGION,
  cognitoEndpoint: proxy.endpoint,
  graphqlEndpoint: simulator.url,
})

async function openTab(options: { withoutWebLocks?: boolean } = {}): Promise<Page> {
  const tab = await chromium.newTab()
  if (options.withoutWebLocks) {
    // As in an insecure context or an old browser: no navigator.locks.
    await tab.addInitScript(() => {
      Reflect.deleteProperty(Navigator.prototype, 'locks')
    })
  }
  await tab.goto(site.origin)
  await tab.waitForFunction(() => 'app' in window)
  return tab
}

const restore = (tab: Page, clientId: string) => tab.evaluate((c) => window.app.restore(c), config(clientId))
const signIn = (tab: Page, clientId: string) =>
  tab.evaluate(([c, u, p]) => window.app.signIn(c, u, p), [config(clientId), alice.username, alice.password] as const)
const token = (tab: Page, startAt?: number): Promise<TokenSummary> =>
  tab.evaluate((at) => window.app.token(at), startAt)
const request = (tab: Page, query: string, count = 1, startAt?: number) =>
  tab.evaluate(([q, n, at]) => window.app.request(q, n, at), [query, count, startAt] as const)
/** The error's name, or 'resolved': a failing assertion must never print a token. */
const outcome = (tab: Page, action: 'token' | 'signOut') =>
  tab.evaluate(
    (what) =>
      (what === 'token' ? window.app.token() : window.app.signOut()).then(
        () => 'resolved',
        (error: unknown) => (error instanceof Error ? error.name : 'non-error'),
      ),
    action,
  )

describe('@authmode/browser in Chromium against cognito-local', () => {
  it('signs in, keeps the session in localStorage, survives a reload without signing in again, and calls a user-pool field', async () => {
    const tab = await openTab()
    expect(await tab.evaluate(() => window.app.lockKind)).toBe('web-locks')
    proxy.reset()
    expect(await restore(tab, cognito.clientId)).toBe(false)

    await signIn(tab, cognito.clientId)
    expect(proxy.count('USER_PASSWORD_AUTH')).toBe(1)
    expect(await tab.evaluate((id) => window.app.stored(id), cognito.clientId)).toBe(true)
    expect(await request(tab, '{ myProfile { username } }')).toEqual([{ myProfile: { username: 'alice' } }])

    await tab.reload()
    await tab.waitForFunction(() => 'app' in window)
    expect(await restore(tab, cognito.clientId)).toBe(true)
    expect(await token(tab)).toMatchObject({ tokenUse: 'id', username: 'alice' })
    expect(await request(tab, '{ whoami { authType username } }')).toEqual([
      { whoami: { authType: 'User Pool Authorization', username: 'alice' } },
    ])
    // The reload signed nobody in again and needed no refresh.
    expect(proxy.count('USER_PASSWORD_AUTH')).toBe(1)
    expect(proxy.count('REFRESH_TOKEN_AUTH')).toBe(0)
    // Every Cognito call came from the page, cross-origin.
    expect(proxy.calls.every((call) => call.origin === site.origin)).toBe(true)
    expect(chromium.errors).toEqual([])
    await tab.close()
  })

  for (const [kind, withoutWebLocks, clientIndex] of [
    ['web-locks', false, 0],
    ['fallback', true, 1],
  ] as const) {
    it(`two tabs whose token expired refresh once between them (${kind})`, async () => {
      const clientId = shortClients[clientIndex]
      const [a, b] = [await openTab({ withoutWebLocks }), await openTab({ withoutWebLocks })]
      expect(await a.evaluate(() => window.app.lockKind)).toBe(kind)
      await signIn(a, clientId)
      // Another tab's localStorage writes reach this one asynchronously in Chromium.
      await b.waitForFunction((id) => window.app.stored(id), clientId)
      expect(await restore(b, clientId)).toBe(true)
      const before = await token(b)
      expect(before).toEqual(await token(a))

      await sleep(LIFETIME_S * 1000 + 1000)
      proxy.reset()
      // Both tabs at the same moment: each asks for a token and sends 10 requests.
      const startAt = Date.now() + 300
      const query = '{ whoami { username } }'
      const [tokenA, tokenB, answersA, answersB] = await Promise.all([
        token(a, startAt),
        token(b, startAt),
        request(a, query, 10, startAt),
        request(b, query, 10, startAt),
      ])
      // Every Cognito call of both tabs, with its status: exactly one refresh, and it succeeded
      // (cognito-local has no GetTokensFromRefreshToken: that tab's session falls back once).
      expect(proxy.calls.map((call) => `${call.operation} ${call.authFlow ?? ''} ${String(call.status)}`)).toEqual([
        'GetTokensFromRefreshToken  500',
        'InitiateAuth REFRESH_TOKEN_AUTH 200',
      ])
      expect(tokenA.digest).toBe(tokenB.digest)
      expect(tokenA.digest).not.toBe(before.digest)
      expect(Number(tokenA.exp)).toBeGreaterThan(Number(before.exp))
      expect([...answersA, ...answersB]).toEqual(Array.from({ length: 20 }, () => ({ whoami: { username: 'alice' } })))

      // Signing out in one tab revokes the refresh token and clears storage; the other tab finds
      // that out when its token is next due for a refresh (inside the lock it re-reads storage):
      // it then says nobody is signed in, without calling Cognito.
      expect(await outcome(a, 'signOut')).toBe('resolved')
      expect(proxy.calls.filter((call) => call.operation === 'RevokeToken')).toHaveLength(1)
      expect(await a.evaluate((id) => window.app.stored(id), clientId)).toBe(false)
      await sleep((LIFETIME_S / 2) * 1000 + 500)
      expect(await outcome(b, 'token')).toBe('NoIdentityError')
      expect(proxy.count('REFRESH_TOKEN_AUTH')).toBe(1)
      // Chromium logs the one answer that is not ok: cognito-local's 500 to GetTokensFromRefreshToken.
      expect(chromium.errors).toEqual([
        'console: Failed to load resource: the server responded with a status of 500 (Internal Server Error)',
      ])
      chromium.errors.length = 0
      await Promise.all([a.close(), b.close()])
    })
  }
})
