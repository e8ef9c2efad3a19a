// `authMode: 'auto'`: which modes one call tries, in which order, and with which identities. A
// chunk of its own (see `autoModule` in auth/authorizer.ts); the authorizer runs the plan like any mode
// list: it skips what `admit` refuses, and moves on only after an authorization failure.
import type { ModePlan, Operation } from '../auth/authorizer'
import type { AuthMode } from '../auth/types'
import type { ResolvedConfig } from '../client/config'
import type { ConfigurationError } from '../errors/ConfigurationError'
import type { SkippedMode } from '../errors/NoAuthModeAvailableError'
import type { prepareDocument } from '../graphql/document'
import type { jwtClaims } from '../identity/jwt'
import { factsOf, type Facts } from './identity'
import { rootFields } from './rootFields'
import {
  defaultRule,
  describeRule,
  indexRules,
  MODE_ORDER,
  ruleAllows,
  STRATEGIES,
  type FieldRules,
  type Rule,
} from './rules'

/** What the chunk uses of the rest of the client, handed over (see `autoModule` in auth/authorizer.ts). */
export interface AutoDeps {
  readonly jwtClaims: typeof jwtClaims
  readonly prepareDocument: typeof prepareDocument
  /** The tokens of a GraphQL document (`TOKEN` of graphql/document.ts). */
  readonly token: RegExp
  readonly ConfigurationError: typeof ConfigurationError
}

/** `auto`, for the authorizer (`plan`) and the real-time connection (`probe`). */
export interface Auto {
  plan(config: ResolvedConfig, operation: Operation, reasons: SkippedMode[]): ModePlan
  probe(config: ResolvedConfig, operation: Operation): Promise<void>
}

export function createAuto(deps: AutoDeps): Auto {
  return {
    plan: (config, operation, reasons) => planAuto(deps, config, operation, reasons),
    probe: (config, operation) => probeAuto(deps, config, operation),
  }
}

/** What a client's `auto` keeps between calls. */
interface AutoState {
  /** The last identity seen of each mode (its `Facts.key`). */
  readonly seen: Map<AuthMode, string>
  /** By operation, without rules: the modes the API refused, and for whom. */
  readonly refused: Map<string, Map<AuthMode, string>>
}

const states = new WeakMap<ResolvedConfig, AutoState>()
// Operations remembered per client: a bound, since an app may send any number of distinct ones.
const MAX_OPERATIONS = 500

/** One field's part in a plan with rules: its model's rules for what it does, by mode. */
interface Part {
  readonly field: string
  readonly rules: FieldRules
  readonly allowed: readonly Rule[]
}

/**
 * The plan of one call. With rules for every root field of the operation (the model
 * introspection schema): the modes of the rules that allow what it does, most specific rule first
 * (custom, owner, groups, private, public; within one, `MODE_ORDER`), each admitted only for an
 * identity those rules speak to. Without: the API's modes in order, passing over those the API
 * refused this operation before for the same identity. Without `reasons`: no events (a probe).
 */
