import { http, HttpResponse } from 'msw'
import type { Clock } from '../../src/index'
import { server } from './server'

/** One call as it reached the (mock) identity pool endpoint. */
export interface IdentityCall {
  readonly url: string
  /** `GetId`, `GetCredentialsForIdentity`, … (the `x-amz-target` after the service name). */
  readonly operation: string
  readonly target: string | null
  readonly contentType: string | null
  readonly hasAuthorization: boolean
  readonly body: Record<string, unknown>
}

export interface IdentityPoolMock {
  readonly calls: IdentityCall[]
  count(operation: 'GetId' | 'GetCredentialsForIdentity'): number
  /** Forgets an identity, as DeleteIdentities does. */
  deleteIdentity(identityId: string): void
  /** Answers the next call of `operation` with `response` instead. */
  failNext(operation: 'GetId' | 'GetCredentialsForIdentity', response: () => Response): void
  /** Every secret issued so far (to check that none leaks). */
  readonly secrets: string[]
}

export interface IdentityPoolMockOptions {
  readonly clock: Clock
  readonly endpoint?: string
  readonly identityPoolId?: string
  readonly lifetimeMs?: number
  readonly allowGuests?: boolean
  /** How long each answer takes, so concurrent callers really overlap. */
  readonly delayMs?: number
}

export const POOL_ID = 'us-east-1:0f3c1e2a-5b6d-4e7f-8a9b-0c1d2e3f4a5b'
export const IDENTITY_ENDPOINT = 'https://cognito-identity.us-east-1.amazonaws.com/'
export const USER_POOL_PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1'

/** An unsigned JWT-shaped ID token for `sub` (the mock reads `sub`; it verifies nothing). */
export function fakeIdToken(sub: string, version = 1): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'none', kid: 'test' })}.${part({ sub, token_use: 'id', v: version })}.c2lnbmF0dXJl${String(version)}`
}

function subOf(token: string): string {
  const payload = token.split('.')[1] ?? ''
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string }).sub
}

function awsError(type: string, message: string, status = 400): Response {
  return HttpResponse.json({ __type: type, message }, { status, headers: { 'x-amzn-errortype': type } })
}

/**
 * Plays Cognito Identity (AWS JSON 1.1): guests and user-pool logins, identities that can be
 * deleted, credentials valid `lifetimeMs` from the clock's now, and scripted failures.
 */
export function mockIdentityPool(options: IdentityPoolMockOptions): IdentityPoolMock {
  const endpoint = options.endpoint ?? IDENTITY_ENDPOINT
  const poolId = options.identityPoolId ?? POOL_ID
  const region = poolId.split(':')[0] ?? ''
  const lifetimeMs = options.lifetimeMs ?? 60 * 60_000
  const calls: IdentityCall[] = []
  const secrets: string[] = []
  /** identity id → the login (provider + sub) it belongs to, or '' for a guest. */
  const identities = new Map<string, string>()
  const failures = new Map<string, (() => Response)[]>()
  let issued = 0

  const loginKey = (logins: unknown): string | undefined => {
    if (logins === undefined) return ''
    const entries = Object.entries(logins as Record<string, string>)
    const [provider, token] = entries[0] ?? []
    if (entries.length !== 1 || provider !== USER_POOL_PROVIDER || token === undefined) return undefined
    return `${provider}/${subOf(token)}`
  }

  server.use(
    http.post(endpoint, async ({ request }) => {
      const target = request.headers.get('x-amz-target')
      const operation = target?.split('.').pop() ?? ''
      const body = (await request.json()) as Record<string, unknown>
      calls.push({
        url: request.url,
        operation,
        target,
        contentType: request.headers.get('content-type'),
        hasAuthorization: request.headers.has('authorization'),
        body,
      })
      if (options.delayMs !== 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5))
      const scripted = failures.get(operation)?.shift()
      if (scripted) return scripted()

      const login = loginKey(body['Logins'])
      if (login === undefined) return awsError('NotAuthorizedException', 'Invalid login token.')
      if (operation === 'GetId') {
        if (body['IdentityPoolId'] !== poolId)
          return awsError('ResourceNotFoundException', `IdentityPool '${String(body['IdentityPoolId'])}' not found.`)
        if (login === '' && options.allowGuests === false) {
          return awsError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.')
        }
        const known = login === '' ? undefined : [...identities].find(([, owner]) => owner === login)?.[0]
        const id = known ?? `${region}:${crypto.randomUUID()}`
        identities.set(id, login)
        return HttpResponse.json({ IdentityId: id })
      }
      if (operation === 'GetCredentialsForIdentity') {
        const id = String(body['IdentityId'])
        const owner = identities.get(id)
        if (owner === undefined) return awsError('ResourceNotFoundException', `Identity '${id}' not found.`)
        if (owner !== login) return awsError('NotAuthorizedException', `Access to Identity '${id}' is forbidden.`)
        issued++
        const secretKey = `mock-secret-key-${String(issued)}-${crypto.randomUUID()}`
        const sessionToken = `mock-session-token-${String(issued)}-${crypto.randomUUID()}`
        secrets.push(secretKey, sessionToken)
        return HttpResponse.json({
          IdentityId: id,
          Credentials: {
            AccessKeyId: `ASIAMOCK${String(issued).padStart(12, '0')}`,
            SecretKey: secretKey,
            SessionToken: sessionToken,
            Expiration: (options.clock.now() + lifetimeMs) / 1000,
          },
        })
      }
      return awsError('UnknownOperationException', '')
    }),
  )

  return {
    calls,
    secrets,
    count: (operation) => calls.filter((call) => call.operation === operation).length,
    deleteIdentity: (identityId) => {
      identities.delete(identityId)
    },
    failNext: (operation, response) => {
      failures.set(operation, [...(failures.get(operation) ?? []), response])
    },
  }
}

export { awsError }
