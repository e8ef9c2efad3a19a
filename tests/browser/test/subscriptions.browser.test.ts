// In real Chromium (Debian's, via playwright-core): a page built from the published
// @authmode/browser subscribes to the AppSync simulator's `onPublicNote` over the browser's own
// WebSocket (API key, the legacy query-string authorization `realtime: { auth: 'query' }`, as
// tests/e2e does from Node), posts a note through `client.request` and receives it. The page and
// the simulator are different origins: the mutation is a CORS request and the socket's upgrade
// carries the page's Origin. API key only: the simulator crashes the process on a `start` with bad
// authorization (Node 20). Nothing prints the key: socket URLs are reduced to their path.
import { Server, type IncomingMessage } from 'node:http'
import type { Page, WebSocket as PageWebSocket } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUTH_TYPE } from '../../e2e/src/schema'
import { startSimulator, type RunningSimulator } from '../../e2e/src/simulator'
import type { Note } from '../pages/subscriptions'
import { launchChromium, type RunningChromium } from '../src/chromium'
import type { RunningServer } from '../src/servers'
import { servePage } from '../src/site'

let simulator: RunningSimulator
let site: RunningServer
let chromium: RunningChromium
/** What reached the simulator's HTTP server: `<method> <path> <Origin>` of each request and upgrade. */
const arrivals: string[] = []
const arrival = (req: IncomingMessage): string =>
  `${req.method ?? ''} ${new URL(req.url ?? '/', 'http://127.0.0.1').pathname} ${req.headers.origin ?? '(no origin)'}`

beforeAll(async () => {
  // The simulator only needs a user pool's ids in its configuration; no Cognito is called here.
  simulator = await startSimulator({ userPool: { userPoolId: 'us-east-1_browserRealtime', clientId: 'browser' } })
  const server = httpServerOf(simulator)
  server.on('request', (req: IncomingMessage) => arrivals.push(arrival(req)))
  server.on('upgrade', (req: IncomingMessage) => arrivals.push(`upgrade ${arrival(req)}`))
  site = await servePage('subscriptions')
  chromium = await launchChromium()
})

afterAll(async () => {
  // Each is undefined when beforeAll failed before starting it.
  await (chromium as RunningChromium | undefined)?.close()
  await Promise.allSettled([
    (site as RunningServer | undefined)?.close(),
    (simulator as RunningSimulator | undefined)?.stop(),
  ])
})

/** The simulator's HTTP server, which also carries its real-time endpoint (see e2e/src/simulator.ts). */
function httpServerOf(running: RunningSimulator): Server {
  const server = (running.simulator as unknown as { _server?: { _httpServer?: unknown } })._server?._httpServer
  if (!(server instanceof Server))
    throw new Error('amplify-appsync-simulator internals changed: no _server._httpServer')
  return server
}

/** The page's sockets, by path only: the query string carries the (base64) authorization. */
function watchSockets(tab: Page): PageWebSocket[] {
  const sockets: PageWebSocket[] = []
  tab.on('websocket', (socket) => sockets.push(socket))
  return sockets
}

const pathOf = (url: string): string => {
  const { protocol, host, pathname } = new URL(url)
  return `${protocol}//${host}${pathname}`
}

describe('subscribe of @authmode/browser in Chromium against the AppSync simulator', () => {
  it("subscribes over the browser's WebSocket, receives the note a mutation posted, and unsubscribing closes the socket", async () => {
    const tab = await chromium.newTab()
    const sockets = watchSockets(tab)
    await tab.goto(site.origin)
    await tab.waitForFunction(() => 'realtime' in window)

    await tab.evaluate((config) => window.realtime.subscribe(config), {
      endpoint: simulator.url,
      apiKey: simulator.apiKey,
    })
    // One socket, opened by Chromium itself, to the simulator's real-time endpoint, cross-origin.
    expect(sockets.map((socket) => pathOf(socket.url()))).toEqual([
      `ws://127.0.0.1:${String(simulator.port)}/graphql/realtime`,
    ])
    expect(arrivals).toEqual([`upgrade GET /graphql/realtime ${site.origin}`])
    arrivals.length = 0

    const text = `from Chromium ${String(Date.now())}`
    const posted: Note = await tab.evaluate((t) => window.realtime.post(t), text)
    expect(posted).toMatchObject({ text, authType: AUTH_TYPE.apiKey })
    // A CORS preflight (the x-api-key header), then the POST, both from the page's origin.
    expect(arrivals).toEqual([`OPTIONS /graphql ${site.origin}`, `POST /graphql ${site.origin}`])

    await tab.waitForFunction(() => window.realtime.events.length > 0, undefined, { timeout: 10_000 })
    expect(await tab.evaluate(() => window.realtime.events)).toEqual([posted])

    expect(await tab.evaluate(() => window.realtime.unsubscribe())).toBe('ended')
    const [socket] = sockets
    if (!socket) throw new Error('no socket')
    if (!socket.isClosed()) await socket.waitForEvent('close', { timeout: 10_000 })
    expect(socket.isClosed()).toBe(true)

    expect(chromium.errors).toEqual([])
    await tab.close()
  })
})
