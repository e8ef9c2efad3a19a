// Issue 17's "two users' requests interleaved on one server each see only their own items": the
// per-request pattern of tests/e2e/src/ssr.ts (a cookie jar, session and client per request) on one
// node:http server in front of @authmode/local (owner rule, its user pool), with alice's and bob's
// requests sent side by side, as their browsers would. Each user's cookies are kept as a browser
// keeps them (from the responses' Set-Cookie). The ID tokens then expire (a manual clock shared by
// the server, the sessions and the local API): the next requests refresh on the server, and each
// response carries the new cookies of its own user only. Tokens are compared, never printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalAppSync, type LocalAppSync, type LocalUserPool } from '@authmode/local'
import { serve, ssrApp, type Note, type ServedApp } from '../src/ssr'

const SCHEMA = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String!
  }
`
const PASSWORD = 'Ssr-Cookies-Passw0rd!'
const HOUR = 3_600_000
let now = Date.now()
const clock = { now: () => now }
let server: LocalAppSync
let pool: LocalUserPool
let apps: ServedApp[] = []

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    apiKeys: false,
    clock,
    userPool: {
      users: [
        { username: 'alice', password: PASSWORD },
        { username: 'bob', password: PASSWORD },
      ],
      // Cognito's default app client (no rotation), and one that rotates with a grace period: one
      // browser's requests side by side may both refresh with the same refresh token (see README).
      clients: [{}, { refreshTokenRotation: { retryGracePeriodSeconds: 60 } }],
    },
  })
  pool = server.userPool as LocalUserPool
  apps = await Promise.all(
    pool.clients.map(({ clientId }) =>
      serve(ssrApp({ graphqlUrl: server.graphqlUrl, userPoolEndpoint: pool.endpoint, clientId, clock })),
    ),
  )
})

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()))
  await (server as LocalAppSync | undefined)?.stop()
})

/** A browser's cookies for the app: what the responses set (Max-Age=0 removes). */
class Browser {
  constructor(readonly app: ServedApp) {}
  readonly cookies = new Map<string, string>()
  /** The Set-Cookie lines of every response this browser got, in order. */
  readonly received: string[][] = []

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await fetch(`${this.app.origin}${path}`, {
      ...init,
      headers: { ...(cookie ? { cookie } : {}), 'content-type': 'application/json' },
    })
    const lines = response.headers.getSetCookie()
    this.received.push(lines)
    for (const line of lines) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      const name = pair.slice(0, at)
      if (line.includes('Max-Age=0')) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(at + 1))
    }
    return response
  }

  idToken(): string | undefined {
    for (const [name, value] of this.cookies) if (name.endsWith('.idToken')) return decodeURIComponent(value)
    return undefined
  }
}

const claims = (jwt: string | undefined): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt?.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
/** The user each Set-Cookie line of a response is for: the name's `<clientId>.<user>.` part, or an ID token's claim. */
const usersIn = (lines: readonly string[]): Set<string> =>
  new Set(
    lines.flatMap((line) => {
      const [pair = ''] = line.split(';')
      const [name = '', value = ''] = pair.split('=')
      const user = /^CognitoIdentityServiceProvider\.[^.]+\.([^.]+)\./.exec(name)?.[1]
      const fromToken = name.endsWith('.idToken') ? [String(claims(decodeURIComponent(value))['cognito:username'])] : []
      return [...(user ? [user] : []), ...fromToken]
    }),
  )

describe.each([
  { client: 0, label: 'an app client without rotation' },
  { client: 1, label: 'a rotating app client (grace period 60 s)' },
])('server-side rendering with sessions in cookies: one server, two users, $label', ({ client }) => {
  it('interleaved requests each see only their own notes; refreshed cookies go to their own user only', async () => {
    const app = apps[client] as ServedApp
    const clientId = pool.clients[client]?.clientId ?? ''
    const alice = new Browser(app)
    const bob = new Browser(app)
    const signIn = (browser: Browser, username: string) =>
      browser.fetch('/sign-in', { method: 'POST', body: JSON.stringify({ username, password: PASSWORD }) })
    const [a, b] = await Promise.all([signIn(alice, 'alice'), signIn(bob, 'bob')])
    expect([a.status, b.status]).toEqual([200, 200])
    // Amplify's layout, one user each.
    expect([...alice.cookies.keys()].sort()).toEqual(
      ['LastAuthUser', 'alice.accessToken', 'alice.clockDrift', 'alice.idToken', 'alice.refreshToken'].map(
        (part) => `CognitoIdentityServiceProvider.${clientId}.${part}`,
      ),
    )
    expect(usersIn(bob.received.flat())).toEqual(new Set(['bob']))

    // Six creates each, alternating users, all in flight at once.
    const create = (browser: Browser, text: string) =>
      browser.fetch('/notes', { method: 'POST', body: JSON.stringify({ text }) }).then((r) => r.json() as Promise<Note>)
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 ? create(bob, `bob ${client}.${i}`) : create(alice, `alice ${client}.${i}`),
      ),
    )
    expect(created.map((note) => note.owner.split('::').pop())).toEqual(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? 'bob' : 'alice')),
    )

    const list = (browser: Browser) => browser.fetch('/notes').then((r) => r.json() as Promise<Note[]>)
    const lists = await Promise.all([list(alice), list(bob), list(alice), list(bob)])
    for (const [i, notes] of lists.entries()) {
      const user = i % 2 ? 'bob' : 'alice'
      // Theirs only: this run's six, and those of the run before (same API), never the other's.
      expect(notes.filter((note) => note.text.startsWith(`${user} ${client}.`))).toHaveLength(6)
      expect(notes.every((note) => note.text.startsWith(`${user} `))).toBe(true)
    }

    // The ID tokens expire: the next requests refresh on the server, side by side.
    const before = { alice: alice.idToken(), bob: bob.idToken() }
    now += 2 * HOUR
    alice.received.length = 0
    bob.received.length = 0
    const refreshed = await Promise.all([list(alice), list(bob), list(alice), list(bob)])
    expect(refreshed.map((notes) => notes.length)).toEqual(lists.map((notes) => notes.length))
    expect(alice.idToken() === before.alice).toBe(false)
    expect(bob.idToken() === before.bob).toBe(false)
    expect(claims(alice.idToken())['cognito:username']).toBe('alice')
    expect(claims(bob.idToken())['cognito:username']).toBe('bob')
    // Every cookie each browser received is its own user's.
    expect(usersIn(alice.received.flat())).toEqual(new Set(['alice']))
    expect(usersIn(bob.received.flat())).toEqual(new Set(['bob']))
    expect(alice.received.flat().some((line) => line.includes('.idToken='))).toBe(true)
    // The refreshed (rotated) session goes on: the old refresh token is gone, the new one works.
    now += 2 * HOUR
    expect((await list(alice)).length).toBe(lists[0].length)
    expect((await list(bob)).length).toBe(lists[1].length)
  })

  it('without cookies, a request is refused and sets none', async () => {
    const stranger = new Browser(apps[client] as ServedApp)
    const response = await stranger.fetch('/notes')
    expect(response.status).toBe(401)
    expect(stranger.received.flat()).toEqual([])
  })
})
