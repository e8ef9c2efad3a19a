import type { Events } from '../client/events'
import { ConfigurationError } from '../errors/ConfigurationError'
import { isSessionEnded } from '../errors/TokenRefreshError'
import { wrapTokenProvider } from '../identity/providerError'
import type { Clock } from '../internal/clock'
import { identitySource, keepsSession, type Provider } from './identitySource'
import type { AuthModeDefinition } from './definition'
import type { HttpRequest } from './types'

/** How one header mode (apiKey, userPool, oidc, lambda) reads its identity. */
export interface HeaderModeSpec<TField extends string> {
  /** Also the client option, and the name used in messages. */
  readonly mode: 'apiKey' | 'userPool' | 'oidc' | 'lambda'
  readonly header: string
  /** The identity's field that holds the header value: `apiKey` or `token`. */
  readonly field: TField
  /** Refresh this long before expiry (memoized providers). */
  readonly refreshWindowMs: number
  /** What to say of a string option. */
  readonly what: string
  readonly expiration: (identity: HeaderIdentity<TField>, now?: number) => Date | undefined
  /** Called with the identity of every request, to report what changed; returns the identity. */
  readonly watch: (events: Events, clock: Clock) => (identity: HeaderIdentity<TField>) => HeaderIdentity<TField>
}

export type HeaderIdentity<TField extends string> = Readonly<Record<TField, string>> & {
  readonly expiration?: Date | undefined
}

/**
 * A mode that sends one header: the value of a string option, or of a provider's identity,
 * memoized (one fetch however many requests wait; refreshed ahead of expiry). A provider marked
 * `keepsSession` (fromCognitoUserPool) caches by itself and is asked on every request instead.
 */
export function headerMode<TField extends string>(spec: HeaderModeSpec<TField>): AuthModeDefinition {
  const { mode, field } = spec
  return {
    mode,
    option: mode,
    create(setup) {
      const { clock, events } = setup
      const source = setup.source as string | Provider<HeaderIdentity<TField>> | undefined
      if (source === undefined) return undefined
      if (typeof source === 'string' ? !source.trim() : typeof source !== 'function') {
        throw new ConfigurationError(`\`${mode}\` must be a non-empty ${spec.what} or a provider function.`)
      }
      let reported: unknown
      const provider = typeof source === 'string' ? undefined : wrapTokenProvider(mode, source)
      const call: Provider<HeaderIdentity<TField>> = !provider
        ? () => Promise.resolve({ [field]: source } as HeaderIdentity<TField>)
        : async (opts) => {
            try {
              return await provider(opts)
            } catch (error) {
              if (isSessionEnded(error) && error !== reported) {
                reported = error
                const reason = (error as { errorType?: unknown }).errorType
                events.emit('sessionExpired', { mode, reason: typeof reason === 'string' ? reason : 'session ended' })
              }
              throw error
            }
          }
      const resolve = identitySource(call, keepsSession(source), {
        clock,
        refreshWindowMs: spec.refreshWindowMs,
        expiration: spec.expiration,
        tokenOf: (identity) => identity[field],
      })
      const seen = spec.watch(events, clock)
      return {
        mode,
        resolveIdentity: async (opts) => seen(await resolve(opts)),
        // A string option has nothing to refresh (the authorizer then does not resend).
        refreshAfterRejection:
          provider &&
          (async (rejected, signal) =>
            seen(await resolve.refreshAfterRejection(rejected as HeaderIdentity<TField>, signal))),
        authorize: (request, identity) =>
          Promise.resolve(withHeader(request, spec.header, (identity as HeaderIdentity<TField>)[field])),
      }
    },
  }
}

/** `request` with one more header: the credential of a header mode. */
export function withHeader(request: HttpRequest, name: string, value: string): HttpRequest {
  // Not `{ ...headers, [name]: value }`: V8 adds a key to a spread copy through a slow path.
  return { ...request, headers: Object.assign({}, request.headers, { [name]: value }) }
}
