// cognito-local (a Cognito user pool emulator) as a child process, on 127.0.0.1 and a port the
// kernel picks, with its config and data in a temp dir that is removed on stop. Driven over its
// JSON API with plain fetch (the wire format of the real service: `x-amz-target` + JSON 1.1).
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, rmSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface CognitoTokens {
  readonly idToken: string
  readonly accessToken: string
  readonly refreshToken: string
}

export interface CognitoLocal {
  /** `http://127.0.0.1:<port>/`: where Cognito's JSON API answers. */
  readonly endpoint: string
  readonly region: string
  readonly userPoolId: string
  readonly clientId: string
  /** The issuer (`iss`) of the pool's tokens: `<issuerDomain>/<userPoolId>`. */
  readonly issuer: string
  /** The child process, for checks such as "listens on 127.0.0.1 only". */
  readonly pid: number
  readonly port: number
  /** Creates a confirmed user with a permanent password, optionally in groups (created on first use). */
  createUser(username: string, password: string, groups?: readonly string[]): Promise<void>
  /** `InitiateAuth` with `USER_PASSWORD_AUTH`. */
  signIn(username: string, password: string): Promise<CognitoTokens>
  /** `InitiateAuth` with `REFRESH_TOKEN_AUTH` (no new refresh token, as without rotation). */
  refresh(refreshToken: string): Promise<Omit<CognitoTokens, 'refreshToken'>>
  /**
   * Another app client of the pool, e.g. with token lifetimes of a few seconds (cognito-local
   * reads `IdTokenValidity`/`AccessTokenValidity` with `TokenValidityUnits` per client).
   */
  createAppClient(options: AppClientOptions): Promise<{ readonly clientId: string }>
  /** Any `AWSCognitoIdentityProviderService.<target>` call. */
  call<T = Record<string, unknown>>(target: string, body: Record<string, unknown>): Promise<T>
  /** Stops the child by its pid (SIGTERM, then SIGKILL) and removes the temp dir. Idempotent. */
  stop(): Promise<void>
}

export interface AppClientOptions {
  readonly name: string
  /** Lifetime of ID and access tokens, in seconds (default: cognito-local's, hours). */
  readonly tokenValiditySeconds?: number
}

export interface StartCognitoLocalOptions {
  /** Region in the token issuer (default `us-east-1`). */
  readonly region?: string
  readonly poolName?: string
  readonly startTimeoutMs?: number
  /** A fixed port (default: one the kernel picks). */
  readonly port?: number
  /**
   * The `iss` prefix of its tokens (default `https://cognito-idp.<region>.amazonaws.com`); e.g.
   * cognito-local's own default `http://localhost:<port>`.
   */
  readonly issuerDomain?: string
}

const require = createRequire(import.meta.url)
// Run in the child with `node -e WATCHDOG <bin> <dir>`.
const WATCHDOG = `
const [bin, dir] = process.argv.slice(1)
const orphaned = () => {
  if (dir.includes('authmode-cognito-local-')) require('node:fs').rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
process.stdin.on('end', orphaned).on('error', orphaned).resume()
require(bin)
`
const RUNNING = /Cognito Local running on (https?:\/\/127\.0\.0\.1:(\d+))/
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g

