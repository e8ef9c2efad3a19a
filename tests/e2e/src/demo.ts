// The demo: @authmode/local (a local AppSync endpoint that verifies every request and enforces
// @auth rules) with a small blog schema and its own Cognito user pool (the users are one option),
// all on 127.0.0.1. It writes the amplify_outputs.json an Amplify app would have for it, and every
// caller (a guest, signed-in users, an admin, a backend) makes its client the same way:
// `fromAmplifyConfig(outputs, { authMode: 'auto', …who it is })`, so the models' rules pick each
// request's mode. It prints what happened as a table, stops everything it started and exits 0 (1
// when an outcome is not the expected one). It prints no key, token, secret or signature.
//
// Run: pnpm --filter @authmode/e2e demo (after building the packages); `npm run demo` does both.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startLocalAppSync, type LocalAppSync, type LocalUserPool } from '@authmode/local'
import {
  createClient,
  fromAmplifyConfig,
  fromCognitoIdentityPool,
  fromCognitoUserPool,
  GraphQLResponseError,
  isAuthmodeError,
  NoAuthModeAvailableError,
  signInWithPassword,
  subscribe,
  UnauthorizedError,
  type AmplifyOutputs,
  type AuthMode,
  type Client,
  type ClientOptions,
  type CognitoUserPoolSession,
} from '@authmode/node'
import { listeningSockets } from './sockets'

const REGION = 'us-east-1'

export const BLOG_SCHEMA = /* GraphQL */ `
  # Posts are owned by their authors, readable by the public (API key and guest IAM), moderated
  # by the Admin group; backend IAM credentials (a Lambda's role) have full access.
  type Post
    @model
    @auth(
      rules: [
        { allow: owner, ownerField: "author", operations: [create, read, update, delete] }
        { allow: public, provider: apiKey, operations: [read] }
        { allow: public, provider: iam, operations: [read] }
        { allow: groups, groups: ["Admin"], operations: [read, update, delete] }
      ]
    ) {
    id: ID!
    title: String!
    author: String
  }
`

type Expected = 'ok' | 'denied' | 'rejected'

interface Row {
  readonly who: string
  readonly mode: string
  readonly request: string
  /** How the server classified the caller (from its request log). */
  readonly seen: string
  readonly outcome: string
  readonly expected: Expected
  readonly got: Expected | 'error'
}

interface Peers {
  readonly server: LocalAppSync
  /** amplify_outputs.json as the app reads it, and where it was written. */
  readonly outputs: AmplifyOutputs
  readonly outputsFile: string
  readonly pool: LocalUserPool
  readonly serverLog: string[]
  readonly passwords: Readonly<Record<string, string>>
  readonly backend: { readonly accessKeyId: string; readonly secretAccessKey: string }
}

let started: { stop(): Promise<void> }[] = []

async function stopAll(): Promise<void> {
  for (const peer of started.splice(0).reverse()) await peer.stop().catch(() => undefined)
}

async function startAll(): Promise<Peers> {
  const password = (): string => `Pw-${randomBytes(12).toString('base64url')}-aA1!`
  const users = [
    { username: 'alice', password: password() },
    { username: 'bob', password: password() },
    { username: 'carol', password: password(), groups: ['Admin'] },
  ]
  const passwords = Object.fromEntries(users.map((user) => [user.username, user.password]))
  // What the backend's environment will hold (a Lambda gets these from its role).
  const backend = {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  }
  const serverLog: string[] = []
  const server = await startLocalAppSync({
    schema: BLOG_SCHEMA,
    region: REGION,
    // Its own Cognito user pool: these users sign in at server.userPool.endpoint, and the API
    // verifies their tokens against the pool's JWKS like any pool's. Refresh tokens rotate.
    userPool: { users, clients: [{ refreshTokenRotation: true }] },
    backendCredentials: [{ name: 'blog-lambda', ...backend }],
    logger: { info: (line) => serverLog.push(line), warn: (line) => serverLog.push(line) },
  })
  started.push(server)
  if (!server.userPool) throw new Error('the local user pool did not start')
  // The file an Amplify app has for its backend (`npx ampx generate outputs`), written for this one:
  // the API's URL, region, API key, authorization types and model introspection (the @auth rules),
  // the user pool and the identity pool. It holds the API key: only this user may read it, and it
  // goes with the server.
  const dir = mkdtempSync(join(tmpdir(), 'authmode-demo-'))
  const outputsFile = join(dir, 'amplify_outputs.json')
  writeFileSync(outputsFile, JSON.stringify(server.amplifyOutputs(), null, 2), { mode: 0o600 })
  started.push({
    stop: () => {
      rmSync(dir, { recursive: true, force: true })
      return Promise.resolve()
    },
  })
  const outputs = JSON.parse(readFileSync(outputsFile, 'utf8')) as AmplifyOutputs
  return { server, pool: server.userPool, serverLog, passwords, backend, outputs, outputsFile }
}

