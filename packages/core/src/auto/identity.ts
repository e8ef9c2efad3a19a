import type { AuthMode } from '../auth/types'
import type { jwtClaims } from '../identity/jwt'

/** Who an IAM identity is, for `@auth` rules: an identity pool's guest or signed-in user, or a backend's role. */
export type Principal = 'guest' | 'authenticated' | 'backend'

/** What `auto` knows of one mode's identity. */
export interface Facts {
  /**
   * Who it stands for: the same for a refreshed token or rotated credentials of the same user,
   * different for another user, a sign-in or a sign-out ('' for no identity). Compared in memory
   * only, never shown: an opaque token (a Lambda authorizer's) is its own key.
   */
  readonly key: string
  /** For messages: `alice`, `a guest`, `backend credentials`, … */
  readonly who: string
  /** A JWT's claims (groups). */
  readonly claims?: Readonly<Record<string, unknown>> | undefined
  readonly principal?: Principal | undefined
}

const ABSENT: Facts = { key: '', who: 'no identity' }
// Identities of unknown shape (a mode of the user's own): told apart by object.
const objects = new WeakMap<object, number>()
let counted = 0

/** The facts of `identity` of `mode` (undefined: it has none now). Tokens are read, never kept. */
export function factsOf(mode: AuthMode, identity: unknown, claimsOf: typeof jwtClaims): Facts {
  if (identity === undefined) return ABSENT
  const value = identity as { token?: unknown; accessKeyId?: unknown; identityId?: unknown; authenticated?: unknown }
  if (typeof value.token === 'string') {
    const claims = claimsOf(value.token)
    if (!claims) return { key: `token ${value.token}`, who: `a ${mode} token` }
    const name = claims['cognito:username'] ?? claims['username'] ?? claims['email'] ?? claims['sub']
    const groups = claims['cognito:groups']
    return {
      key: JSON.stringify([claims['iss'], claims['sub'] ?? name, groups]),
      who: typeof name === 'string' ? name : `a ${mode} token`,
      claims,
    }
  }
  if (mode === 'iam' && typeof value.accessKeyId === 'string') {
    const principal: Principal =
      value.authenticated === true ? 'authenticated' : value.authenticated === false ? 'guest' : 'backend'
    // An identity pool's identity is its id (its credentials rotate); a backend's, its key id.
    const id = typeof value.identityId === 'string' ? value.identityId : value.accessKeyId
    return {
      key: `${principal} ${id}`,
      who: principal === 'backend' ? 'backend credentials' : principal === 'guest' ? 'a guest' : 'a signed-in identity',
      principal,
    }
  }
  if (mode === 'apiKey' || mode === 'none') return { key: mode, who: mode === 'apiKey' ? 'the API key' : 'nobody' }
  let id = objects.get(identity as object)
  if (id === undefined) objects.set(identity as object, (id = ++counted))
  return { key: `object ${id}`, who: `a ${mode} identity` }
}