export async function startCognitoLocal(options: StartCognitoLocalOptions = {}): Promise<CognitoLocal> {
  const region = options.region ?? 'us-east-1'
  const issuerDomain = options.issuerDomain ?? `https://cognito-idp.${region}.amazonaws.com`
  const dir = await mkdtemp(join(tmpdir(), 'authmode-cognito-local-'))
  // cognito-local reads `.cognito/config.json` and keeps its data in `.cognito/db`, under its cwd.
  await mkdir(join(dir, '.cognito'))
  const config = {
    // Port 0: the kernel picks a free port; the log line says which.
    ServerConfig: { hostname: '127.0.0.1', port: options.port ?? 0 },
    // The simulator takes a JWT for a user pool token only when `iss` starts with https://cognito-idp.
    TokenConfig: { IssuerDomain: issuerDomain },
    // Plain user names (the default makes them e-mail addresses).
    UserPoolDefaults: { UsernameAttributes: [] },
  }
  await writeFile(join(dir, '.cognito', 'config.json'), JSON.stringify(config, null, 2))

  const bin = join(dirname(require.resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
  }
  delete env['DEBUG']
  delete env['COGNITO_LOCAL_DEVMODE']
  // The child runs cognito-local behind a watchdog: when our end of its stdin closes (this process
  // ended, however it ended), it removes its temp dir and exits. Normal stops are by pid, below.
  const child = spawn(process.execPath, ['-e', WATCHDOG, bin, dir], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] })
  const removeExitHook = killOnParentExit(child, dir)
  // Its log goes to a file, never to our output: request logs may hold what a test sent.
  const logPath = join(dir, 'cognito-local.log')
  const log = createWriteStream(logPath)
  child.stdout.pipe(log, { end: false })
  child.stderr.pipe(log, { end: false })

  let stopped = false
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    try {
      await stopChild(child)
    } finally {
      removeExitHook()
      await new Promise<void>((resolve) => log.end(resolve))
      await rm(dir, { recursive: true, force: true })
    }
  }

  let endpoint: string
  let port: number
  try {
    ;({ endpoint, port } = await waitForStart(child, options.startTimeoutMs ?? 30_000))
  } catch (error) {
    await stop()
    throw error
  }
  const pid = child.pid
  if (pid === undefined) throw new Error('cognito-local started without a pid') // cannot happen once it answered

  const call = async <T>(target: string, body: Record<string, unknown>): Promise<T> => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
      },
      body: JSON.stringify(body),
    })
    const text = await response.text()
    let json: Record<string, unknown> = {}
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    } catch {
      // Not JSON: reported below by status only.
    }
    if (!response.ok) {
      // Only the error type and message: never the request body (passwords, tokens).
      const type = typeof json['__type'] === 'string' ? json['__type'] : 'unknown error'
      const message = typeof json['message'] === 'string' ? json['message'] : ''
      throw new Error(
        `cognito-local ${target}: HTTP ${String(response.status)} ${type}${message ? `: ${message}` : ''}`,
      )
    }
    return json as T
  }

  let userPoolId: string
  let clientId: string
  try {
    const pool = await call<{ UserPool: { Id: string } }>('CreateUserPool', {
      PoolName: options.poolName ?? 'authmode-e2e',
    })
    userPoolId = pool.UserPool.Id
    const client = await call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
      UserPoolId: userPoolId,
      ClientName: 'authmode-e2e-web',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    })
    clientId = client.UserPoolClient.ClientId
  } catch (error) {
    await stop()
    throw error
  }

  const groups = new Set<string>()
  const ensureGroup = async (name: string): Promise<void> => {
    if (groups.has(name)) return
    try {
      await call('CreateGroup', { UserPoolId: userPoolId, GroupName: name })
    } catch (error) {
      if (!(error as Error).message.includes('GroupExistsException')) throw error
    }
    groups.add(name)
  }

  const authenticate = async (authFlow: string, parameters: Record<string, string>) => {
    const answer = await call<{
      ChallengeName?: string
      AuthenticationResult?: { IdToken?: string; AccessToken?: string; RefreshToken?: string }
    }>('InitiateAuth', { AuthFlow: authFlow, ClientId: clientId, AuthParameters: parameters })
    const result = answer.AuthenticationResult
    const idToken = result?.IdToken
    const accessToken = result?.AccessToken
    if (!idToken || !accessToken) {
      throw new Error(
        `cognito-local InitiateAuth ${authFlow}: no tokens (challenge: ${answer.ChallengeName ?? 'none'})`,
      )
    }
    return { IdToken: idToken, AccessToken: accessToken, RefreshToken: result.RefreshToken }
  }

  return {
    endpoint,
    region,
    userPoolId,
    clientId,
    issuer: `${issuerDomain}/${userPoolId}`,
    pid,
    port,
    call,
    stop,
    async createAppClient({ name, tokenValiditySeconds }) {
      const created = await call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
        UserPoolId: userPoolId,
        ClientName: name,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        EnableTokenRevocation: true,
        ...(tokenValiditySeconds === undefined
          ? {}
          : {
              IdTokenValidity: tokenValiditySeconds,
              AccessTokenValidity: tokenValiditySeconds,
              TokenValidityUnits: { IdToken: 'seconds', AccessToken: 'seconds' },
            }),
      })
      return { clientId: created.UserPoolClient.ClientId }
    },
    async createUser(username, password, userGroups = []) {
      await call('AdminCreateUser', {
        UserPoolId: userPoolId,
        Username: username,
        TemporaryPassword: password,
        MessageAction: 'SUPPRESS',
      })
      await call('AdminSetUserPassword', {
        UserPoolId: userPoolId,
        Username: username,
        Password: password,
        Permanent: true,
      })
      for (const group of userGroups) {
        await ensureGroup(group)
        await call('AdminAddUserToGroup', { UserPoolId: userPoolId, Username: username, GroupName: group })
      }
    },
    async signIn(username, password) {
      const result = await authenticate('USER_PASSWORD_AUTH', { USERNAME: username, PASSWORD: password })
      if (!result.RefreshToken) throw new Error('cognito-local InitiateAuth USER_PASSWORD_AUTH: no refresh token')
      return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken }
    },
    async refresh(refreshToken) {
      const result = await authenticate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken })
      return { idToken: result.IdToken, accessToken: result.AccessToken }
    },
  }
}

function waitForStart(child: ChildProcess, timeoutMs: number): Promise<{ endpoint: string; port: number }> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const done = (error?: Error, value?: { endpoint: string; port: number }): void => {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.off('exit', onExit)
      child.off('error', onError)
      if (error) reject(error)
      else resolve(value as { endpoint: string; port: number })
    }
    const onData = (chunk: Buffer): void => {
      // Nothing has been sent to it yet, so its start-up output holds no secret.
      seen = (seen + chunk.toString('utf8').replace(ANSI, '')).slice(-8192)
      const match = RUNNING.exec(seen)
      if (match?.[1] && match[2]) done(undefined, { endpoint: `${match[1]}/`, port: Number(match[2]) })
    }
    const onExit = (code: number | null, signal: string | null): void => {
      done(
        new Error(
          `cognito-local exited during start-up (code ${String(code)}, signal ${String(signal)}):\n${seen.slice(-2000)}`,
        ),
      )
    }
    const onError = (error: Error): void => {
      done(new Error(`cognito-local could not be started: ${error.message}`))
    }
    const timer = setTimeout(() => {
      done(new Error(`cognito-local did not start within ${String(timeoutMs)} ms:\n${seen.slice(-2000)}`))
    }, timeoutMs)
    child.stdout?.on('data', onData)
    child.once('exit', onExit)
    child.once('error', onError)
  })
}

/** SIGTERM by pid, SIGKILL after 5 s; resolves once the process has exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve()
    })
  })
  process.kill(child.pid, 'SIGTERM')
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
      process.kill(child.pid, 'SIGKILL')
  }, 5000)
  try {
    await exited
  } finally {
    clearTimeout(timer)
  }
}

/** If this process exits without calling stop (a crash, process.exit), the child and its dir go with it. */
function killOnParentExit(child: ChildProcess, dir: string): () => void {
  const hook = (): void => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', hook)
  return () => process.off('exit', hook)
}
