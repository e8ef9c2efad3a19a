// The demo: one @authmode/node client against the AppSync simulator and cognito-local, both on
// 127.0.0.1. It signs a user in, calls the API in each mode and with per-request overrides,
// prints what happened as a table, stops everything it started and exits 0 (1 when an outcome
// is not the expected one). It prints no key, token, secret or signature.
//
// Run: pnpm --filter @authmode/e2e demo (after building the packages).
import { createClient, GraphQLResponseError, isAuthmodeError, UnauthorizedError, type AuthMode } from '@authmode/node'
import { REGION, startPeers, type Peers } from './peers'
import { listeningSockets } from './sockets'
import { cognitoTokenProvider } from './token-provider'

interface Row {
  readonly request: string
  readonly mode: string
  /** The mode the server saw, from `whoami` (queries only). */
  readonly seen: string
  readonly field: string
  readonly outcome: string
  readonly expected: 'ok' | 'denied' | 'rejected'
  readonly got: 'ok' | 'denied' | 'rejected' | 'error'
}

interface Step {
  readonly request: string
  readonly authMode?: AuthMode | readonly AuthMode[]
  readonly field: string
  readonly document: string
  readonly expected: 'ok' | 'denied'
  /** Turns the field's data into a short, secret-free description. */
  readonly describe: (data: Record<string, unknown>) => string
}

const STEPS: readonly Step[] = [
  {
    request: 'default (apiKey)',
    field: 'publicNotes',
    document: '{ publicNotes { id text } whoami { authType } }',
    expected: 'ok',
    describe: (data) => `${String((data['publicNotes'] as unknown[]).length)} notes`,
  },
  {
    request: "override 'userPool'",
    authMode: 'userPool',
    field: 'myProfile',
    document: '{ myProfile { username groups } whoami { authType } }',
    expected: 'ok',
    describe: (data) => {
      const profile = data['myProfile'] as { username: string; groups: string[] | null }
      return `user ${profile.username}, groups ${(profile.groups ?? []).join(', ') || 'none'}`
    },
  },
  {
    request: "override 'iam'",
    authMode: 'iam',
    field: 'serviceHealth',
    document: '{ serviceHealth { status userArn } whoami { authType } }',
    expected: 'ok',
    describe: (data) => {
      const health = data['serviceHealth'] as { status: string; userArn: string }
      return `status ${health.status}, role ${health.userArn.split('/')[1] ?? '?'}`
    },
  },
  {
    request: 'default (apiKey)',
    field: 'myProfile',
    document: '{ myProfile { username } whoami { authType } }',
    expected: 'denied',
    describe: () => '',
  },
  {
    request: "override 'iam'",
    authMode: 'iam',
    field: 'panel.userPoolField',
    document: '{ panel { id userPoolField } whoami { authType } }',
    expected: 'denied',
    describe: () => '',
  },
  {
    request: "override 'userPool'",
    authMode: 'userPool',
    field: 'panel.adminField',
    document: '{ panel { adminField } whoami { authType } }',
    expected: 'ok',
    describe: (data) => `"${(data['panel'] as { adminField: string }).adminField}" (alice is in admins)`,
  },
  {
    request: "override ['apiKey', 'userPool']",
    authMode: ['apiKey', 'userPool'],
    field: 'myProfile',
    document: '{ myProfile { username } whoami { authType } }',
    expected: 'ok',
    describe: (data) => `user ${(data['myProfile'] as { username: string }).username}`,
  },
  {
    request: "override 'iam' (mutation)",
    authMode: 'iam',
    field: 'recordServiceEvent',
    document: 'mutation { recordServiceEvent(name: "demo") { name } }',
    expected: 'ok',
    describe: (data) => `recorded "${(data['recordServiceEvent'] as { name: string }).name}"`,
  },
  {
    request: "override 'iam' (mutation)",
    authMode: 'iam',
    field: 'postPublicNote',
    document: 'mutation { postPublicNote(text: "demo") { id } }',
    expected: 'denied',
    describe: () => '',
  },
]

/** `$util.authType()` answers, shortened to the client's mode names. */
const SEEN: Record<string, string> = {
  'API Key Authorization': 'apiKey',
  'User Pool Authorization': 'userPool',
  'IAM Authorization': 'iam',
}

async function main(): Promise<number> {
  console.log('authmode demo: @authmode/node against the AppSync simulator and cognito-local (127.0.0.1 only)\n')
  const started = Date.now()
  const peers = await startPeers([{ username: 'alice', groups: ['admins'] }])
  activePeers = peers
  try {
    await describePeers(peers, started)
    const rows = await run(peers)
    console.log(table(rows))
    const unexpected = rows.filter((row) => row.got !== row.expected)
    console.log(
      unexpected.length === 0
        ? `\nAll ${String(rows.length)} outcomes as expected.`
        : `\n${String(unexpected.length)} of ${String(rows.length)} outcomes were NOT as expected.`,
    )
    console.log(
      'Note: the simulator checks the API key value, that a user pool token is a JWT from a cognito-idp issuer and\n' +
        'that IAM requests carry a SigV4 authorization; it verifies no JWT or SigV4 signature (protocol conformance only).',
    )
    return unexpected.length === 0 ? 0 : 1
  } finally {
    await peers.stop()
    activePeers = undefined
    console.log(`\nStopped cognito-local (pid ${String(peers.cognito.pid)}) and the simulator.`)
  }
}

