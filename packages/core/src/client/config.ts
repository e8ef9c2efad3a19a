import { apiKeyMode } from '../auth/apiKey'
import type { AuthModeDefinition } from '../auth/definition'
import { noneMode } from '../auth/none'
import { lambdaMode, oidcMode, userPoolMode } from '../auth/token'
import { AUTH_MODES, type AuthMode, type AuthStrategy } from '../auth/types'
import { ConfigurationError } from '../errors/ConfigurationError'
import { SkewedClock, systemClock } from '../internal/clock'
import { CREDENTIAL_HEADERS, normalizeHeaders } from '../internal/headers'
import { EventHub, type Logger } from './events'
import type { ClientHooks, ClientOptions, ResolvedRetry, RetryOptions } from './options'

/** The modes every core client has; `iam` joins through `modes` (the environment packages add it). */
export const HEADER_MODES: readonly AuthModeDefinition[] = [apiKeyMode, userPoolMode, oidcMode, lambdaMode, noneMode]

export const DEFAULT_TIMEOUT_MS = 30_000
export const DEFAULT_RETRY: ResolvedRetry = { limit: 2, mutations: false, baseDelayMs: 300, maxDelayMs: 5000 }

const APPSYNC_HOST = /^[a-z0-9]+\.appsync-api\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/

/** Everything a client needs, validated once. */
export interface ResolvedConfig {
  readonly endpoint: URL
  readonly region: string | undefined
  readonly clock: SkewedClock
  readonly events: EventHub
  readonly fetch: typeof globalThis.fetch
  readonly headers: Readonly<Record<string, string>>
  readonly timeoutMs: number
  readonly retry: ResolvedRetry | false
  readonly hooks: ClientHooks
  readonly defaultModes: readonly AuthMode[]
  readonly strategies: ReadonlyMap<AuthMode, AuthStrategy>
  readonly definitions: ReadonlyMap<AuthMode, AuthModeDefinition>
}

export function resolveConfig(options: ClientOptions): ResolvedConfig {
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new ConfigurationError('createClient needs an options object with at least `endpoint`.')
  }
  const endpoint = parseEndpoint(options.endpoint)
  const region = resolveRegion(options.region, endpoint)
  const clock = new SkewedClock(options.clock ?? systemClock)
  const logger: Logger | undefined = options.logger === null ? undefined : (options.logger ?? { warn: consoleWarn })
  const events = new EventHub(logger)

  const definitions = new Map<AuthMode, AuthModeDefinition>()
  for (const definition of [...HEADER_MODES, ...(options.modes ?? [])]) definitions.set(definition.mode, definition)

  const strategies = new Map<AuthMode, AuthStrategy>()
  for (const definition of definitions.values()) {
    const strategy = definition.create({ options, endpoint, region, clock, events })
    if (strategy) strategies.set(definition.mode, strategy)
  }
  if (options.credentials !== undefined && !definitions.has('iam')) {
    throw new ConfigurationError(
      '`credentials` needs the iam mode: use @authmode/browser or @authmode/node, or pass `modes: [iamMode()]` to the core createClient.',
    )
  }

  const defaultModes = resolveDefaultModes(options, definitions, strategies)
  const headers = normalizeHeaders(options.headers)
  for (const name of CREDENTIAL_HEADERS) {
    if (name in headers)
      throw new ConfigurationError(`\`headers\` may not set "${name}": credentials come from the auth modes.`)
  }
  return {
    endpoint,
    region,
    clock,
    events,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    headers,
    timeoutMs: checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs'),
    retry: resolveRetry(options.retry),
    hooks: options.hooks ?? {},
    defaultModes,
    strategies,
    definitions,
  }
}

function consoleWarn(message: string, data?: unknown): void {
  console.warn(message, data)
}

function parseEndpoint(value: unknown): URL {
  const text = value instanceof URL ? value.href : typeof value === 'string' ? value : ''
  if (text === '') {
    throw new ConfigurationError(
      '`endpoint` is required: the API URL, e.g. https://<id>.appsync-api.<region>.amazonaws.com/graphql.',
    )
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigurationError(
      `\`endpoint\` is not an absolute URL (${JSON.stringify(text.slice(0, 80))}): use https://<id>.appsync-api.<region>.amazonaws.com/graphql.`,
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`\`endpoint\` must use https (or http for a local endpoint), not ${url.protocol}`)
  }
  if (url.username || url.password) throw new ConfigurationError('`endpoint` must not carry a user name or password.')
  return url
}

