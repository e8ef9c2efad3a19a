import { isDuration } from '../internal/checks'
import type { AwsCredentialIdentity, ResolveIdentityOptions, SessionResolveOptions } from '../auth/types'
import { CredentialsError } from '../errors/CredentialsError'
import { systemClock, type Clock } from '../internal/clock'
import type { KeyValueStorage } from '../storage/types'
import { callAwsJson, defaultFetch, type AwsJsonFailure } from './awsJson'
import { cognitoUrl, endpointOption, isObject, isRegion, needFor, type Need } from './cognitoConfig'
import { jwtClaims } from './jwt'
import { memoizeIdentity } from './identityCache'
import { wrapFailures } from './providerError'

// As the Cognito Identity API documents it: `<region>:<uuid>`.
const IDENTITY_ID = /^[\w-]+:[0-9a-f-]+$/

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
  /** Keeps a guest's identity id (default: in memory) under Amplify's key, so guests survive a move from Amplify. */
  readonly storage?: KeyValueStorage | undefined
  /** Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch | undefined
  /** Time source when called on its own; a client hands over its own skew-corrected clock, which wins. */
  readonly clock?: Clock | undefined
  /** Limit of each call to Cognito (default 10 000 ms). */
  readonly timeoutMs?: number | undefined
}

/** Temporary credentials of an identity-pool identity. */
export interface CognitoIdentityCredentials extends AwsCredentialIdentity {
  readonly identityId: string
  readonly expiration: Date
  /** A signed-in user's (the pool's authenticated role), not a guest's. */
  readonly authenticated: boolean
}

// At run time also a session provider (`keepsSession`): it caches by itself, so a client asks it on
// every request, with its skew-corrected clock.
/** An `AwsCredentialIdentityProvider` over a Cognito identity pool; usable as `credentials`. */
export type CognitoIdentityPoolProvider = (options?: ResolveIdentityOptions) => Promise<CognitoIdentityCredentials>

/** An answer's JSON object. */
type Answer = Record<string, unknown>

/** One principal (the guest, or one signed-in user), with its own identity id and memoized credentials. */
type Principal = (
  resolve: SessionResolveOptions,
  logins: CognitoLogins | undefined,
) => Promise<CognitoIdentityCredentials>

/**
 * Credentials from a Cognito identity pool: a guest's without `logins`, a signed-in user's with them;
 * shared, reused until 5 minutes before they expire, never across a change of `logins`. See the README.
 *
 * @example createClient({ endpoint, authMode: 'iam', credentials: fromCognitoIdentityPool({ identityPoolId }) })
 */
