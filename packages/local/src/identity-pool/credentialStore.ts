import { randomBytes } from 'node:crypto'
import type { Clock } from '@authmode/core'
import type { CredentialStore, IamPrincipal, IssuedCredentials } from './types'

export interface CredentialStoreOptions {
  /** Decides expiry (default: the system clock). */
  readonly clock?: Clock | undefined
}

// Issued credentials stay known this long after they expire, so a verifier can tell "expired" from
// "unknown"; older ones are dropped, so a long-running endpoint does not grow without bound.
const KEEP_EXPIRED_MS = 60 * 60 * 1000
const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/**
 * Every AWS credential a local endpoint knows: temporary ones it issues (as STS would, access key
 * id `ASIA…`, with an expiry) and backend ones it is told about.
 *
 * @example
 * ```ts
 * const store = createCredentialStore()
 * const issued = store.issue({ kind: 'guest', identityPoolId, identityId }, 3600)
 * store.lookup(issued.accessKeyId)?.principal // { kind: 'guest', … }
 * ```
 */
export function createCredentialStore(options: CredentialStoreOptions = {}): CredentialStore {
  const clock = options.clock ?? { now: () => Date.now() }
  const known = new Map<string, IssuedCredentials>()

  const prune = (): void => {
    const horizon = clock.now() - KEEP_EXPIRED_MS
    for (const [keyId, credentials] of known) {
      if (credentials.expiration !== undefined && credentials.expiration.getTime() < horizon) known.delete(keyId)
    }
  }

  return {
    issue(principal: IamPrincipal, lifetimeSeconds: number): IssuedCredentials {
      if (!Number.isFinite(lifetimeSeconds) || lifetimeSeconds <= 0) {
        throw new RangeError('issue: lifetimeSeconds must be a number of seconds > 0.')
      }
      prune()
      let accessKeyId = newAccessKeyId()
      while (known.has(accessKeyId)) accessKeyId = newAccessKeyId()
      const issued: IssuedCredentials = {
        accessKeyId,
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(96).toString('base64'),
        expiration: new Date(clock.now() + lifetimeSeconds * 1000),
        principal,
      }
      known.set(accessKeyId, issued)
      return issued
    },
    addBackend(name, credentials) {
      if (typeof credentials.accessKeyId !== 'string' || credentials.accessKeyId === '') {
        throw new TypeError(`addBackend(${JSON.stringify(name)}): accessKeyId is required.`)
      }
      if (typeof credentials.secretAccessKey !== 'string' || credentials.secretAccessKey === '') {
        throw new TypeError(`addBackend(${JSON.stringify(name)}): secretAccessKey is required.`)
      }
      const issued: IssuedCredentials = {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: credentials.expiration,
        principal: { kind: 'backend', name },
      }
      known.set(issued.accessKeyId, issued)
      return issued
    },
    lookup: (accessKeyId) => known.get(accessKeyId),
  }
}

/** `ASIA` and 16 base32 characters, like the temporary access key ids STS and Cognito hand out. */
function newAccessKeyId(): string {
  let id = 'ASIA'
  for (const byte of randomBytes(16)) id += KEY_ID_ALPHABET[byte % 32] ?? 'A'
  return id
}
