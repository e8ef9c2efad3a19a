import { parseArgs } from 'node:util'
import { ConfigurationError } from '@authmode/core'
import type { LocalAuthMode } from '../auth/caller'
import type { UserPoolConfig } from '../auth/jwt'
import type { BackendCredentials } from '../server/startLocalAppSync'
import type { LocalAppClient, LocalUser, LocalUserPoolOptions } from '../user-pool/index'

export const HELP = `authmode-local: a local AppSync-compatible GraphQL endpoint that verifies every request
(API key with expiry, Cognito JWT against the pool's JWKS, SigV4) and enforces @auth rules.

Usage:
  authmode-local --schema schema.graphql [options]

Options:
  --schema <file>               GraphQL schema (SDL) with @model, @auth and @aws_* directives (required)
  --port <n>                    port (default 4000; 0 picks a free one)
  --host <addr>                 address to listen on (default 127.0.0.1)
  --region <region>             region requests are signed for (default us-east-1)
  --api-key <key>               accept this API key (repeatable; default: one new key, 30 days)
  --api-key-ttl-days <n>        lifetime of the keys above from now (default 30)
  --no-api-key                  turn the API_KEY mode off
  --print-api-key               print the generated API key (it is a secret: not printed by default)
  --user-pool-id <id>           accept tokens of this Cognito user pool
  --user-pool-client-id <id>    accept only this app client (repeatable)
  --user-pool-endpoint <url>    a Cognito emulator's URL (cognito-local): the pool's JWKS, and its
                                tokens' issuer <url>/<id> is accepted too
  --user-pool-issuer <url>      the issuer (iss) of the pool's tokens, when neither form above
  --user <name>:<password>[:<group>,…]
                                run a local Cognito user pool with this user (repeatable); a password
                                with ':' needs a trailing ':' (no groups)
  --local-pool-id <id>          its user pool id (default <region>_ and 9 random characters)
  --local-client-id <id>        its app client's id (default: 26 random characters)
  --local-client-secret <s>     give the app client a secret (SECRET_HASH / ClientSecret required)
  --local-rotation <seconds>    refresh-token rotation on, with this retry grace period (0-60)
  --default-auth-mode <mode>    apiKey | userPool | oidc | iam (default apiKey, else userPool, else iam)
  --backend-from-env            accept AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY[/AWS_SESSION_TOKEN] as backend (full access)
  --no-identity-pool            turn the identity-pool endpoint (GetId, GetCredentialsForIdentity) off
  --persist <file>              keep the data in this JSON file
  --outputs <file>              write a Gen 2 amplify_outputs.json for this endpoint (holds the API key)
  --quiet                       no request log
  -h, --help                    this help

Routes: POST /graphql, GET /health, POST / (identity pool: x-amz-target AWSCognitoIdentityService.*;
user pool: AWSCognitoIdentityProviderService.*), GET /<userPoolId>/.well-known/jwks.json.
Stops on SIGINT or SIGTERM after the requests in flight.`

export interface CliConfig {
  readonly help: boolean
  readonly schemaPath: string
  readonly port: number
  readonly host: string
  readonly region: string
  readonly apiKeys: false | readonly { key?: string; ttlDays?: number }[]
  readonly printApiKey: boolean
  readonly userPools: readonly UserPoolConfig[]
  /** The local user pool (`--user`, `--local-*`); undefined without `--user`. */
  readonly userPool: LocalUserPoolOptions | undefined
  readonly defaultAuthMode: LocalAuthMode | undefined
  readonly backendCredentials: readonly BackendCredentials[]
  readonly identityPool: boolean
  readonly persistTo: string | undefined
  /** `--outputs`: where to write amplify_outputs.json once listening. */
  readonly outputsPath: string | undefined
  readonly quiet: boolean
}

const MODES: readonly LocalAuthMode[] = ['apiKey', 'userPool', 'oidc', 'iam']

