import type { AwsCredentialIdentity, ResolveIdentityOptions } from '../auth/types'
import { isAuthmodeError } from '../errors/AuthmodeError'
import { ConfigurationError } from '../errors/ConfigurationError'
import { CredentialsError } from '../errors/CredentialsError'
import { abandonOnAbort } from '../internal/abort'
import { systemClock, type Clock } from '../internal/clock'
import { memoryStorage, type KeyValueStorage } from '../storage/types'
import { callAwsJson, type AwsJsonFailure, type AwsJsonResult } from './awsJson'
import { markSelfMemoized } from './selfMemoized'

const REFRESH_WINDOW_MS = 5 * 60 * 1000
const DEFAULT_TIMEOUT_MS = 10_000
const SERVICE = 'AWSCognitoIdentityService'
// As the Cognito Identity API documents it: `<region>:<uuid>`.
const IDENTITY_ID = /^[\w-]+:[0-9a-f-]+$/
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/
const JWT = /eyJ[\w-]*\.[\w-]+\.[\w-]*/g

/** `Logins` of Cognito Identity: provider name → token, e.g. `{ 'cognito-idp.<region>.amazonaws.com/<userPoolId>': idToken }`. */
export type CognitoLogins = Readonly<Record<string, string>>

/** The current logins, or undefined (or `{}`) for a guest. Called before every use, so a refreshed token is picked up. */
export type CognitoLoginsProvider = () => CognitoLogins | undefined | Promise<CognitoLogins | undefined>

export interface CognitoIdentityPoolOptions {
  /** `<region>:<uuid>`; its prefix is the region unless `region` is given. */
  readonly identityPoolId: string
  readonly region?: string | undefined
  /** Default `https://cognito-identity.<region>.amazonaws.com/`. */
  readonly endpoint?: string | URL | undefined
  /** Absent: guest (unauthenticated) credentials. A function is asked each time, so sign-in and sign-out take effect at once. */
  readonly logins?: CognitoLogins | CognitoLoginsProvider | undefined
  /**
   * Where a guest's identity id is kept, under Amplify's key `com.amplify.Cognito.<identityPoolId>.identityId`
   * (so an app moving from Amplify keeps its guests). Default: memory. `localStorage` fits as is.
   */
  readonly storage?: KeyValueStorage | undefined
  /** Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined
  /** Time source, for tests. */
  readonly clock?: Clock | undefined
  /** Limit of each call to Cognito (default 10 000 ms). */
  readonly timeoutMs?: number | undefined
}

/** Temporary credentials of an identity-pool identity. */
export interface CognitoIdentityCredentials extends AwsCredentialIdentity {
  readonly identityId: string
  readonly expiration: Date
}

/** An `AwsCredentialIdentityProvider` over a Cognito identity pool; usable as `credentials`. */
export type CognitoIdentityPoolProvider = (options?: ResolveIdentityOptions) => Promise<CognitoIdentityCredentials>

interface Config {
  readonly identityPoolId: string
  readonly endpoint: URL
  readonly logins: CognitoLogins | CognitoLoginsProvider | undefined
  readonly storage: KeyValueStorage
  readonly storageKey: string
  readonly fetch: typeof globalThis.fetch
  readonly clock: Clock
  readonly timeoutMs: number
}

/** What is known about one principal (the guest, or one signed-in user). */
interface PrincipalState {
  readonly key: string
  readonly guest: boolean
  identityId: string | undefined
  cached: { readonly value: CognitoIdentityCredentials; readonly refreshAt: number } | undefined
  inflight: Promise<CognitoIdentityCredentials> | undefined
  guestIdCleared: boolean
}

/**
 * Credentials from a Cognito identity pool: `GetId`, then `GetCredentialsForIdentity`, over
 * unsigned `fetch`. Guest credentials without `logins`; authenticated ones with the user pool ID
 * token. Concurrent callers share one call of each; credentials are reused until 5 minutes before
 * they expire; a guest's identity id is kept in `storage`; an identity Cognito no longer knows is
 * replaced once. A change of `logins` (sign-in, sign-out, another user) never reuses the previous
 * principal's credentials or identity id.
 *
 * @example
 * ```ts
 * import { createClient, fromCognitoIdentityPool } from '@authmode/browser'
 *
 * const credentials = fromCognitoIdentityPool({
 *   identityPoolId: 'us-east-1:1a2b3c4d-0000-4000-8000-000000000000',
 *   storage: localStorage,
 *   // Signed in: the authenticated role; undefined: the guest role.
 *   logins: async () => {
 *     const idToken = await currentIdToken() // undefined when nobody is signed in
 *     return idToken ? { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf': idToken } : undefined
 *   },
 * })
 * const client = createClient({ endpoint, authMode: 'iam', credentials })
 * ```
 */