function planAuto(
  deps: AutoDeps,
  config: ResolvedConfig,
  operation: Operation,
  reasons: SkippedMode[] | undefined,
): ModePlan {
  const quiet = !reasons
  let state = states.get(config)
  if (!state) states.set(config, (state = { seen: new Map(), refused: new Map() }))
  const { seen, refused } = state
  const { query, operationName, operationType } = graphQLOf(operation, deps)
  const fields = query === undefined ? undefined : rootFields(query, operationName, deps.token)
  // For messages, and (with the query when there is nothing shorter) to learn by.
  const what = fields?.length ? `${operationType ?? 'query'} ${fields.join(', ')}` : (operation.key ?? 'this call')
  const learnedAs = fields?.length || operation.key !== undefined ? what : (query ?? what)
  const pool = config.apiAuthModes ?? MODE_ORDER.filter((mode) => config.strategies.has(mode))
  const index =
    config.modelIntrospection && fields?.length
      ? indexRules(config.modelIntrospection, deps.ConfigurationError)
      : undefined
  const found = fields?.map((field) => ({ field, rules: index?.get(field) }))
  const parts =
    found?.every((part) => part.rules) &&
    (found as { field: string; rules: FieldRules }[]).map(({ field, rules }) => ({
      field,
      rules,
      // A model without `@auth` gets the API's default mode, for everything.
      allowed:
        rules.rules?.filter((rule) => ruleAllows(rule, rules.operations)) ??
        (config.apiAuthModes?.[0] ? [defaultRule(rules.model, config.apiAuthModes[0])] : undefined),
    }))
  const ruled = parts && parts.every((part) => part.allowed) ? (parts as Part[]) : undefined

  /** Notes the identity of `mode`; any change forgets what was learned, and live subscriptions follow. */
  const observe = (mode: AuthMode, facts: Facts): void => {
    const before = seen.get(mode)
    seen.set(mode, facts.key)
    if (before !== undefined && before !== facts.key) {
      refused.clear()
      for (const watcher of config.identityWatchers) watcher()
    }
  }
  const chosen = (mode: AuthMode, reason: string): void => {
    if (!quiet) config.events.emit('authModeChosen', { mode, reason })
  }

  let modes: AuthMode[]
  if (ruled) {
    const rank = (mode: AuthMode): number => {
      const ranks = ruled.flatMap((part) =>
        part.allowed.filter((rule) => rule.mode === mode).map((rule) => STRATEGIES.indexOf(rule.allow)),
      )
      return Math.min(...ranks, mode === 'iam' ? STRATEGIES.indexOf('private') : Infinity)
    }
    modes = []
    for (const mode of pool) {
      const without = ruled.find((part) => mode !== 'iam' && !part.allowed.some((rule) => rule.mode === mode))
      if (!without) modes.push(mode)
      // Once per call: its attempts (retries after a network error) share `reasons`.
      else if (!reasons?.some((skipped) => skipped.mode === mode))
        reasons?.push({ mode, reason: `no @auth rule of ${without.rules.model} allows ${opOf(without)} with it` })
    }
    modes.sort((a, b) => rank(a) - rank(b) || MODE_ORDER.indexOf(a) - MODE_ORDER.indexOf(b))
  } else modes = [...pool]

  return {
    modes,
    admit(mode, identity) {
      const facts = factsOf(mode, identity, deps.jwtClaims)
      observe(mode, facts)
      if (identity === undefined) return undefined
      if (!ruled) {
        if (refused.get(learnedAs)?.get(mode) === facts.key)
          return `the API refused ${what} with ${facts.who} before (learned; forgotten when an identity changes)`
        chosen(mode, `no @auth rules for ${what}: the API's modes in order; ${facts.who}`)
        return undefined
      }
      const granted: string[] = []
      for (const part of ruled) {
        const rules = part.allowed.filter((rule) => rule.mode === mode)
        if (facts.principal === 'backend') {
          granted.push('backend credentials (IAM outside an identity pool) are granted by IAM policy, not by @auth')
          continue
        }
        // Every rule that speaks to it: a group member is also an owner, and either may be what grants.
        const admitting = rules.filter((candidate) => admits(candidate, facts))
        if (!admitting.length)
          return `${facts.who} may not ${opOf(part)} ${part.rules.model}: ${
            rules.length ? rules.map((r) => `${describeRule(r)}${needs(r)}`).join('; ') : 'no rule for this mode'
          }`
        granted.push(`${part.rules.model}: ${admitting.map(describeRule).join(' or ')} for ${opOf(part)}`)
      }
      chosen(mode, `${[...new Set(granted)].join('; ')}; ${facts.who}`)
      return undefined
    },
    refused(mode, identity) {
      // With rules, a refusal may depend on the item (owner rules): nothing to learn.
      if (ruled) return
      let modes = refused.get(learnedAs)
      if (!modes) {
        const oldest = refused.keys().next()
        if (refused.size >= MAX_OPERATIONS && !oldest.done) refused.delete(oldest.value)
        refused.set(learnedAs, (modes = new Map<AuthMode, string>()))
      }
      modes.set(mode, factsOf(mode, identity, deps.jwtClaims).key)
    },
  }
}

/**
 * For live `auto` subscriptions: asks the plan's modes for their identities, in order, up to the one
 * it would choose, so that a sign-in or sign-out since is seen (and the subscriptions restarted).
 */
async function probeAuto(deps: AutoDeps, config: ResolvedConfig, operation: Operation): Promise<void> {
  const plan = planAuto(deps, config, operation, undefined)
  for (const mode of plan.modes) {
    const strategy = config.strategies.get(mode)
    if (!strategy) continue
    let identity: unknown
    try {
      identity = await strategy.resolveIdentity({})
    } catch {
      plan.admit(mode, undefined)
      continue
    }
    if (plan.admit(mode, identity) === undefined) return
  }
}

/** Does `rule` speak to this identity (before any item is read)? */
function admits(rule: Rule, facts: Facts): boolean {
  if (rule.mode === 'iam')
    return rule.allow === 'public'
      ? facts.principal === 'guest'
      : rule.allow === 'private' && facts.principal === 'authenticated'
  if (rule.allow !== 'groups' || !rule.groups) return true
  const held = groupsOf(facts.claims?.[rule.groupClaim])
  return rule.groups.some((group) => held.includes(group))
}

/** What a rule that does not admit this identity needs, for messages. */
function needs(rule: Rule): string {
  if (rule.mode === 'iam') return rule.allow === 'public' ? ': needs a guest' : ': needs a signed-in identity'
  return rule.allow === 'groups' && rule.groups ? `: needs ${rule.groupClaim} to hold one of them` : ''
}

// A claim of groups: a list, or a string (a JSON list, or names separated by commas or spaces).
function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string')
  if (typeof claim !== 'string') return []
  try {
    const parsed = JSON.parse(claim) as unknown
    if (Array.isArray(parsed)) return groupsOf(parsed)
  } catch {
    // not JSON
  }
  return claim.split(/[\s,]+/).filter(Boolean)
}

function opOf(part: { readonly field: string; readonly rules: FieldRules }): string {
  return `${part.rules.operations[0] ?? 'use'} (${part.field})`
}

/** The GraphQL operation of a call: given, or read from a `createAuthFetch` body (`{ "query": … }`). */
function graphQLOf(operation: Operation, { prepareDocument }: AutoDeps): Operation {
  if (operation.query !== undefined || operation.body === undefined) return operation
  try {
    const text = typeof operation.body === 'string' ? operation.body : new TextDecoder().decode(operation.body)
    const { query, operationName } = JSON.parse(text) as { query?: unknown; operationName?: unknown }
    if (typeof query !== 'string') return operation
    const name = typeof operationName === 'string' ? operationName : undefined
    return { ...prepareDocument(query, name), key: operation.key }
  } catch {
    return operation // not a GraphQL request: learned by its key
  }
}