async function main(): Promise<number> {
  console.log('authmode demo: @authmode/local, called by @authmode/node in every mode (127.0.0.1 only)\n')
  const t0 = Date.now()
  const peers = await startAll()
  const { server, pool } = peers
  const where = async (pid: number): Promise<string> =>
    (await listeningSockets(pid)).map((s) => `${s.address}:${String(s.port)}`).join(', ') || 'nothing'
  console.log(
    `@authmode/local  ${server.graphqlUrl}  in this process (pid ${String(process.pid)}), listening on ${await where(process.pid)}`,
  )
  console.log(`                 modes: API key (default), Cognito user pool (JWKS-verified), IAM (SigV4-verified)`)
  console.log(
    `                 user pool ${pool.userPoolId} at ${pool.endpoint}, app client ${pool.clientId} (rotating refresh tokens); users alice, bob, carol (Admin)`,
  )
  console.log(`                 identity pool ${server.identityPoolId ?? 'off'} at ${server.url}/`)
  console.log(`                 real-time (subscriptions) at ${server.realtimeUrl ?? 'off'}`)
  console.log(
    `amplify_outputs  written for it to ${peers.outputsFile}; every client below is fromAmplifyConfig(outputs, { authMode: 'auto', … })`,
  )
  console.log(
    'schema           type Post @model: owner "author" (CRUD), public read (apiKey, iam), group Admin (read, update, delete)',
  )
  console.log(`Started in ${String(Date.now() - t0)} ms.\n`)

  const rows = await run(peers)
  console.log(table(rows))
  const unexpected = rows.filter((row) => row.got !== row.expected)
  console.log(
    unexpected.length === 0
      ? `\nAll ${String(rows.length)} outcomes as expected.`
      : `\n${String(unexpected.length)} of ${String(rows.length)} outcomes were NOT as expected.`,
  )
  console.log(
    'Every request above was verified by @authmode/local: API keys and their expiry, JWT signatures against the\n' +
      "pool's JWKS (iss, exp, token_use, client), SigV4 signatures re-computed with an independent signer (aws4).",
  )
  return unexpected.length === 0 ? 0 : 1
}

interface Step {
  readonly who: string
  readonly client: Client
  /** This request's own mode; by default the client's `auto`, which the rules decide. */
  readonly authMode?: AuthMode
  readonly request: string
  readonly document: string
  readonly variables?: Record<string, unknown>
  readonly expected: Expected
  readonly describe: (data: Record<string, unknown>) => string
}