export function fromCognitoIdentityPool(options: CognitoIdentityPoolOptions): CognitoIdentityPoolProvider {
  const need: Need = needFor('fromCognitoIdentityPool')
  const {
    identityPoolId,
    region: regionOption,
    endpoint: endpointUrl,
    logins: source,
    storage,
    fetch = defaultFetch,
    clock: ownClock = systemClock,
    timeoutMs = 10_000,
  } = isObject(options) ? options : ({} as CognitoIdentityPoolOptions)
  need(isIdentityId(identityPoolId), 'pass `identityPoolId`, e.g. "us-east-1:1a2b3c4d-…".')
  const region = regionOption ?? identityPoolId.split(':')[0]
  need(
    isRegion(region),
    '`region` (else the `identityPoolId` prefix) must be an AWS region: pass `region`, e.g. "us-east-1".',
  )
  const endpoint = endpointOption(endpointUrl, need) ?? cognitoUrl('cognito-identity', region)
  need(isDuration(timeoutMs, 0) && timeoutMs > 0, '`timeoutMs` (> 0) must be milliseconds.')
  const checkLogins: (logins: unknown) => asserts logins is CognitoLogins | null | undefined = (logins) => {
    need(
      logins == null ||
        (isObject(logins) &&
          !Array.isArray(logins) &&
          Object.entries(logins).every(([name, token]) => name && typeof token === 'string' && token)),
      '`logins` must be { "cognito-idp.<region>.amazonaws.com/<userPoolId>": idToken } or a function returning that.',
    )
  }
  if (typeof source !== 'function') checkLogins(source)
  const storageKey = `com.amplify.Cognito.${identityPoolId}.identityId`
  // For expiry: the clock of the latest call (a client's, corrected by the offset it learned from
  // AppSync), else `clock`.
  let clock = ownClock

  // Storage failures (a full or disabled store) cost a GetId, never the request.
  const readId = async (): Promise<string | undefined> => {
    try {
      const value = await storage?.getItem(storageKey)
      return isIdentityId(value) ? value : undefined
    } catch {
      return undefined
    }
  }
  const storeId = async (id?: string): Promise<void> => {
    try {
      await (id ? storage?.setItem(storageKey, id) : storage?.removeItem(storageKey))
    } catch {
      // Kept in memory only.
    }
  }

  const principal = (guest: boolean): Principal => {
    let identityId: string | undefined
    // The logins of the latest call: a refreshed ID token of the same user is used for the next fetch.
    let latest: CognitoLogins | undefined

    const remember = async (id: string): Promise<void> => {
      identityId = id
      // Only the current guest's id is persisted; a signed-in user's GetId drops the device's guest
      // id, as Amplify does.
      if (current === self) await storeId(guest ? id : undefined)
    }

    const fetchCredentials = async (): Promise<CognitoIdentityCredentials> => {
      const logins = latest
      // The answer's body; undefined for an identity id Cognito no longer accepts, when `tolerate`.
      const call = async (operation: string, body: object, tolerate?: boolean): Promise<Answer | undefined> => {
        const result = await callAwsJson(
          endpoint,
          `AWSCognitoIdentityService.${operation}`,
          { ...body, ...(logins && { Logins: logins }) },
          { fetch, timeoutMs, secrets: logins && Object.values(logins) },
        )
        if (result.ok) return (result.body ?? {}) as Answer
        if (!tolerate || !isUnknownIdentity(result)) throw failure(operation, result, guest)
        return undefined
      }
      const getId = async (): Promise<string> => {
        const { IdentityId: id } = (await call('GetId', { IdentityPoolId: identityPoolId })) ?? {}
        if (!isIdentityId(id)) throw failure('GetId', { detail: 'the answer has no usable IdentityId' }, guest)
        await remember(id)
        return id
      }
      let id = identityId ?? (guest ? await readId() : undefined)
      const known = id !== undefined
      id ??= await getId()
      let body = await call('GetCredentialsForIdentity', { IdentityId: id }, known)
      if (!body) {
        // Deleted, or no longer this principal's: drop it and get a new one, once.
        identityId = undefined
        if (guest && (await readId()) === id) await storeId()
        id = await getId()
        body = await call('GetCredentialsForIdentity', { IdentityId: id })
      }
      const credentials = parseCredentials(body, id, !guest)
      if (!credentials) {
        throw failure('GetCredentialsForIdentity', { detail: 'the answer has no usable Credentials' }, guest)
      }
      if (credentials.identityId !== id) await remember(credentials.identityId)
      return credentials
    }

    // The identity cache: one GetId/GetCredentialsForIdentity for every caller waiting, reused until
    // 5 minutes (at most half the lifetime) before Expiration; a failed early refresh keeps the
    // still-valid credentials and is tried again after a pause.
    const memoized = memoizeIdentity(fetchCredentials, {
      clock: { now: () => clock.now() },
      refreshWindowMs: 300_000, // 5 minutes
      expiration: (credentials) => credentials.expiration,
    })
    const self: Principal = (resolve, logins) => {
      latest = logins
      // After a rejection: new credentials, unless another caller already replaced the rejected ones.
      return resolve.rejected
        ? memoized.refreshAfterRejection(resolve.rejected as CognitoIdentityCredentials, resolve.signal)
        : memoized(resolve)
    }
    return self
  }

  // The guest until logins say otherwise; `currentKey` is who `current` stands for (principalKey).
  let currentKey = ''
  let current = principal(true)
  const provider = async (opts: SessionResolveOptions = {}): Promise<CognitoIdentityCredentials> => {
    clock = opts.clock ?? ownClock
    let logins: unknown = source
    if (typeof source === 'function') {
      // NoIdentityError and friends pass through (a mode list then skips iam); anything else is
      // named by its type only and not kept as `cause`, as its message may quote a token.
      logins = await wrapFailures(
        async () => source(),
        (name) =>
          new CredentialsError(`iam: the \`logins\` function failed (${name}).`, {
            recoverySuggestion: 'The user may need to sign in again.',
          }),
      )()
      checkLogins(logins)
    }
    // `{}` is a guest too.
    const given = logins && Object.keys(logins).length ? (logins as CognitoLogins) : undefined
    const key = principalKey(given)
    // Another principal: nothing of the previous one is kept.
    if (currentKey !== key) {
      currentKey = key
      current = principal(!given)
    }
    return current(opts, given)
  }
  // Asked by the iam mode on every request: its answer follows sign-in and sign-out.
  return Object.assign(provider, { keepsSession: true as const })
}

