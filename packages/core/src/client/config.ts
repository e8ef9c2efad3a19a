import type { AuthModeDefinition } from '../auth/definition'
import { apiKeyMode } from '../auth/apiKey'
import { noneMode } from '../auth/none'
import { lambdaMode, oidcMode, userPoolMode } from '../auth/token'
import { AUTH_MODES, type AuthMode, type AuthStrategy } from '../auth/types'
import { ConfigurationError } from '../errors/ConfigurationError'
import { SkewedClock, systemClock } from '../internal/clock'
import { CREDENTIAL_HEADERS, normalizeHeaders } from '../internal/headers'
import { createEvents, type Events } from './events'
import type { ClientHooks, ClientOptions, ResolvedRetry, RetryOptions } from './options'

/** The modes every core client has; `iam` joins through `modes` (the environment packages add it). */
export const HEADER_MODES: readonly AuthModeDefinition[] = [apiKeyMode, userPoolMode, oidcMode, lambdaMode, noneMode]

export const DEFAULT_TIMEOUT_MS = 30_000
export const DEFAULT_RETRY: ResolvedRetry = { limit: 2, mutations: false, baseDelayMs: 300, maxDelayMs: 5000 }

const ENDPOINT_EXAMPLE = 'https://<id>.appsync-api.<region>.amazonaws.com/graphql'
const REGISTER = 'use @authmode/browser or @authmode/node, or pass'

/** Everything a client needs, validated once. */
export interface ResolvedConfig {
  readonly endpoint: URL
  readonly clock: SkewedClock
  readonly events: Events
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
  if (typeof options != 'object' || !(options as unknown)) fail('createClient needs an options object with `endpoint`.')
  const endpoint = parseEndpoint(options.endpoint)
  const clock = new SkewedClock(options.clock ?? systemClock)
  const events = createEvents(options.logger === null ? undefined : (options.logger ?? { warn: console.warn }))

  const definitions = new Map<AuthMode, AuthModeDefinition>()
  for (const definition of [...HEADER_MODES, ...(options.modes ?? [])]) definitions.set(definition.mode, definition)
  const strategies = new Map<AuthMode, AuthStrategy>()
  for (const definition of definitions.values()) {
    const strategy = definition.create({ options, endpoint, clock, events })
    if (strategy) strategies.set(definition.mode, strategy)
  }
  if (options.credentials !== undefined && !definitions.has('iam')) {
    fail(`\`credentials\` needs the iam mode: ${REGISTER} \`modes: [iamMode()]\` to the core createClient.`)
  }

  const headers = normalizeHeaders(options.headers)
  for (const name of CREDENTIAL_HEADERS) {
    if (name in headers) fail(`\`headers\` may not set "${name}": credentials come from the auth modes.`)
  }
  return {
    endpoint,
    clock,
    events,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    headers,
    timeoutMs: checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs'),
    retry: mergeRetry(DEFAULT_RETRY, options.retry),
    hooks: options.hooks ?? {},
    defaultModes: defaultModes(options, definitions, strategies),
    strategies,
    definitions,
  }
}

function fail(message: string): never {
  throw new ConfigurationError(message)
}

function parseEndpoint(value: unknown): URL {
  const text = value instanceof URL ? value.href : typeof value == 'string' ? value : ''
  if (!text) fail(`\`endpoint\` is required: the API URL, e.g. ${ENDPOINT_EXAMPLE}.`)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    fail(`\`endpoint\` is not an absolute URL (${JSON.stringify(text.slice(0, 80))}): use ${ENDPOINT_EXAMPLE}.`)
  }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password)
    fail('`endpoint` must be an http(s) URL without a user name or password.')
  return url
}

/** Validates a mode or list of modes against the registry. */
export function parseModes(
  value: unknown,
  definitions: ReadonlyMap<AuthMode, AuthModeDefinition>,
  where: string,
): AuthMode[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value]
  if (!list.length) fail(`\`${where}\` is an empty list: name at least one mode.`)
  return list.map((mode) => {
    if (!AUTH_MODES.includes(mode as AuthMode)) {
      fail(`\`${where}\`: unknown auth mode ${JSON.stringify(mode)}; expected one of ${AUTH_MODES.join(', ')}.`)
    }
    if (!definitions.has(mode as AuthMode)) {
      fail(`\`${where}\`: the ${String(mode)} mode is not registered in this client: ${REGISTER} it in \`modes\`.`)
    }
    return mode as AuthMode
  })
}

function defaultModes(
  options: ClientOptions,
  definitions: ReadonlyMap<AuthMode, AuthModeDefinition>,
  strategies: ReadonlyMap<AuthMode, AuthStrategy>,
): AuthMode[] {
  if (options.authMode !== undefined) {
    const modes = parseModes(options.authMode, definitions, 'authMode')
    if (!modes.some((mode) => strategies.has(mode))) {
      const missing = modes.map((mode) => `\`${definitions.get(mode)?.option ?? mode}\``).join(' or ')
      fail(`authMode ${modes.join(', ')} needs ${missing}, which is not set.`)
    }
    return modes
  }
  const configured = [...strategies.keys()].filter((mode) => mode != 'none')
  if (configured.length == 1) return configured
  return fail(
    configured.length
      ? `Several auth modes are configured (${configured.join(', ')}): set \`authMode\` (one mode or an ordered list).`
      : 'No auth mode is configured: set `apiKey`, `userPool`, `oidc`, `lambda` or `credentials` (or `authMode: "none"`).',
  )
}

export function checkTimeout(value: number, name: string): number {
  if (typeof value != 'number' || !(value >= 0) || value == Infinity)
    fail(`\`${name}\` must be a number of milliseconds ≥ 0.`)
  return value
}

/** A retry option (the client's or a call's) merged over the retry settings it refines. */
export function mergeRetry(
  base: ResolvedRetry | false,
  override: RetryOptions | false | undefined,
): ResolvedRetry | false {
  if (override === undefined) return base
  if (!override) return false
  const merged = { ...(base || { ...DEFAULT_RETRY, limit: 0 }) }
  for (const [key, value] of Object.entries(override))
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value
  const { limit } = merged
  if (!Number.isInteger(limit) || limit < 0 || limit > 10) fail('`retry.limit` must be a whole number from 0 to 10.')
  checkTimeout(merged.baseDelayMs, 'retry.baseDelayMs')
  checkTimeout(merged.maxDelayMs, 'retry.maxDelayMs')
  return merged
}