async function run(peers: Peers): Promise<Row[]> {
  const { server, pool, passwords, outputs } = peers
  const rows: Row[] = []
  // The mode `auto` chose for each client's latest request or subscription (from its event).
  const chosen = new WeakMap<Client, AuthMode>()
  /** Every caller's client, made the same way: the app's file, `auto`, and who the caller is. */
  const apiClient = (who: Partial<ClientOptions>): Client => {
    const client = createClient(fromAmplifyConfig(outputs, { authMode: 'auto', retry: false, logger: null, ...who }))
    client.on('authModeChosen', ({ mode }) => chosen.set(client, mode))
    return client
  }
  // Signing in locally: the pool's endpoint and app client, then a session that refreshes itself.
  const { endpoint, clientId } = pool
  const signIn = (username: string) =>
    signInWithPassword({ endpoint, clientId, username, password: passwords[username] ?? '' })
  // Identity-pool credentials: a guest's, or with a session, the signed-in user's (its ID token as
  // the login), on @authmode/local itself (GetId, then GetCredentialsForIdentity).
  const issuer = new URL(pool.issuer).host + new URL(pool.issuer).pathname
  const identityPool = (session?: CognitoUserPoolSession) =>
    fromCognitoIdentityPool({
      identityPoolId: server.identityPoolId ?? '',
      endpoint: server.url,
      ...(session && {
        logins: async () => {
          const tokens = await session.currentTokens()
          return tokens ? { [issuer]: tokens.idToken } : undefined
        },
      }),
    })
  const aliceSession = fromCognitoUserPool({ endpoint, clientId, tokens: await signIn('alice') })
  const user = async (name: string): Promise<Client> => {
    const session =
      name === 'alice' ? aliceSession : fromCognitoUserPool({ endpoint, clientId, tokens: await signIn(name) })
    return apiClient({ userPool: session, credentials: identityPool(session) })
  }
  const alice = await user('alice')
  const bob = await user('bob')
  const carol = await user('carol')
  const guest = apiClient({ credentials: identityPool() })

  const LIST = '{ listPosts { items { id title author } } }'
  const count = (data: Record<string, unknown>): string => {
    const items = (data['listPosts'] as { items: { title: string }[] }).items
    return `${String(items.length)} post${items.length === 1 ? '' : 's'}${items.length > 0 ? `: ${items.map((p) => `"${p.title}"`).join(', ')}` : ''}`
  }
  const shortAuthor = (author: unknown): string =>
    typeof author === 'string' ? author.replace(/^[0-9a-f-]{36}::/, '<sub>::') : '-'

  const step = async (s: Step): Promise<Record<string, unknown> | undefined> => {
    const logFrom = peers.serverLog.length
    let row: Omit<Row, 'seen'>
    let data: Record<string, unknown> | undefined
    chosen.delete(s.client)
    const mode = (): string => s.authMode ?? `auto: ${chosen.get(s.client) ?? 'none'}`
    try {
      const answer: Record<string, unknown> = await s.client.request(
        s.document,
        s.variables,
        s.authMode && { authMode: s.authMode },
      )
      data = answer
      row = {
        who: s.who,
        mode: mode(),
        request: s.request,
        outcome: `ok: ${s.describe(answer)}`,
        expected: s.expected,
        got: 'ok',
      }
    } catch (error) {
      row = { who: s.who, mode: mode(), request: s.request, ...describeFailure(error), expected: s.expected }
    }
    rows.push({ ...row, seen: seenByServer(peers.serverLog.slice(logFrom)) })
    return data
  }

  await step({ who: 'guest', client: guest, request: 'listPosts', document: LIST, expected: 'ok', describe: count })
  // Subscribed before alice posts: the guest may read every post, bob (owner rule) only his own.
  const guestLive = await watch(peers, guest, chosen)
  const bobLive = await watch(peers, bob, chosen)
  const created = await step({
    who: 'alice (signed in)',
    client: alice,
    request: 'createPost',
    document: 'mutation { createPost(input: { title: "Hello from alice" }) { id author } }',
    expected: 'ok',
    describe: (data) => `owner set: author ${shortAuthor((data['createPost'] as { author: string }).author)}`,
  })
  const postId = (created?.['createPost'] as { id?: string } | undefined)?.id ?? 'missing'
  rows.push(...(await liveRows(guestLive, bobLive)))
  // One request in a mode of its own: the API key from the file.
  await step({
    who: 'guest',
    client: guest,
    authMode: 'apiKey',
    request: 'listPosts',
    document: LIST,
    expected: 'ok',
    describe: count,
  })
  // Only the owner rule allows create, and a guest has no user pool session: nothing is sent.
  await step({
    who: 'guest',
    client: guest,
    request: 'createPost',
    document: 'mutation { createPost(input: { title: "spam" }) { id } }',
    expected: 'denied',
    describe: () => '',
  })
  const UPDATE = 'mutation ($id: ID!, $title: String!) { updatePost(input: { id: $id, title: $title }) { title } }'
  await step({
    who: 'bob (signed in)',
    client: bob,
    request: "updatePost (alice's)",
    document: UPDATE,
    variables: { id: postId, title: 'bob was here' },
    expected: 'denied',
    describe: () => '',
  })
  await step({
    who: 'carol (Admin group)',
    client: carol,
    request: "updatePost (alice's)",
    document: UPDATE,
    variables: { id: postId, title: 'Hello from alice (moderated)' },
    expected: 'ok',
    describe: (data) => `title now "${(data['updatePost'] as { title: string }).title}"`,
  })
  // Bob edits his own ID token to claim the Admin group: the signature no longer matches.
  const [header, payload, signature] = (await signIn('bob')).idToken.split('.')
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
  const forged = [
    header,
    Buffer.from(JSON.stringify({ ...claims, 'cognito:groups': ['Admin'] })).toString('base64url'),
    signature,
  ].join('.')
  await step({
    who: 'bob, token edited to Admin',
    client: apiClient({ userPool: forged, credentials: identityPool() }),
    request: "deletePost (alice's)",
    document: 'mutation ($id: ID!) { deletePost(input: { id: $id }) { id } }',
    variables: { id: postId },
    expected: 'rejected',
    describe: () => '',
  })
  rows.push(await backendStep(peers))
  rows.push(await expiredKeyStep(peers, apiClient))
  // Alice's session refreshes (as it does before its ID token expires, or after a rejection): one
  // GetTokensFromRefreshToken at the local pool, which rotates her refresh token.
  const held = await aliceSession.currentTokens()
  const refreshesBefore = pool.handler.counts().GetTokensFromRefreshToken
  await aliceSession({ forceRefresh: true }).catch(() => undefined)
  const now = await aliceSession.currentTokens()
  const rotated =
    pool.handler.counts().GetTokensFromRefreshToken === refreshesBefore + 1 &&
    now?.idToken !== held?.idToken &&
    now?.refreshToken !== held?.refreshToken
  const refreshed = [
    `${String(pool.handler.counts().GetTokensFromRefreshToken - refreshesBefore)} GetTokensFromRefreshToken`,
    now?.idToken !== undefined && now.idToken !== held?.idToken ? 'new ID token' : 'same ID token',
    now?.refreshToken !== undefined && now.refreshToken !== held?.refreshToken
      ? 'new refresh token'
      : 'same refresh token',
  ].join(', ')
  await step({
    who: 'alice (session refreshed)',
    client: alice,
    request: 'listPosts',
    document: LIST,
    expected: 'ok',
    describe: (data) => {
      // Not refreshed, or not rotated: an error row, not "as expected".
      if (!rotated) throw new Error(`the session did not refresh as expected: ${refreshed}`)
      return `${refreshed}; ${count(data)}`
    },
  })
  await step({ who: 'guest', client: guest, request: 'listPosts', document: LIST, expected: 'ok', describe: count })
  return rows
}