export function fromCognitoIdentityPool(options: CognitoIdentityPoolOptions): CognitoIdentityPoolProvider {
  const config = resolveOptions(options)
  let current: PrincipalState | undefined

  const provider = async (opts: ResolveIdentityOptions = {}): Promise<CognitoIdentityCredentials> => {
    const logins = await readLogins(config.logins)
    const key = principalKey(logins)
    let state = current
    if (state?.key !== key) {
      // Another principal: nothing of the previous one is kept.
      state = {
        key,
        guest: logins === undefined,
        identityId: undefined,
        cached: undefined,
        inflight: undefined,
        guestIdCleared: false,
      }
      current = state
    }
    const cached = state.cached
    if (opts.forceRefresh !== true && cached !== undefined && config.clock.now() < cached.refreshAt) {
      return cached.value
    }
    // The shared fetch takes no caller's signal: one caller giving up must not fail the others.
    state.inflight ??= refresh(state, logins, opts.forceRefresh === true)
    return abandonOnAbort(state.inflight, opts.signal)
  }

  const refresh = (
    state: PrincipalState,
    logins: CognitoLogins | undefined,
    forced: boolean,
  ): Promise<CognitoIdentityCredentials> => {
    const previous = state.cached
    const run = (async () => {
      try {
        const value = await fetchCredentials(state, logins)
        const now = config.clock.now()
        const lifetime = value.expiration.getTime() - now
        state.cached = { value, refreshAt: value.expiration.getTime() - Math.min(REFRESH_WINDOW_MS, lifetime / 2) }
        return value
      } catch (error) {
        // An early refresh that fails keeps the credentials while they are still valid.
        if (!forced && previous !== undefined && config.clock.now() < previous.value.expiration.getTime()) {
          return previous.value
        }
        throw error
      }
    })()
    const clear = (): void => {
      if (state.inflight === run) state.inflight = undefined
    }
    run.then(clear, clear)
    return run
  }

  const fetchCredentials = async (
    state: PrincipalState,
    logins: CognitoLogins | undefined,
  ): Promise<CognitoIdentityCredentials> => {
    const secrets = logins === undefined ? [] : Object.values(logins)
    let identityId = state.identityId ?? (state.guest ? await readStoredId(config) : undefined)
    const wasCached = identityId !== undefined
    identityId ??= await getId(state, logins, secrets)
    const request = (id: string): Promise<AwsJsonResult<unknown>> =>
      call(config, 'GetCredentialsForIdentity', { IdentityId: id, ...(logins === undefined ? {} : { Logins: logins }) })
    let answer = await request(identityId)
    if (!answer.ok && wasCached && isUnknownIdentity(answer)) {
      // Deleted, or no longer this principal's: drop it and get a new one, once.
      await forgetId(state, identityId)
      identityId = await getId(state, logins, secrets)
      answer = await request(identityId)
    }
    if (!answer.ok) throw failure('GetCredentialsForIdentity', answer, { guest: state.guest, secrets })
    const credentials = parseCredentials(answer.body, identityId)
    if (credentials.identityId !== identityId) await rememberId(state, credentials.identityId)
    if (!state.guest && !state.guestIdCleared) {
      // As Amplify does: once a user is signed in, the guest identity of this device is not reused.
      state.guestIdCleared = true
      await removeStoredId(config)
    }
    return credentials
  }

  const getId = async (
    state: PrincipalState,
    logins: CognitoLogins | undefined,
    secrets: readonly string[],
  ): Promise<string> => {
    const answer = await call(config, 'GetId', {
      IdentityPoolId: config.identityPoolId,
      ...(logins === undefined ? {} : { Logins: logins }),
    })
    if (!answer.ok) throw failure('GetId', answer, { guest: state.guest, secrets })
    const id = (answer.body as { IdentityId?: unknown } | null)?.IdentityId
    if (typeof id !== 'string' || !IDENTITY_ID.test(id)) {
      throw new CredentialsError('iam: the Cognito GetId answer has no IdentityId.', {
        recoverySuggestion: 'Check that `endpoint` is a Cognito identity pool endpoint.',
      })
    }
    await rememberId(state, id)
    return id
  }

  const rememberId = async (state: PrincipalState, id: string): Promise<void> => {
    state.identityId = id
    // Only a guest's id is persisted, and only while the guest is still the current principal.
    if (state.guest && current === state) await writeStoredId(config, id)
  }

  const forgetId = async (state: PrincipalState, id: string): Promise<void> => {
    state.identityId = undefined
    if (state.guest && (await readStoredId(config)) === id) await removeStoredId(config)
  }

  return markSelfMemoized(provider)
}

