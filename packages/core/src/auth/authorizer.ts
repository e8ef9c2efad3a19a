import type { ResolvedConfig } from '../client/config'
import { NoAuthModeAvailableError, type SkippedMode } from '../errors/NoAuthModeAvailableError'
import { checkCredentialHeaders } from '../internal/headers'
import type { GraphQLResponseBody } from '../graphql/response'
import type { Auto } from '../auto/autoMode'
import { ConfigurationError } from '../errors/ConfigurationError'
import { prepareDocument, TOKEN, type OperationType } from '../graphql/document'
import { jwtClaims } from '../identity/jwt'
import { withToken } from './token'
import type { AuthMode, AuthStrategy, HttpRequest, SigningScope } from './types'

/**
 * What a transport got back for an authorized request (HTTP) or message (a real-time connect or
 * `start`), in the terms the authorizer judges it by.
 */
export interface Answer {
  /** The HTTP status; undefined for a WebSocket message. */
  readonly status?: number | undefined
  /** The GraphQL body, when there is one. */
  readonly body: GraphQLResponseBody | undefined
  /** The raw text, for the messages a mode can mend (a signature-time rejection). */
  readonly text: string | undefined
  /** The HTTP response's headers (`Date`, `x-amzn-errortype`); none on a WebSocket. */
  readonly headers?: Headers | undefined
}

/**
 * How the authorizer reads an answer, for both transports:
 * - `unauthorized`: the request's credentials were refused (HTTP 401, or AppSync's
 *   `UnauthorizedException` without data: on a 200/400/403, a real-time `connection_error` or a
 *   `start` error; and what the mode itself recognises, `AuthStrategy.refused`): refresh that
 *   mode's identity and resend once, then try the next mode;
 * - `fieldDenied`: a field-level denial (`errorType: "Unauthorized"`): the next mode is tried when
 *   the caller allows it (queries: nothing ran), else the answer stands;
 * - undefined: anything else stands as it is (data, validation or resolver errors, 5xx).
 */
export function classifyAnswer({ status, body }: Answer): 'unauthorized' | 'fieldDenied' | undefined {
  const errors = body?.errors ?? []
  if (
    status === 401 ||
    ([undefined, 200, 400, 403].includes(status) &&
      body?.data == null &&
      errors.some((e) => e.errorType === 'UnauthorizedException'))
  )
    return 'unauthorized'
  return errors.some((e) => e.errorType === 'Unauthorized') ? 'fieldDenied' : undefined
}

/** A request with one mode's credentials. */
export interface Authorized {
  readonly mode: AuthMode
  readonly request: HttpRequest
}

/** The modes of one call: an ordered list, or `auto` (chosen per operation, see auto/autoMode.ts). */
export type ModeChoice = readonly AuthMode[] | 'auto'

/** What `auto` reads of a call: the GraphQL operation, else `key` to learn by. */
export interface Operation {
  readonly query?: string | undefined
  readonly operationName?: string | undefined
  readonly operationType?: OperationType | undefined
  /** `createAuthFetch`: method and URL, to learn by when the body is no GraphQL request. */
  readonly key?: string | undefined
  /** `createAuthFetch`: the body, which may be a GraphQL request (`{ "query": … }`). */
  readonly body?: string | Uint8Array | undefined
}

/** How `auto` takes part in one authorization (auto/autoMode.ts; a chunk of its own). */
export interface ModePlan {
  /** The candidates, in order. */
  readonly modes: readonly AuthMode[]
  /** Undefined when `mode` may go with `identity` (undefined: it has none now), else why not. */
  admit(mode: AuthMode, identity: unknown): string | undefined
  /** The API refused `mode` with `identity` (after its refresh), for this call's operation. */
  refused(mode: AuthMode, identity: unknown): void
}

// `auto` lives in a chunk of its own, loaded on its first use: apps that never use it do not hold
// it. What it uses of the rest of the client is handed over, not imported, so that no chunk is
// shared with it (apps load one file at start). A failed load is tried again on the next call.
let autoChunk: Promise<Auto> | undefined
export const autoModule = (): Promise<Auto> =>
  (autoChunk ??= import('../auto/autoMode').then(
    ({ createAuto }) => createAuto({ jwtClaims, prepareDocument, token: TOKEN, ConfigurationError }),
    (error: unknown) => {
      autoChunk = undefined
      throw error
    },
  ))

export interface AuthorizationOptions {
  readonly signal?: AbortSignal | undefined
  /**
   * The modes skipped so far (what `NoAuthModeAvailableError` lists): the attempts of one call
   * share it, so each skip is announced once per call.
   */
  readonly reasons?: SkippedMode[] | undefined
  /** Try the next mode after a field-level denial (queries only: nothing ran twice). */
  readonly nextOnFieldDenial?: boolean | undefined
  /** SigV4's service and region for `createAuthFetch` calls (see `AuthContext`). */
  readonly signing?: SigningScope | undefined
  /** The call's operation, which `auto` chooses by. */
  readonly operation?: Operation | undefined
  /** The call's own token (`authToken`, checked by `callToken`) for its one token mode. */
  readonly token?: string | undefined
}

