// AppSync's AWS_LAMBDA mode: the `authorization` token goes to your authorizer function, in the
// event shape AppSync gives a Lambda authorizer, and its answer decides (`isAuthorized`), what
// resolvers see (`resolverContext`), which fields answer null (`deniedFields`) and how long the
// answer is kept for the same token (`ttlOverride`).
import { ConfigurationError, type Clock } from '@authmode/core'
import type { Caller } from './caller'
import { unauthorized, type Verified } from './rejection'

/**
 * What AppSync sends a Lambda authorizer (so the handler of a real authorizer function runs here
 * unchanged).
 */
export interface LambdaAuthorizerEvent {
  /** The request's `authorization` header as sent (no `Bearer ` prefix removed). */
  readonly authorizationToken: string
  readonly requestContext: {
    /** `local` here. */
    readonly apiId: string
    /** `000000000000` here. */
    readonly accountId: string
    readonly requestId: string
    /** The GraphQL document (empty for a real-time connection). */
    readonly queryString: string
    readonly operationName?: string
    readonly variables: Readonly<Record<string, unknown>>
  }
  /** The request's headers, names in lower case (a real-time request: its header object). */
  readonly requestHeaders: Readonly<Record<string, string>>
}

/** A Lambda authorizer's answer, as AppSync reads it. */
export interface LambdaAuthorizerResult {
  /** false: 401 `UnauthorizedException`, no resolver runs. */
  readonly isAuthorized: boolean
  /** What resolvers see (`context.caller.resolverContext` here; `$ctx.identity.resolverContext` on AppSync). */
  readonly resolverContext?: Readonly<Record<string, unknown>> | undefined
  /** Fields that answer null (with an `Unauthorized` error): `Type.field`, or the field's ARN. */
  readonly deniedFields?: readonly string[] | undefined
  /** Seconds this answer is reused for the same token (default 0: the authorizer runs for every request). */
  readonly ttlOverride?: number | undefined
}

/**
 * The `lambdaAuthorizer` option of `startLocalAppSync`: a Lambda authorizer's handler.
 *
 * @example
 * ```ts
 * const lambdaAuthorizer: LambdaAuthorizer = ({ authorizationToken }) => ({
 *   isAuthorized: authorizationToken.startsWith('custom-'),
 *   resolverContext: { tenant: 'acme' },
 *   deniedFields: ['Post.secret'],
 * })
 * ```
 */
export type LambdaAuthorizer = (
  event: LambdaAuthorizerEvent,
) => LambdaAuthorizerResult | Promise<LambdaAuthorizerResult>

export type LambdaCaller = Extract<Caller, { mode: 'lambda' }>

/** A request as the authorizer is told of it. */
export interface LambdaRequest {
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

// Kept answers: a bound, so a client sending many tokens cannot grow the map without end.
const MAX_KEPT = 1000
// A denied field ARN: arn:aws:appsync:<region>:<account>:apis/<apiId>/types/<Type>/fields/<field>.
const FIELD_ARN = /^arn:[^:]+:appsync:[^:]*:[^:]*:apis\/[^/]+\/types\/([^/]+)\/fields\/([^/]+)$/

/** Runs the Lambda authorizer for a token, keeping answers with a `ttlOverride` for that long. */
export class LambdaVerifier {
  readonly #authorize: LambdaAuthorizer
  readonly #clock: Clock
  readonly #kept = new Map<string, { readonly verified: Verified<LambdaCaller>; readonly until: number }>()
  #requests = 0

  constructor(authorize: LambdaAuthorizer, clock: Clock) {
    if (typeof authorize !== 'function') {
      throw new ConfigurationError(
        '`lambdaAuthorizer` must be a function: (event) => ({ isAuthorized, resolverContext?, deniedFields?, ttlOverride? }).',
      )
    }
    this.#authorize = authorize
    this.#clock = clock
  }

  async verify(token: string, request: LambdaRequest): Promise<Verified<LambdaCaller>> {
    const now = this.#clock.now()
    const kept = this.#kept.get(token)
    if (kept && kept.until > now) return kept.verified
    this.#kept.delete(token)
    let answer: unknown
    try {
      answer = await this.#authorize(event(token, request, ++this.#requests))
    } catch (error) {
      // The authorizer's own message, without the token should it quote it.
      const message = error instanceof Error ? error.message.split(token).join('[token]') : 'it threw'
      return unauthorized(`The Lambda authorizer failed: ${message}`)
    }
    const verified = read(answer)
    const ttl = (answer as { ttlOverride?: unknown } | null)?.ttlOverride
    if (typeof ttl === 'number' && ttl > 0) {
      if (this.#kept.size >= MAX_KEPT) this.#kept.delete(this.#kept.keys().next().value ?? '')
      this.#kept.set(token, { verified, until: now + ttl * 1000 })
    }
    return verified
  }
}

function event(token: string, request: LambdaRequest, count: number): LambdaAuthorizerEvent {
  let body: { query?: unknown; operationName?: unknown; variables?: unknown } = {}
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(request.body))
    if (typeof parsed === 'object' && parsed !== null) body = parsed
  } catch {
    // Not JSON: the authorizer sees an empty document; the endpoint answers the body's problem.
  }
  const variables = typeof body.variables === 'object' && body.variables !== null ? body.variables : {}
  return {
    authorizationToken: token,
    requestContext: {
      apiId: 'local',
      accountId: '000000000000',
      requestId: `local-${String(count)}`,
      queryString: typeof body.query === 'string' ? body.query : '',
      ...(typeof body.operationName === 'string' ? { operationName: body.operationName } : {}),
      variables: variables as Record<string, unknown>,
    },
    requestHeaders: { ...request.headers },
  }
}

// The answer comes from user code: every part is checked.
function read(answer: unknown): Verified<LambdaCaller> {
  const { isAuthorized, resolverContext, deniedFields } = (answer ?? {}) as Record<string, unknown>
  if (typeof isAuthorized !== 'boolean') {
    return unauthorized('The Lambda authorizer answered without a boolean isAuthorized.')
  }
  // AppSync's words for an authorizer's refusal.
  if (!isAuthorized) return unauthorized('You are not authorized to make this call.')
  const context = (typeof resolverContext === 'object' && resolverContext !== null ? resolverContext : {}) as Record<
    string,
    unknown
  >
  const denied = new Set<string>()
  for (const field of Array.isArray(deniedFields) ? (deniedFields as unknown[]) : []) {
    if (typeof field !== 'string') continue
    const arn = FIELD_ARN.exec(field)
    denied.add(arn ? `${arn[1] ?? ''}.${arn[2] ?? ''}` : field)
  }
  return { ok: true, value: { mode: 'lambda', resolverContext: context, deniedFields: denied } }
}
