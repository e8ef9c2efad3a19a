import type { ModeChoice } from '../auth/authorizer'
import type { AuthModeDefinition } from '../auth/definition'
import { apiKeyMode } from '../auth/apiKey'
import { noneMode } from '../auth/none'
import { lambdaMode, oidcMode, userPoolMode } from '../auth/token'
import { AUTH_MODES, type AuthMode, type AuthStrategy, type AwsCredentialIdentityProvider } from '../auth/types'
import { ConfigurationError } from '../errors/ConfigurationError'
import { isDuration, parseEndpoint } from '../internal/checks'
import { SkewedClock, systemClock } from '../internal/clock'
import { CREDENTIAL_HEADERS, normalizeHeaders } from '../internal/headers'
import type { ReconnectOptions, WebSocketConstructor, WebSocketLoader } from '../realtime/types'
import { createEvents, type Events } from './events'
import type { ClientHooks, ClientOptions, ResolvedRetry, RetryOptions } from './options'

/** The modes every core client has; `iam` joins through `modes` (the environment packages add it). */
export const HEADER_MODES: readonly AuthModeDefinition[] = [apiKeyMode, userPoolMode, oidcMode, lambdaMode, noneMode]

export const DEFAULT_TIMEOUT_MS = 30_000
// AppSync caps a response at 5 MB (its service quotas): twice that leaves room for a proxy's or
// another server's envelope while still stopping a runaway body long before it costs much memory.
const DEFAULT_MAX_RESPONSE_BYTES = 10_485_760 // 10 MiB
export const DEFAULT_RETRY: ResolvedRetry = { limit: 2, mutations: false, baseDelayMs: 300, maxDelayMs: 5000 }
const DEFAULT_RECONNECT: ResolvedRetry = { limit: 5, mutations: false, baseDelayMs: 1000, maxDelayMs: 30_000 }

const REGISTER = 'use @authmode/browser or @authmode/node, or pass'

/**
 * What an environment package (`@authmode/browser`, `@authmode/node`) fills in where the user
 * left something out. Anything the user passes wins.
 */
export interface ClientDefaults {
  /** Registered before the user's `modes` (which win for the same mode). */
  readonly modes?: readonly AuthModeDefinition[] | undefined
  /** Under the user's `headers`. */
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly webSocket?: WebSocketConstructor | WebSocketLoader | undefined
  /**
   * Credentials for `iam` when the user gives none. They never decide the default mode (a client
   * configured with one other mode keeps it; one with no mode at all defaults to `iam`), and are
   * left out when the API's region is unknown and `iam` was not asked for, since SigV4 needs it.
   */
  readonly credentials?: AwsCredentialIdentityProvider | undefined
}

/** Subscriptions' settings, validated. */
export interface ResolvedRealtime {
  /** The legacy `?header=…&payload=e30=` form instead of the subprotocol. */
  readonly query: boolean
  /** Reconnection backoff; `limit` 0 for none. */
  readonly reconnect: ResolvedRetry
  /** Undefined in a runtime without one (subscribing then says to pass `webSocket`). */
  readonly webSocket: WebSocketConstructor | WebSocketLoader | undefined
  /** `realtimeEndpoint`: where the socket connects instead of the URL derived from the endpoint. */
  readonly url: URL | undefined
}

/** Everything a client needs, validated once at `createClient`: nothing keeps the options bag. */
export interface ResolvedConfig {
  readonly endpoint: URL
  readonly clock: SkewedClock
  readonly events: Events
  readonly fetch: typeof globalThis.fetch
  readonly headers: Readonly<Record<string, string>>
  /** The largest response body read (Infinity for no limit). */
  readonly maxResponseBytes: number
  /** Deadline of one `client.request` call (0 for none). */
  readonly timeoutMs: number
  /** Deadline of one `createAuthFetch` call: like `fetch`, none unless `timeoutMs` was given. */
  readonly fetchTimeoutMs: number
  readonly retry: ResolvedRetry | false
  readonly hooks: ClientHooks
  readonly defaultModes: ModeChoice
  /** The API's modes, its default first (`apiAuthModes`): what `auto` picks from; undefined: every configured mode. */
  readonly apiAuthModes: readonly AuthMode[] | undefined
  /** The model introspection schema whose `@auth` rules `auto` reads (checked on its first use). */
  readonly modelIntrospection: object | undefined
  /** Called when `auto` saw an identity change (sign-in, sign-out, another user): live subscriptions follow. */
  readonly identityWatchers: Set<() => void>
  readonly strategies: ReadonlyMap<AuthMode, AuthStrategy>
  readonly definitions: ReadonlyMap<AuthMode, AuthModeDefinition>
  readonly realtime: ResolvedRealtime
}