/**
 * The one mode loop, for `client.request`, `createAuthFetch` and the real-time connection and
 * starts alike: the transport asks `authorize` for the request with one mode's credentials, sends
 * it, and hands what came back to `judge`, until an answer stands. It owns the mode order, the skip
 * reasons, one refresh after a rejection and one fix by the mode itself (SigV4: the clock) per
 * mode, the field-level denial rule, and the events about them. `TAnswer` is whatever the
 * transport keeps of an answer (an HTTP exchange, a real-time error).
 */
export interface Authorization<TAnswer> {
  /**
   * The answer to settle for once no mode is left: a field-level denial, else the last rejection
   * that outlived its refresh. Set only when `authorize` returned undefined.
   */
  readonly kept: TAnswer | undefined
  /**
   * `request` with the credentials of the current mode (its identity refreshed after a rejection),
   * or of the next usable one. Undefined when no mode is left but an answer was kept (`kept`).
   *
   * @throws {NoAuthModeAvailableError} when no mode could be used at all, with each one's reason.
   * @throws whatever an identity provider threw that does not let the next mode be tried.
   */
  authorize(request: HttpRequest): Promise<Authorized | undefined>
  /**
   * Judges the answer to the last `authorize`: true when it stands (the transport returns it, or
   * fails with it); false when the transport should `authorize` and send again, because the mode
   * mended what was wrong, its identity will be refreshed, or the next mode is up.
   */
  judge(kept: TAnswer, answer: Answer): boolean
}

/** A new authorization of one request, connect or `start` over `choice`: its modes in order, or `auto`. */
export function startAuthorization<TAnswer>(
  config: ResolvedConfig,
  choice: ModeChoice,
  { signal, reasons = [], nextOnFieldDenial, signing, operation = {}, token }: AuthorizationOptions = {},
): Authorization<TAnswer> {
  // One object for every call of the strategy (its identity options and its authorize context).
  const context = { clock: config.clock, signal, signing }
  let index = -1
  let modes = choice === 'auto' ? undefined : choice
  let plan: ModePlan | undefined
  // The current mode, its strategy (unset once the mode is done with) and identity, and what is owed
  // or spent of its one refresh and one mend.
  let mode: AuthMode | undefined
  let strategy: AuthStrategy | undefined
  let identity: unknown
  let refresh: boolean | undefined
  let refreshed: boolean | undefined
  let mended: boolean | undefined
  // `kept` is a field-level denial.
  let denied: boolean | undefined

  const optionOf = (current: AuthMode): string => config.definitions.get(current)?.option ?? current
  /**
   * Skips the current mode, for `reason`; announced once per mode and call (`authModeSkipped`).
   * Without a reason: it has no strategy (not configured).
   */
  const skip = (current: AuthMode, reason = `\`${optionOf(current)}\` is not configured`): void => {
    strategy = undefined
    if (!reasons.some((skipped) => skipped.mode === current)) {
      reasons.push({ mode: current, reason })
      config.events.emit('authModeSkipped', { mode: current, reason })
    }
  }

  const self: { -readonly [K in keyof Authorization<TAnswer>]: Authorization<TAnswer>[K] } = {
    kept: undefined,
    async authorize(request) {
      // A call's own token: no provider asked, and no refresh (`strategy` stays unset: the answer stands).
      if (token && (mode = modes?.[0])) return { mode, request: withToken(request, token) }
      modes ??= (plan = (await autoModule()).plan(config, operation, reasons)).modes
      for (const list = modes; ;) {
        if (!strategy || !mode) {
          if (!(mode = list[++index])) {
            if (self.kept === undefined) throw new NoAuthModeAvailableError(reasons)
            return undefined
          }
          identity = refresh = refreshed = mended = undefined
          if (!(strategy = config.strategies.get(mode))) skip(mode)
          continue
        }
        try {
          identity = refresh
            ? // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- owed only by a strategy that has it
              ((refresh = false), await strategy.refreshAfterRejection!(identity, signal))
            : (identity ?? (await strategy.resolveIdentity(context)))
        } catch (error) {
          // Only a failure that lets the next mode be tried (no identity now) skips; any other is thrown.
          if ((error as { tryNext?: unknown } | null)?.tryNext !== true || !(error instanceof Error)) throw error
          plan?.admit(mode, undefined)
          skip(mode, error.message)
          continue
        }
        const refusal = plan?.admit(mode, identity)
        if (refusal) {
          skip(mode, refusal)
          continue
        }
        const authorized = await strategy.authorize(request, identity, context)
        checkCredentialHeaders(authorized.headers, optionOf(mode))
        return { mode, request: authorized }
      }
    },
    judge(kept, answer) {
      if (!strategy || !mode) return true
      if (!mended && strategy.mend?.(answer)) return !(mended = true)
      const rejection = strategy.refused?.(answer) ? 'unauthorized' : classifyAnswer(answer)
      if (rejection === 'unauthorized') {
        // A static credential is not resent: a refresh cannot change it (issue 19).
        if (!refreshed && strategy.refreshAfterRejection) {
          refresh = refreshed = true
          config.events.emit('unauthorizedRetry', { mode, status: answer.status ?? 401 })
          return false
        }
        // A field-level denial kept earlier says more than a rejection: nothing of it ran.
        if (!denied) self.kept = kept
      } else if (rejection === 'fieldDenied' && nextOnFieldDenial && modes?.[index + 1]) {
        self.kept = kept
        denied = true
      } else return true
      plan?.refused(mode, identity)
      strategy = undefined
      return false
    },
  }
  return self
}