function resolveRegion(region: unknown, endpoint: URL): string | undefined {
  if (region !== undefined) {
    if (typeof region !== 'string' || !REGION.test(region)) {
      throw new ConfigurationError(
        `\`region\` must be an AWS region such as "us-east-1", got ${JSON.stringify(region)}.`,
      )
    }
    return region
  }
  return APPSYNC_HOST.exec(endpoint.hostname)?.[1]
}

/** Validates a mode or list of modes against the registry. */
export function parseModes(
  value: unknown,
  definitions: ReadonlyMap<AuthMode, AuthModeDefinition>,
  where: string,
): AuthMode[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value]
  if (list.length === 0) throw new ConfigurationError(`\`${where}\` is an empty list: name at least one mode.`)
  return list.map((mode) => {
    if (typeof mode !== 'string' || !(AUTH_MODES as readonly string[]).includes(mode)) {
      throw new ConfigurationError(
        `\`${where}\`: unknown auth mode ${JSON.stringify(mode)}; expected one of ${AUTH_MODES.join(', ')}.`,
      )
    }
    if (!definitions.has(mode as AuthMode)) {
      throw new ConfigurationError(
        `\`${where}\`: the ${mode} mode is not registered in this client: use @authmode/browser or @authmode/node, or pass it in \`modes\`.`,
      )
    }
    return mode as AuthMode
  })
}

function resolveDefaultModes(
  options: ClientOptions,
  definitions: ReadonlyMap<AuthMode, AuthModeDefinition>,
  strategies: ReadonlyMap<AuthMode, AuthStrategy>,
): AuthMode[] {
  if (options.authMode !== undefined) {
    const modes = parseModes(options.authMode, definitions, 'authMode')
    if (!modes.some((mode) => strategies.has(mode))) {
      const missing = modes.map((mode) => `\`${definitions.get(mode)?.option ?? mode}\``).join(' or ')
      throw new ConfigurationError(`authMode ${modes.join(', ')} needs ${missing}, which is not set.`)
    }
    return modes
  }
  const configured = [...strategies.keys()].filter((mode) => mode !== 'none')
  if (configured.length === 1 && configured[0] !== undefined) return [configured[0]]
  throw new ConfigurationError(
    configured.length === 0
      ? 'No auth mode is configured: set `apiKey`, `userPool`, `oidc`, `lambda` or `credentials` (or `authMode: "none"`).'
      : `Several auth modes are configured (${configured.join(', ')}): set \`authMode\` to the default one or an ordered list.`,
  )
}

function resolveRetry(retry: RetryOptions | false | undefined): ResolvedRetry | false {
  if (retry === false) return false
  if (retry === undefined) return DEFAULT_RETRY
  const merged = {
    limit: retry.limit ?? DEFAULT_RETRY.limit,
    mutations: retry.mutations ?? DEFAULT_RETRY.mutations,
    baseDelayMs: retry.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    maxDelayMs: retry.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  }
  if (!Number.isInteger(merged.limit) || merged.limit < 0 || merged.limit > 10) {
    throw new ConfigurationError('`retry.limit` must be a whole number from 0 to 10.')
  }
  checkTimeout(merged.baseDelayMs, 'retry.baseDelayMs')
  checkTimeout(merged.maxDelayMs, 'retry.maxDelayMs')
  return merged
}

export function checkTimeout(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigurationError(`\`${name}\` must be a number of milliseconds ≥ 0.`)
  }
  return value
}

/** Merges a call's retry option over the client's. */
export function mergeRetry(
  base: ResolvedRetry | false,
  override: RetryOptions | false | undefined,
): ResolvedRetry | false {
  if (override === undefined) return base
  if (override === false) return false
  return resolveRetry({ ...(base === false ? { limit: 0 } : base), ...stripUndefined(override) })
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