const ON_CREATE = 'subscription { onCreatePost { title } }'

interface Live {
  /** The mode `auto` chose for it. */
  readonly mode: string
  /** How the server's real-time log saw the caller of the `start`, or why it failed. */
  readonly seen: string
  readonly titles: string[]
  readonly failure: unknown
  readonly stop: () => void
}

/** A subscription to onCreatePost through @authmode/local's real-time endpoint, started (start_ack) or failed. */
async function watch(peers: Peers, client: Client, chosen: WeakMap<Client, AuthMode>): Promise<Live> {
  const logFrom = peers.serverLog.length
  const titles: string[] = []
  let failure: unknown
  chosen.delete(client)
  const live = subscribe<{ onCreatePost: { title: string } }>(client, ON_CREATE)
  await live.ready.catch((error: unknown) => (failure = error))
  void (async () => {
    for await (const event of live) titles.push(event.onCreatePost.title)
  })().catch((error: unknown) => (failure ??= error))
  const started = peers.serverLog
    .slice(logFrom)
    .map((line) => /^realtime start \S+ \S+ \((.*)\)$/.exec(line)?.[1])
    .find((caller) => caller !== undefined)
  return {
    mode: `auto: ${chosen.get(client) ?? 'none'}`,
    seen: started ?? '-',
    titles,
    failure,
    stop: () => {
      live.unsubscribe()
    },
  }
}

/**
 * The two subscriptions' rows once alice has posted: the guest's event arrives; bob, whose only
 * rule is the owner rule, must get none (waited for a moment after the guest's).
 */