async function describePeers(peers: Peers, started: number): Promise<void> {
  const cognitoSockets = await listeningSockets(peers.cognito.pid)
  const ownSockets = await listeningSockets(process.pid)
  const where = (sockets: { address: string; port: number }[]): string =>
    sockets.map((s) => `${s.address}:${String(s.port)}`).join(', ') || 'nothing'
  console.log(
    `cognito-local     ${peers.cognito.endpoint}  pid ${String(peers.cognito.pid)}, listening on ${where(cognitoSockets)}`,
  )
  console.log(`                  user pool ${peers.cognito.userPoolId}, app client ${peers.cognito.clientId}`)
  console.log(`AppSync simulator ${peers.simulator.url}  in this process, listening on ${where(ownSockets)}`)
  console.log(`                  modes: API_KEY (default), AMAZON_COGNITO_USER_POOLS, AWS_IAM`)
  console.log(`Started in ${String(Date.now() - started)} ms.\n`)
}

async function run(peers: Peers): Promise<Row[]> {
  const user = peers.users['alice']
  if (!user) throw new Error('alice was not created')
  const tokens = cognitoTokenProvider(peers.cognito, user.username, user.password)
  // Sign in up front, so that the first userPool request does not have to.
  await tokens()
  console.log(`Signed in as ${user.username} with USER_PASSWORD_AUTH: the client sends the raw ID token (not shown).\n`)

  const statuses: number[] = []
  const client = createClient({
    endpoint: peers.simulator.url,
    region: REGION,
    apiKey: peers.simulator.apiKey,
    userPool: tokens,
    credentials: peers.credentials,
    authMode: 'apiKey',
    fetch: async (input, init) => {
      const response = await fetch(input, init)
      statuses.push(response.status)
      return response
    },
  })

  const rows: Row[] = []
  for (const step of STEPS) {
    statuses.length = 0
    const mode = step.authMode === undefined ? 'apiKey' : [step.authMode].flat().join(', then ')
    try {
      const data = await client.request(step.document, undefined, step.authMode ? { authMode: step.authMode } : {})
      rows.push({
        request: step.request,
        mode,
        seen: seenMode(data),
        field: step.field,
        outcome: `ok: ${step.describe(data)} (HTTP ${statuses.join(', ')})`,
        expected: step.expected,
        got: 'ok',
      })
    } catch (error) {
      if (error instanceof GraphQLResponseError) {
        const first = error.errors[0]
        rows.push({
          request: step.request,
          mode,
          seen: seenMode(error.data as Record<string, unknown> | null | undefined),
          field: step.field,
          outcome: `denied: errorType ${first?.errorType ?? '?'}, partial data (HTTP ${statuses.join(', ')})`,
          expected: step.expected,
          got: first?.errorType === 'Unauthorized' ? 'denied' : 'error',
        })
      } else {
        rows.push({
          request: step.request,
          mode,
          seen: '-',
          field: step.field,
          outcome: `error: ${describeError(error)}`,
          expected: step.expected,
          got: 'error',
        })
      }
    }
  }

  // A request-level rejection: a second client whose API key is wrong.
  statuses.length = 0
  const wrongKey = createClient({
    endpoint: peers.simulator.url,
    apiKey: 'da2-notthekey',
    authMode: 'apiKey',
    fetch: async (input, init) => {
      const response = await fetch(input, init)
      statuses.push(response.status)
      return response
    },
  })
  try {
    await wrongKey.request('{ whoami { authType } }')
    rows.push({
      request: 'other client, wrong API key',
      mode: 'apiKey',
      seen: '-',
      field: 'whoami',
      outcome: 'ok',
      expected: 'rejected',
      got: 'ok',
    })
  } catch (error) {
    const rejected = error instanceof UnauthorizedError
    rows.push({
      request: 'other client, wrong API key',
      mode: 'apiKey',
      seen: '-',
      field: 'whoami',
      outcome: rejected
        ? `rejected: ${error.name} "${error.serverMessages.join('; ')}" (HTTP ${statuses.join(', ')}: retried once after a refresh)`
        : `error: ${describeError(error)}`,
      expected: 'rejected',
      got: rejected ? 'rejected' : 'error',
    })
  }
  return rows
}

function seenMode(data: Record<string, unknown> | null | undefined): string {
  const authType = (data?.['whoami'] as { authType?: string } | undefined)?.authType
  return authType === undefined ? '-' : (SEEN[authType] ?? authType)
}

function describeError(error: unknown): string {
  // authmode errors carry no credentials; anything else is reduced to its name and message.
  if (isAuthmodeError(error)) return `${error.name} (${error.code}): ${error.message}`
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

function table(rows: readonly Row[]): string {
  const header = ['#', 'request', 'mode', 'server saw', 'field', 'outcome', 'check']
  const body = rows.map((row, i) => [
    String(i + 1),
    row.request,
    row.mode,
    row.seen,
    row.field,
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

let activePeers: Peers | undefined

async function interrupted(signal: NodeJS.Signals): Promise<void> {
  console.error(`\n${signal}: stopping the peers…`)
  try {
    await activePeers?.stop()
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
}
process.exitCode = exitCode
process.off('SIGINT', onSignal)
process.off('SIGTERM', onSignal)
// Everything is stopped: the process should now end by itself. If a handle were left open, say
// so and end anyway rather than hang (the timer itself does not keep the process alive).
setTimeout(() => {
  console.error('demo: something kept the process alive after everything was stopped')
  process.exit(1)
}, 10_000).unref()