export function resolveConfig(options: ClientOptions, defaults: ClientDefaults = {}): ResolvedConfig {
  if (typeof options !== 'object' || !(options as unknown))
    fail('createClient needs an options object with `endpoint`.')
  const endpoint = parseEndpoint(options.endpoint, fail)
  const clock = new SkewedClock(options.clock ?? systemClock)
  const events = createEvents(options.logger === null ? undefined : (options.logger ?? { warn: console.warn }))

  const definitions = new Map<AuthMode, AuthModeDefinition>()
  for (const definition of [...HEADER_MODES, ...(defaults.modes ?? []), ...(options.modes ?? [])])
    definitions.set(definition.mode, definition)
  const strategies = new Map<AuthMode, AuthStrategy>()
  const create = (definition: AuthModeDefinition, source: unknown): void => {
    const strategy = definition.create({ source, region: options.region, endpoint, clock, events })
    if (strategy) strategies.set(definition.mode, strategy)
  }
  // `none` reads no option (its `option` names the one it is chosen by).
  for (const definition of definitions.values()) create(definition, options[definition.option])
  if (options.credentials !== undefined && !definitions.has('iam')) {
    fail(`\`credentials\` needs the iam mode: ${REGISTER} \`modes: [iamMode()]\`.`)
  }
  // Decided before the default credentials join, so that they never change it.
  const defaultModes = chooseDefaultModes(options, definitions, strategies, !!defaults.credentials)
  const iam = definitions.get('iam')
  if (iam && defaults.credentials && options.credentials === undefined)
    try {
      create(iam, defaults.credentials)
    } catch (error) {
      // SigV4 needs the API's region: without one, a client that did not ask for iam goes without.
      if (defaultModes.includes('iam') || options.region !== undefined) throw error
    }

  const headers = normalizeHeaders(defaults.headers, options.headers)
  for (const name of CREDENTIAL_HEADERS) {
    if (name in headers) fail(`\`headers\` may not set "${name}": credentials come from the auth modes.`)
  }
  const { auth, reconnect } = options.realtime ?? {}
  if (![undefined, 'subprotocol', 'query'].includes(auth)) fail('`realtime.auth` must be "subprotocol" or "query".')
  return {
    endpoint,
    clock,
    events,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    headers,
    maxResponseBytes:
      checkAmount(options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, 'maxResponseBytes') || Infinity,
    timeoutMs: checkAmount(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs'),
    fetchTimeoutMs: options.timeoutMs ?? 0,
    retry: mergeRetry(DEFAULT_RETRY, options.retry),
    hooks: options.hooks ?? {},
    defaultModes,
    apiAuthModes:
      options.apiAuthModes === undefined ? undefined : parseModes(options.apiAuthModes, undefined, 'apiAuthModes'),
    modelIntrospection: options.modelIntrospection,
    identityWatchers: new Set(),
    strategies,
    definitions,
    realtime: {
      query: auth === 'query',
      reconnect: mergeRetry(
        DEFAULT_RECONNECT,
        reconnect === false ? { attempts: 0 } : reconnect,
        'realtime.reconnect',
        100,
      ) as ResolvedRetry,
      webSocket:
        options.webSocket ?? defaults.webSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket,
      url:
        options.realtimeEndpoint === undefined
          ? undefined
          : parseEndpoint(options.realtimeEndpoint, fail, 'wss://api.example.com/graphql/realtime', 'realtimeEndpoint'),
    },
  }
}

function fail(message: string): never {
  throw new ConfigurationError(message)
}

/** The modes of one call: its `authMode` (validated against the registry), else the client's. */
export function modesOf(config: ResolvedConfig, authMode: unknown): ModeChoice {
  return authMode === undefined
    ? config.defaultModes
    : authMode === 'auto'
      ? authMode
      : parseModes(authMode, config.definitions, 'authMode')
}

/** A mode or list of modes, each known (and registered, given `definitions`). */
function parseModes(
  value: unknown,
  definitions: ReadonlyMap<AuthMode, AuthModeDefinition> | undefined,
  where: string,
): AuthMode[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value]
  if (!list.length) fail(`\`${where}\` is an empty list: name at least one mode.`)
  return list.map((mode) => {
    if (!AUTH_MODES.includes(mode as AuthMode)) {
      fail(`\`${where}\`: unknown auth mode ${JSON.stringify(mode)}; expected one of ${AUTH_MODES.join(', ')}.`)
    }
    if (definitions && !definitions.has(mode as AuthMode)) {
      fail(`\`${where}\`: the ${String(mode)} mode is not registered: ${REGISTER} it in \`modes\`.`)
    }
    return mode as AuthMode
  })
}