async function liveRows(guest: Live, bob: Live): Promise<Row[]> {
  const until = Date.now() + 5000
  while (guest.titles.length === 0 && guest.failure === undefined && Date.now() < until) await sleep(20)
  await sleep(300)
  guest.stop()
  bob.stop()
  const row = (who: string, live: Live, expected: Expected, outcome: string, got: Expected | 'error'): Row => ({
    who,
    mode: live.mode,
    request: 'subscribe onCreatePost',
    seen: live.seen,
    outcome: live.failure === undefined ? outcome : `error: ${describeError(live.failure)}`,
    expected,
    got: live.failure === undefined ? got : 'error',
  })
  return [
    row(
      'guest (subscribed)',
      guest,
      'ok',
      guest.titles.length ? `ok: live event "${guest.titles.join('", "')}"` : 'no event within 5 s',
      guest.titles.length ? 'ok' : 'error',
    ),
    row(
      'bob (subscribed)',
      bob,
      'denied',
      bob.titles.length ? `LEAKED: "${bob.titles.join('", "')}"` : "denied: no event for alice's post (owner rule)",
      bob.titles.length ? 'error' : 'denied',
    ),
  ]
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A backend (a child process, as a Lambda would be) signing with IAM credentials from its environment. */
async function backendStep(peers: Peers): Promise<Row> {
  const logFrom = peers.serverLog.length
  const script = `
    import { readFileSync } from 'node:fs'
    import { createClient, fromAmplifyConfig } from '@authmode/node'
    // The same file and code as every other caller; no credentials passed: the AWS SDK's default
    // Node chain reads them from the environment, and auto chooses IAM for a backend's.
    const outputs = JSON.parse(readFileSync(process.env.DEMO_OUTPUTS, 'utf8'))
    const client = createClient(fromAmplifyConfig(outputs, { authMode: 'auto', retry: false, logger: null }))
    client.on('authModeChosen', ({ mode }) => console.log('auto: ' + mode))
    const data = await client.request('mutation { createPost(input: { title: "Release notes", author: "release-bot" }) { title author } }')
    console.log(JSON.stringify(data))
  `
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    AWS_ACCESS_KEY_ID: peers.backend.accessKeyId,
    AWS_SECRET_ACCESS_KEY: peers.backend.secretAccessKey,
    AWS_REGION: REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    DEMO_OUTPUTS: peers.outputsFile,
  }
  const cwd = fileURLToPath(new URL('..', import.meta.url))
  const base = { who: 'backend (env credentials)', request: 'createPost', expected: 'ok' as const }
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script],
        { cwd, env, timeout: 30_000 },
        (error, out, err) => {
          if (error) reject(new Error(`backend process failed: ${lastLine(err) || error.message}`))
          else resolve(out)
        },
      )
    })
    const data = JSON.parse(lastLine(stdout)) as { createPost: { title: string; author: string } }
    return {
      ...base,
      mode: stdout.split('\n').find((line) => line.startsWith('auto: ')) ?? 'auto: none',
      seen: seenByServer(peers.serverLog.slice(logFrom)),
      outcome: `ok: "${data.createPost.title}", author ${data.createPost.author} (a child process)`,
      got: 'ok',
    }
  } catch (error) {
    return {
      ...base,
      mode: 'auto',
      seen: seenByServer(peers.serverLog.slice(logFrom)),
      outcome: `error: ${describeError(error)}`,
      got: 'error',
    }
  }
}

/** An API key that expired: created with a lifetime of one second (keys default to 30 days). */
async function expiredKeyStep(peers: Peers, apiClient: (who: Partial<ClientOptions>) => Client): Promise<Row> {
  const keys = peers.server.apiKeys
  const base = {
    who: 'guest, expired API key',
    mode: 'auto: apiKey',
    request: 'listPosts',
    expected: 'rejected' as const,
  }
  if (!keys) return { ...base, seen: '-', outcome: 'error: API keys are off', got: 'error' }
  const short = keys.create({ expires: new Date(Date.now() + 1000), description: 'demo: expires in 1 s' })
  await new Promise((resolve) => setTimeout(resolve, 1200))
  const logFrom = peers.serverLog.length
  // A caller whose only identity is that key (no identity pool): auto can only choose it.
  const client = apiClient({ apiKey: short.key, apiAuthModes: ['apiKey'] })
  try {
    await client.request('{ listPosts { items { id } } }')
    return {
      ...base,
      seen: seenByServer(peers.serverLog.slice(logFrom)),
      outcome: 'ok (the expired key was accepted!)',
      got: 'ok',
    }
  } catch (error) {
    const rejected = error instanceof UnauthorizedError
    return {
      ...base,
      seen: seenByServer(peers.serverLog.slice(logFrom)),
      outcome: rejected
        ? `rejected: HTTP ${String(error.status)} "${firstSentence(error.serverMessages[0])}"`
        : `error: ${describeError(error)}`,
      got: rejected ? 'rejected' : 'error',
    }
  } finally {
    keys.revoke(short.id)
  }
}