function resolveOptions(options: CognitoIdentityPoolOptions): Config {
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new ConfigurationError('fromCognitoIdentityPool needs an options object with `identityPoolId`.')
  }
  const identityPoolId: unknown = options.identityPoolId
  if (typeof identityPoolId !== 'string' || !IDENTITY_ID.test(identityPoolId)) {
    throw new ConfigurationError(
      `\`identityPoolId\` must look like "us-east-1:1a2b3c4d-…" (region, colon, id), got ${JSON.stringify(String(identityPoolId).slice(0, 80))}.`,
    )
  }
  const region = options.region ?? identityPoolId.split(':')[0] ?? ''
  if (!REGION.test(region)) {
    throw new ConfigurationError(
      `fromCognitoIdentityPool: ${options.region === undefined ? 'the prefix of `identityPoolId`' : '`region`'} is not an AWS region (${JSON.stringify(region)}): pass \`region\`, e.g. "us-east-1".`,
    )
  }
  let endpoint: URL
  try {
    endpoint = new URL(
      options.endpoint ?? `https://cognito-identity.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`,
    )
  } catch {
    throw new ConfigurationError('fromCognitoIdentityPool: `endpoint` is not an absolute URL.')
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') {
    throw new ConfigurationError('fromCognitoIdentityPool: `endpoint` must use https (or http for a local endpoint).')
  }
  const { logins } = options
  if (logins !== undefined && typeof logins !== 'function') checkLogins(logins)
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigurationError('fromCognitoIdentityPool: `timeoutMs` must be a number of milliseconds > 0.')
  }
  return {
    identityPoolId,
    endpoint,
    logins,
    storage: options.storage ?? memoryStorage(),
    storageKey: `com.amplify.Cognito.${identityPoolId}.identityId`,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    clock: options.clock ?? systemClock,
    timeoutMs,
  }
}

async function readLogins(
  source: CognitoLogins | CognitoLoginsProvider | undefined,
): Promise<CognitoLogins | undefined> {
  let logins: unknown = source
  if (typeof source === 'function') {
    try {
      logins = await source()
    } catch (error) {
      // NoIdentityError and friends pass through (a mode list then skips iam); anything else is
      // named by its type only, as its message may quote a token.
      if (isAuthmodeError(error)) throw error
      throw new CredentialsError(
        `iam: the \`logins\` function of fromCognitoIdentityPool failed (${error instanceof Error ? error.name : typeof error}).`,
        {
          cause: error,
          recoverySuggestion: 'Check the session that supplies the ID token; the user may need to sign in again.',
        },
      )
    }
  }
  if (logins === undefined || logins === null) return undefined
  checkLogins(logins)
  return Object.keys(logins).length === 0 ? undefined : logins
}

function checkLogins(logins: unknown): asserts logins is CognitoLogins {
  const ok =
    typeof logins === 'object' &&
    logins !== null &&
    !Array.isArray(logins) &&
    Object.entries(logins).every(([name, token]) => name !== '' && typeof token === 'string' && token !== '')
  if (!ok) {
    throw new ConfigurationError(
      '`logins` must map provider names to tokens, e.g. { "cognito-idp.<region>.amazonaws.com/<userPoolId>": idToken }, or be a function returning that (or undefined for a guest).',
    )
  }
}

/** Who the logins stand for: the user (`sub` of a JWT), not the token, so a refreshed token is the same principal. */
function principalKey(logins: CognitoLogins | undefined): string {
  if (logins === undefined) return 'guest'
  return Object.entries(logins)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([provider, token]) => `${provider}\n${jwtSubject(token) ?? `token:${token}`}`)
    .join('\n')
}

function jwtSubject(token: string): string | undefined {
  const payload = token.split('.')[1]
  if (payload === undefined) return undefined
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/')
    const claims = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))) as unknown
    const sub = (claims as { sub?: unknown } | null)?.sub
    return typeof sub === 'string' && sub !== '' ? `sub:${sub}` : undefined
  } catch {
    return undefined
  }
}