/**
 * `authMode`, else the one mode the user configured, else `iam` when the environment brings
 * credentials and the user configured no mode at all.
 */
function chooseDefaultModes(
  options: ClientOptions,
  definitions: ReadonlyMap<AuthMode, AuthModeDefinition>,
  strategies: ReadonlyMap<AuthMode, AuthStrategy>,
  defaultCredentials: boolean,
): ModeChoice {
  const configured = [...strategies.keys()].filter((mode) => mode !== 'none')
  if (options.authMode === 'auto' && (configured.length || defaultCredentials)) return 'auto'
  if (options.authMode !== undefined && options.authMode !== 'auto') {
    const modes = parseModes(options.authMode, definitions, 'authMode')
    if (!modes.some((mode) => strategies.has(mode) || (mode === 'iam' && defaultCredentials))) {
      const missing = modes.map((mode) => `\`${definitions.get(mode)?.option ?? mode}\``).join(' or ')
      fail(`authMode ${modes.join(', ')} needs ${missing}, which is not set.`)
    }
    return modes
  }
  if (configured.length === 1) return configured
  if (!configured.length && defaultCredentials) return ['iam']
  return fail(
    configured.length
      ? `Several auth modes are configured (${configured.join(', ')}): set \`authMode\` (one mode, an ordered list, or "auto").`
      : 'No auth mode is configured: set `apiKey`, `userPool`, `oidc`, `lambda` or `credentials` (or `authMode: "none"`).',
  )
}

/**
 * A duration (milliseconds: the `…Ms` options) or size (bytes: `maxResponseBytes`) option: finite,
 * ≥ 0 (0 for none, where a limit is meant). The option's name gives the unit.
 */
export function checkAmount(value: number, name: string): number {
  if (!isDuration(value)) fail(`\`${name}\` must be a number ≥ 0.`)
  return value
}

/**
 * A retry option (the client's, a call's, or the real-time reconnection's) merged over the
 * settings it refines, each value checked and named in messages under `where`: the count (`limit`,
 * or `attempts` for reconnection) a whole number up to `max`, the delays durations.
 */
export function mergeRetry(
  base: ResolvedRetry | false,
  override: RetryOptions | ReconnectOptions | false | undefined,
  where = 'retry',
  max = 10,
): ResolvedRetry | false {
  if (override === undefined) return base
  if (!override) return false
  const merged: Record<string, unknown> = { ...(base || { ...DEFAULT_RETRY, limit: 0 }) }
  for (const [key, value] of Object.entries(override)) {
    const name = `${where}.${key}`
    if (value === undefined) continue
    if (key === 'limit' || key === 'attempts') {
      if (!Number.isInteger(value) || value < 0 || value > max)
        fail(`\`${name}\` must be a whole number from 0 to ${max}.`)
      merged['limit'] = value
    } else merged[key] = key === 'mutations' ? value : checkAmount(value as number, name)
  }
  return merged as unknown as ResolvedRetry
}