function isIdentityId(value: unknown): value is string {
  return typeof value === 'string' && IDENTITY_ID.test(value)
}

/** Who the logins stand for: the user (`sub` of a JWT), not the token, so a refreshed token is the same principal. */
function principalKey(logins: CognitoLogins | undefined): string {
  return Object.entries(logins ?? {})
    .map(([name, token]) => {
      const sub = jwtClaims(token)?.['sub']
      return `${name}\n${typeof sub === 'string' && sub ? `sub:${sub}` : `token:${token}`}`
    })
    .sort()
    .join('\n')
}

/** A cached identity id Cognito no longer accepts (deleted, or now another principal's). */
function isUnknownIdentity({ type, detail }: AwsJsonFailure): boolean {
  return (
    type === 'ResourceNotFoundException' ||
    (type === 'NotAuthorizedException' && /Access to Identity .* is forbidden/i.test(detail))
  )
}

/** A failed call, or an answer without what it should hold (then most likely not Cognito's: see `endpoint`). */
function failure(
  operation: string,
  { type, detail, transient, cause }: Partial<AwsJsonFailure>,
  guest: boolean,
): CredentialsError {
  return new CredentialsError(`iam: Cognito identity pool ${operation} failed: ${detail}.`, {
    cause,
    recoverySuggestion: transient
      ? 'A temporary failure: retry later.'
      : type === 'ResourceNotFoundException'
        ? 'Check `identityPoolId` and `region`.'
        : type !== 'NotAuthorizedException'
          ? 'Check the identity pool and `endpoint`.'
          : guest
            ? 'Allow unauthenticated (guest) identities on the pool, or sign the user in.'
            : 'The user must sign in again; check the `logins` key.',
  })
}

/** The credentials in GetCredentialsForIdentity's answer; undefined when they are not usable. */
function parseCredentials(
  body: Answer | undefined,
  identityId: string,
  authenticated: boolean,
): CognitoIdentityCredentials | undefined {
  const { IdentityId: returnedId, Credentials: c } = body ?? {}
  const {
    AccessKeyId: accessKeyId,
    SecretKey: secretAccessKey,
    SessionToken: sessionToken,
    Expiration: seconds,
  } = (c ?? {}) as Record<string, unknown>
  // `Expiration` is a timestamp in epoch seconds on the wire.
  const expiration = new Date(
    typeof seconds === 'number' || (typeof seconds === 'string' && seconds) ? +seconds * 1000 : NaN,
  )
  if (
    accessKeyId &&
    typeof accessKeyId === 'string' &&
    secretAccessKey &&
    typeof secretAccessKey === 'string' &&
    (sessionToken === undefined || typeof sessionToken === 'string') &&
    !isNaN(+expiration)
  ) {
    return {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken === undefined ? {} : { sessionToken }),
      expiration,
      identityId: isIdentityId(returnedId) ? returnedId : identityId,
      authenticated,
    }
  }
  return undefined
}
