// Issue 16's "must show", end to end: a `fromCognitoUserPool` session of the built @authmode/node
// on @authmode/local's user pool (real server on 127.0.0.1), its storage a JSON file read anew by
// every storage object (nothing shared in memory), as a process that restarts would have it.
// The server, the sessions and the clients share a manual clock: "an hour later" takes no time.
// With rotation (grace period 0): many refreshes in a row, each with a new refresh token; a
// restart from storage (new storage, session and client objects) that goes on refreshing; and a
// stale copy of storage whose rotated-out refresh token ends its session with `sessionExpired`.
// With rotation off, the same code. And a restart of the server itself: the pool's state is in
// memory, so a stored session ends there (sessionExpired), as documented. Tokens are compared,
// never printed.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createClient,
  fromCognitoUserPool,
  signInWithPassword,
  TokenRefreshError,
  type Client,
  type ClientEvents,
  type CognitoUserPoolSession,
  type KeyValueStorage,
} from '@authmode/node'
import { startLocalAppSync, type LocalAppSync, type LocalUserPool } from '@authmode/local'

const SCHEMA = /* GraphQL */ `
  type Note @model @auth(rules: [{ allow: owner }]) {
    id: ID!
    text: String!
  }
`
const PASSWORD = 'Rotation-Passw0rd!'
const MINUTE = 60_000
const REFRESHES = 12

let now = Date.now()
const clock = { now: () => now }
let server: LocalAppSync
let pool: LocalUserPool
let dir: string

beforeAll(async () => {
  server = await startLocalAppSync({
    schema: SCHEMA,
    apiKeys: false,
    clock,
    userPool: {
      users: [{ username: 'alice', password: PASSWORD }],
      clients: [{ refreshTokenRotation: { retryGracePeriodSeconds: 0 } }, {}],
    },
  })
  pool = server.userPool as LocalUserPool
  dir = mkdtempSync(join(tmpdir(), 'authmode-session-'))
})