function describeFailure(error: unknown): { outcome: string; got: Expected | 'error' } {
  // `auto` found no mode the rules allow for this caller: nothing was sent.
  if (error instanceof NoAuthModeAvailableError) {
    // The last mode considered: the caller's own identity, and why the rules refuse it.
    const last = error.reasons.at(-1)
    return { outcome: `denied before sending: ${last?.mode ?? '?'}: ${last?.reason ?? '?'}`, got: 'denied' }
  }
  if (error instanceof GraphQLResponseError) {
    const first = error.errors[0]
    return {
      outcome: `denied: errorType ${first?.errorType ?? '?'} (HTTP 200, data null)`,
      got: first?.errorType === 'Unauthorized' ? 'denied' : 'error',
    }
  }
  if (error instanceof UnauthorizedError) {
    return {
      outcome: `rejected: HTTP ${String(error.status)} "${firstSentence(error.serverMessages[0])}"`,
      got: 'rejected',
    }
  }
  return { outcome: `error: ${describeError(error)}`, got: 'error' }
}

/** The caller as the server's log saw it: `userPool alice`, `iam guest`, `iam backend blog-lambda`, or its rejection. */
function seenByServer(lines: readonly string[]): string {
  const last = lines.filter((l) => l.startsWith('POST /graphql')).at(-1)
  if (!last) return '-'
  const rejected = /^POST \/graphql (\d{3}) rejected: (.*)$/.exec(last)
  if (rejected) return `${rejected[1] ?? ''} rejected`
  const seen = /^POST \/graphql \d{3} (.*?)(?: errors: .*)?$/.exec(last)
  return seen?.[1] ?? '-'
}

/** A server message up to its first parenthesis or colon-explained detail, for a narrow table. */
function firstSentence(message: string | undefined): string {
  return (message ?? '').split(' (')[0]?.replace(/\.$/, '') ?? ''
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? ''
}

function describeError(error: unknown): string {
  // authmode errors carry no credentials; anything else is reduced to its name and message.
  if (isAuthmodeError(error)) return `${error.name} (${error.code}): ${error.message}`
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

function table(rows: readonly Row[]): string {
  const header = ['#', 'who', 'mode', 'request', 'server saw', 'outcome', 'check']
  const body = rows.map((row, i) => [
    String(i + 1),
    row.who,
    row.mode,
    row.request,
    row.seen,
    row.outcome,
    row.got === row.expected ? 'as expected' : `UNEXPECTED (expected ${row.expected})`,
  ])
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)),
  )
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(' | ')
      .trimEnd()
  const rule = widths.map((width) => '-'.repeat(width)).join('-+-')
  return [line(header), rule, ...body.map(line)].join('\n')
}

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  console.error(`\n${signal}: stopping the peers…`)
  try {
    await stopAll()
  } finally {
    process.exit(130)
  }
}
const onSignal = (signal: NodeJS.Signals): void => {
  void interrupted(signal)
}
process.once('SIGINT', onSignal)
process.once('SIGTERM', onSignal)

let exitCode: number
try {
  exitCode = await main()
} catch (error) {
  console.error(`demo failed: ${describeError(error)}`)
  exitCode = 1
} finally {
  const ports = started.map((peer) => ('port' in peer ? (peer as { port: number }).port : undefined))
  await stopAll()
  console.log(`\nStopped @authmode/local (port ${ports.filter((p) => p !== undefined).join(', ')}).`)
}
process.exitCode = exitCode
process.off('SIGINT', onSignal)
process.off('SIGTERM', onSignal)
started = []
// Everything is stopped: the process should now end by itself. If a handle were left open, say
// so and end anyway rather than hang (the timer itself does not keep the process alive).
setTimeout(() => {
  console.error('demo: something kept the process alive after everything was stopped')
  process.exit(1)
}, 10_000).unref()