/** Reads the command line; ConfigurationError with what to pass when it is wrong. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliConfig {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    throw new ConfigurationError(`${(error as Error).message}. Run authmode-local --help.`, { cause: error })
  }
  const v = parsed.values
  const help = v.help === true
  const schemaPath = v.schema
  if (!help && (schemaPath === undefined || schemaPath === '')) {
    throw new ConfigurationError('--schema <file> is required. Run authmode-local --help.')
  }
  const port = v.port === undefined ? 4000 : Number(v.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigurationError('--port must be 0–65535.')
  const ttlDays = v['api-key-ttl-days'] === undefined ? undefined : Number(v['api-key-ttl-days'])
  if (ttlDays !== undefined && !(ttlDays > 0))
    throw new ConfigurationError('--api-key-ttl-days must be a positive number.')
  const mode = v['default-auth-mode']
  if (mode !== undefined && !MODES.includes(mode as LocalAuthMode)) {
    throw new ConfigurationError(`--default-auth-mode must be one of ${MODES.join(', ')}.`)
  }
  const keys = v['api-key'] ?? []
  const apiKeys =
    v['no-api-key'] === true
      ? false
      : (keys.length > 0 ? keys.map((key) => ({ key })) : [{}]).map((k) =>
          ttlDays === undefined ? k : { ...k, ttlDays },
        )
  const userPools: UserPoolConfig[] = []
  if (v['user-pool-id'] !== undefined) {
    const clientIds = v['user-pool-client-id'] ?? []
    userPools.push({
      userPoolId: v['user-pool-id'],
      ...(clientIds.length > 0 ? { clientIds } : {}),
      ...(v['user-pool-endpoint'] === undefined ? {} : { endpoint: v['user-pool-endpoint'] }),
      ...(v['user-pool-issuer'] === undefined ? {} : { issuer: v['user-pool-issuer'] }),
    })
  } else {
    const stray = (['user-pool-client-id', 'user-pool-endpoint', 'user-pool-issuer'] as const).find(
      (flag) => v[flag] !== undefined,
    )
    if (stray) throw new ConfigurationError(`--${stray} needs --user-pool-id (the pool whose tokens to accept).`)
  }
  const userPool = localUserPool(v)
  const backendCredentials: BackendCredentials[] = []
  if (v['backend-from-env'] === true) {
    const accessKeyId = env['AWS_ACCESS_KEY_ID']
    const secretAccessKey = env['AWS_SECRET_ACCESS_KEY']
    if (!accessKeyId || !secretAccessKey) {
      throw new ConfigurationError(
        '--backend-from-env needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment.',
      )
    }
    const sessionToken = env['AWS_SESSION_TOKEN']
    backendCredentials.push({ name: 'env', accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) })
  }
  return {
    help,
    schemaPath: schemaPath ?? '',
    port,
    host: v.host ?? '127.0.0.1',
    region: v.region ?? 'us-east-1',
    apiKeys,
    printApiKey: v['print-api-key'] === true,
    userPools,
    userPool,
    defaultAuthMode: mode as LocalAuthMode | undefined,
    backendCredentials,
    identityPool: v['no-identity-pool'] !== true,
    persistTo: v.persist,
    outputsPath: v.outputs,
    quiet: v.quiet === true,
  }
}

/** `<name>:<password>[:<group>,…]`: split at the first ':' and, when there is another, at the last. */
function parseUser(spec: string): LocalUser {
  const first = spec.indexOf(':')
  const last = spec.lastIndexOf(':')
  const username = spec.slice(0, first)
  const password = first === last ? spec.slice(first + 1) : spec.slice(first + 1, last)
  const groups =
    first === last
      ? []
      : spec
          .slice(last + 1)
          .split(',')
          .filter((g) => g !== '')
  if (first < 1 || password === '') {
    throw new ConfigurationError(
      '--user must be <name>:<password>[:<group>,<group>], e.g. --user alice:Passw0rd!:Admin.',
    )
  }
  return { username, password, groups }
}

function localUserPool(v: ReturnType<typeof parse>['values']): LocalUserPoolOptions | undefined {
  const users = (v.user ?? []).map(parseUser)
  const localFlags = ['local-pool-id', 'local-client-id', 'local-client-secret', 'local-rotation'] as const
  if (users.length === 0) {
    const stray = localFlags.find((flag) => v[flag] !== undefined)
    if (stray) throw new ConfigurationError(`--${stray} needs at least one --user (the local user pool's users).`)
    return undefined
  }
  const grace = v['local-rotation'] === undefined ? undefined : Number(v['local-rotation'])
  if (grace !== undefined && !(Number.isInteger(grace) && grace >= 0 && grace <= 60)) {
    throw new ConfigurationError('--local-rotation must be the retry grace period in whole seconds, 0-60.')
  }
  const client: LocalAppClient = {
    ...(v['local-client-id'] === undefined ? {} : { clientId: v['local-client-id'] }),
    ...(v['local-client-secret'] === undefined ? {} : { clientSecret: v['local-client-secret'] }),
    ...(grace === undefined ? {} : { refreshTokenRotation: { retryGracePeriodSeconds: grace } }),
  }
  return {
    users,
    clients: [client],
    ...(v['local-pool-id'] === undefined ? {} : { userPoolId: v['local-pool-id'] }),
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      schema: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      region: { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      'api-key-ttl-days': { type: 'string' },
      'no-api-key': { type: 'boolean' },
      'print-api-key': { type: 'boolean' },
      'user-pool-id': { type: 'string' },
      'user-pool-client-id': { type: 'string', multiple: true },
      'user-pool-endpoint': { type: 'string' },
      'user-pool-issuer': { type: 'string' },
      user: { type: 'string', multiple: true },
      'local-pool-id': { type: 'string' },
      'local-client-id': { type: 'string' },
      'local-client-secret': { type: 'string' },
      'local-rotation': { type: 'string' },
      'default-auth-mode': { type: 'string' },
      'backend-from-env': { type: 'boolean' },
      'no-identity-pool': { type: 'boolean' },
      persist: { type: 'string' },
      outputs: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}