afterAll(async () => {
  await (server as LocalAppSync | undefined)?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** A storage kept in a JSON file, read and written on every call (a new object shares nothing but the file). */
function fileStorage(path: string): KeyValueStorage {
  const read = (): Record<string, string> => {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>
    } catch {
      return {}
    }
  }
  const write = (items: Record<string, string>): void => {
    writeFileSync(path, JSON.stringify(items))
  }
  return {
    getItem: (key) => read()[key] ?? null,
    setItem: (key, value) => {
      write({ ...read(), [key]: value })
    },
    removeItem: (key) => {
      const items = read()
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a plain record of the file's keys
      delete items[key]
      write(items)
    },
  }
}

/** What the file holds for the user LastAuthUser names (Amplify's layout). */
function stored(
  path: string,
  clientId: string,
): { user?: string; refreshToken?: string | undefined; idToken?: string | undefined } {
  const storage = fileStorage(path)
  const prefix = `CognitoIdentityServiceProvider.${clientId}`
  const user = storage.getItem(`${prefix}.LastAuthUser`) as string | null
  if (user === null) return {}
  return {
    user,
    refreshToken: (storage.getItem(`${prefix}.${user}.refreshToken`) as string | null) ?? undefined,
    idToken: (storage.getItem(`${prefix}.${user}.idToken`) as string | null) ?? undefined,
  }
}

interface Running {
  readonly session: CognitoUserPoolSession
  readonly client: Client
  readonly events: { name: keyof ClientEvents; payload: unknown }[]
}

/** A session over the file (with `tokens`: a sign-in; without: what the file holds) and its client. */
function start(clientId: string, path: string, tokens?: Awaited<ReturnType<typeof signInWithPassword>>): Running {
  const session = fromCognitoUserPool({ clientId, endpoint: pool.endpoint, storage: fileStorage(path), tokens, clock })
  const client = createClient({
    endpoint: server.graphqlUrl,
    authMode: 'userPool',
    userPool: session,
    clock,
    logger: null,
  })
  const events: Running['events'] = []
  for (const name of ['tokenRefreshed', 'sessionExpired'] as const) {
    client.on(name, (payload) => events.push({ name, payload }))
  }
  return { session, client, events }
}

/** The owner the API records for a note this client creates: whose verified token it sent. */
async function owner(client: Client): Promise<string> {
  const data = await client.request<{ createNote: { owner: string } }>(
    'mutation { createNote(input: { text: "hi" }) { owner } }',
  )
  return data.createNote.owner
}

const counts = (): { refreshes: number; initiateAuth: number } => {
  const { GetTokensFromRefreshToken, InitiateAuth } = pool.handler.counts()
  return { refreshes: GetTokensFromRefreshToken, initiateAuth: InitiateAuth }
}

describe.each([
  { rotation: true, label: 'with refresh-token rotation (grace period 0)' },
  { rotation: false, label: 'without rotation' },
])('a local user pool session $label', ({ rotation }) => {
  it('refreshes many times in a row, survives a restart from storage, and a stale copy of storage is refused or not as rotation says', async () => {
    const clientId = pool.clients[rotation ? 0 : 1]?.clientId ?? ''
    expect(pool.clients[rotation ? 0 : 1]?.refreshTokenRotation).toBe(rotation)
    const path = join(dir, `${clientId}.json`)
    const stalePath = join(dir, `${clientId}.stale.json`)
    const tokens = await signInWithPassword({
      endpoint: pool.endpoint,
      clientId,
      username: 'alice',
      password: PASSWORD,
    })
    const before = counts()
    let running = start(clientId, path, tokens)
    const sub = String(JSON.parse(Buffer.from(tokens.idToken.split('.')[1] ?? '', 'base64url').toString()).sub)
    expect(await owner(running.client)).toBe(`${sub}::alice`)
    expect(stored(path, clientId)).toMatchObject({ user: 'alice', refreshToken: tokens.refreshToken })

    const refreshTokens: (string | undefined)[] = [tokens.refreshToken]
    const idTokens: (string | undefined)[] = [tokens.idToken]
    const step = (): Promise<string> => {
      // 56 minutes on: inside the 5 minutes before the hour-long ID token expires, so the request refreshes first.
      now += 56 * MINUTE
      return owner(running.client)
    }
    for (let i = 0; i < REFRESHES; i++) {
      if (i === 3) copyFileSync(path, stalePath) // a copy of storage, left behind
      expect(await step()).toBe(`${sub}::alice`)
      const held = stored(path, clientId)
      refreshTokens.push(held.refreshToken)
      idTokens.push(held.idToken)
      if (i === REFRESHES / 2 - 1) {
        // A restart: new storage, session and client objects; only the file goes on.
        running = start(clientId, path)
        expect((await running.session.currentTokens())?.refreshToken === held.refreshToken).toBe(true)
      }
    }
    // One GetTokensFromRefreshToken per refresh (none by REFRESH_TOKEN_AUTH), a new ID token each time,
    // and a new refresh token each time with rotation, the same one without.
    expect(counts()).toEqual({ refreshes: before.refreshes + REFRESHES, initiateAuth: before.initiateAuth })
    expect(new Set(idTokens).size).toBe(REFRESHES + 1)
    expect(new Set(refreshTokens).size).toBe(rotation ? REFRESHES + 1 : 1)
    expect(running.events.map((e) => e.name)).toEqual(Array<string>(REFRESHES / 2).fill('tokenRefreshed'))

    // The copy of storage left behind: its refresh token was rotated out long ago (grace 0).
    const stale = start(clientId, stalePath)
    now += 56 * MINUTE
    const outcome = await owner(stale.client).catch((error: unknown) => error)
    if (rotation) {
      expect(outcome).toBeInstanceOf(TokenRefreshError)
      expect(outcome).toMatchObject({ sessionEnded: true, errorType: 'RefreshTokenReuseException' })
      expect(stale.events).toEqual([
        { name: 'sessionExpired', payload: { mode: 'userPool', reason: 'RefreshTokenReuseException' } },
      ])
      // That session is over and its copy cleared; the current one goes on.
      expect(await stale.session.currentTokens()).toBeUndefined()
      expect(stored(stalePath, clientId)).toEqual({})
    } else {
      expect(outcome).toBe(`${sub}::alice`)
      expect(stale.events.map((e) => e.name)).toEqual(['tokenRefreshed'])
    }
    expect(await owner(running.client)).toBe(`${sub}::alice`)
    expect(running.events.filter((e) => e.name === 'sessionExpired')).toEqual([])
  })
})

describe('a restart of the local server', () => {
  it("ends a stored session with sessionExpired: the pool's key and refresh tokens live in memory", async () => {
    const options = {
      schema: SCHEMA,
      apiKeys: false as const,
      clock,
      userPool: { userPoolId: pool.userPoolId, users: [{ username: 'alice', password: PASSWORD }], clients: [{}] },
    }
    const first = await startLocalAppSync(options)
    const local = first.userPool as LocalUserPool
    const path = join(dir, 'restart.json')
    const { clientId, endpoint } = local
    const tokens = await signInWithPassword({ endpoint, clientId, username: 'alice', password: PASSWORD })
    const before = fromCognitoUserPool({ clientId, endpoint, storage: fileStorage(path), tokens, clock })
    await before.currentTokens()
    await first.stop()
    // The same port, pool id and app client id: only the process's memory is new.
    const second = await startLocalAppSync({
      ...options,
      port: first.port,
      userPool: { ...options.userPool, clients: [{ clientId }] },
    })
    try {
      const session = fromCognitoUserPool({ clientId, endpoint, storage: fileStorage(path), clock })
      expect((await session.currentTokens())?.refreshToken === tokens.refreshToken).toBe(true)
      const client = createClient({
        endpoint: second.graphqlUrl,
        authMode: 'userPool',
        userPool: session,
        clock,
        logger: null,
      })
      const expired: unknown[] = []
      client.on('sessionExpired', (payload) => expired.push(payload))
      // The stored ID token is signed with the old key (401), and the refresh token is unknown.
      const outcome = await client
        .request('mutation { createNote(input: { text: "hi" }) { id } }')
        .catch((e: unknown) => e)
      expect(outcome).toBeInstanceOf(TokenRefreshError)
      expect(outcome).toMatchObject({ sessionEnded: true, errorType: 'NotAuthorizedException' })
      expect(expired).toEqual([{ mode: 'userPool', reason: 'NotAuthorizedException' }])
      expect(stored(path, clientId)).toEqual({})
    } finally {
      await second.stop()
    }
  })
})
