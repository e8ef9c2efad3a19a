import type { IamPrincipal } from '../identity-pool/types'

/**
 * The authorization modes the local endpoint verifies (AppSync's API_KEY, user pools, OIDC,
 * AWS_IAM, AWS_LAMBDA).
 */
export type LocalAuthMode = 'apiKey' | 'userPool' | 'oidc' | 'iam' | 'lambda'

/** Claims of a verified JWT. */
export type Claims = Readonly<Record<string, unknown>>

/**
 * Who made a request, after its credentials were verified. Resolvers (see `resolvers` of
 * `startLocalAppSync`) receive it as `context.caller`.
 */
export type Caller =
  | { readonly mode: 'apiKey'; readonly apiKeyId: string }
  | {
      readonly mode: 'userPool' | 'oidc'
      readonly issuer: string
      readonly claims: Claims
      /** `sub`, when the token has one. */
      readonly sub: string | undefined
      /** `cognito:username` (ID tokens) or `username` (access tokens). */
      readonly username: string | undefined
    }
  | { readonly mode: 'iam'; readonly accessKeyId: string; readonly principal: IamPrincipal }
  | {
      readonly mode: 'lambda'
      /** What the Lambda authorizer returned as `resolverContext` (`{}` when nothing). */
      readonly resolverContext: Readonly<Record<string, unknown>>
      /**
       * Its `deniedFields`, each as `Type.field` (a field ARN is read to that): such fields answer
       * null, with an `Unauthorized` error.
       */
      readonly deniedFields: ReadonlySet<string>
    }

/** The username of a token caller, as Amplify reads it: `cognito:username`, else `username`. */
export function usernameOf(claims: Claims): string | undefined {
  const value = claims['cognito:username'] ?? claims['username']
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Groups from a claim: an array, a JSON array string, or a comma/space-separated string (OIDC providers vary). */
export function groupsFromClaim(claims: Claims, claim: string): readonly string[] {
  const value = claims[claim]
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string')
  if (typeof value !== 'string' || value === '') return []
  if (value.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value)
      if (Array.isArray(parsed)) return parsed.filter((g): g is string => typeof g === 'string')
    } catch {
      // Not JSON: split below.
    }
  }
  return value.split(/[\s,]+/).filter((g) => g !== '')
}

/** Who a caller is, for log lines: the mode and a name, never a credential. */
export function describeCaller(caller: Caller): string {
  switch (caller.mode) {
    case 'apiKey':
      return 'apiKey'
    case 'userPool':
    case 'oidc':
      return `${caller.mode} ${caller.username ?? caller.sub ?? '?'}`
    case 'iam':
      return `iam ${caller.principal.kind === 'backend' ? `backend ${caller.principal.name}` : caller.principal.kind}`
    case 'lambda':
      return 'lambda'
  }
}