async function call(config: Config, operation: string, body: unknown): Promise<AwsJsonResult<unknown>> {
  const signal = AbortSignal.timeout(config.timeoutMs)
  try {
    return await callAwsJson({
      endpoint: config.endpoint,
      target: `${SERVICE}.${operation}`,
      body,
      fetch: config.fetch,
      signal,
    })
  } catch (error) {
    const timedOut = signal.aborted
    throw new CredentialsError(
      `iam: Cognito identity pool ${operation} ${timedOut ? `timed out after ${String(config.timeoutMs)} ms` : 'could not be reached'} (${config.endpoint.origin}).`,
      {
        cause: timedOut ? undefined : error,
        recoverySuggestion: 'Check the network and the identity pool `endpoint`/`region`; retry later.',
      },
    )
  }
}

function isUnknownIdentity(failure: AwsJsonFailure): boolean {
  return (
    failure.type === 'ResourceNotFoundException' ||
    (failure.type === 'NotAuthorizedException' && /Access to Identity .* is forbidden/i.test(failure.message))
  )
}

function failure(
  operation: string,
  answer: AwsJsonFailure,
  { guest, secrets }: { readonly guest: boolean; readonly secrets: readonly string[] },
): CredentialsError {
  let message = answer.message.replace(JWT, '[redacted]')
  for (const secret of secrets) if (secret.length >= 8) message = message.split(secret).join('[redacted]')
  if (message.length > 300) message = `${message.slice(0, 300)}…`
  return new CredentialsError(
    `iam: Cognito identity pool ${operation} failed: ${answer.type}${message ? `: ${message}` : ''} (HTTP ${String(answer.status)}).`,
    { recoverySuggestion: suggestion(answer, guest) },
  )
}

function suggestion(answer: AwsJsonFailure, guest: boolean): string {
  if (answer.transient) return 'A temporary failure (throttling or a server error): retry later.'
  if (answer.type === 'ResourceNotFoundException') return 'Check `identityPoolId` and `region`.'
  if (answer.type === 'NotAuthorizedException') {
    return guest
      ? 'The identity pool may not allow unauthenticated (guest) identities: enable them, or sign the user in.'
      : 'The login token was rejected: refresh it or sign in again, and check the `logins` key (cognito-idp.<region>.amazonaws.com/<userPoolId>).'
  }
  return 'Check the identity pool configuration.'
}

function parseCredentials(body: unknown, identityId: string): CognitoIdentityCredentials {
  const answer = (typeof body === 'object' && body !== null ? body : {}) as {
    IdentityId?: unknown
    Credentials?: { AccessKeyId?: unknown; SecretKey?: unknown; SessionToken?: unknown; Expiration?: unknown }
  }
  const c = answer.Credentials ?? {}
  // `Expiration` is a timestamp in epoch seconds on the wire.
  const seconds = typeof c.Expiration === 'string' ? Number(c.Expiration) : c.Expiration
  const expiration = typeof seconds === 'number' ? new Date(seconds * 1000) : undefined
  if (
    typeof c.AccessKeyId !== 'string' ||
    c.AccessKeyId === '' ||
    typeof c.SecretKey !== 'string' ||
    c.SecretKey === '' ||
    (c.SessionToken !== undefined && typeof c.SessionToken !== 'string') ||
    expiration === undefined ||
    Number.isNaN(expiration.getTime())
  ) {
    throw new CredentialsError(
      'iam: the Cognito GetCredentialsForIdentity answer has no usable Credentials (AccessKeyId, SecretKey, Expiration).',
      { recoverySuggestion: 'Check that `endpoint` is a Cognito identity pool endpoint.' },
    )
  }
  const returnedId =
    typeof answer.IdentityId === 'string' && IDENTITY_ID.test(answer.IdentityId) ? answer.IdentityId : identityId
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretKey,
    ...(typeof c.SessionToken === 'string' ? { sessionToken: c.SessionToken } : {}),
    expiration,
    identityId: returnedId,
  }
}

// Storage failures (a full or disabled store) cost a GetId, never the request.
async function readStoredId(config: Config): Promise<string | undefined> {
  try {
    const value = await config.storage.getItem(config.storageKey)
    return typeof value === 'string' && IDENTITY_ID.test(value) ? value : undefined
  } catch {
    return undefined
  }
}

async function writeStoredId(config: Config, id: string): Promise<void> {
  try {
    await config.storage.setItem(config.storageKey, id)
  } catch {
    // Kept in memory only.
  }
}

async function removeStoredId(config: Config): Promise<void> {
  try {
    await config.storage.removeItem(config.storageKey)
  } catch {
    // Nothing else to do.
  }
}
