// The `@auth` rules of an API's models as Amplify's model introspection schema holds them
// (`data.model_introspection` of amplify_outputs.json: what Amplify's codegen writes, and what
// DataStore's multi-auth reads), indexed by the root fields the API generates for each model.
import type { AuthMode } from '../auth/types'
import type { ConfigurationError as ConfigurationErrorClass } from '../errors/ConfigurationError'

/** A rule's strategy, most specific first: the order in which `auto` tries the modes of a model. */
export const STRATEGIES = ['custom', 'owner', 'groups', 'private', 'public'] as const
export type Strategy = (typeof STRATEGIES)[number]

/** Within one strategy: the Lambda authorizer, the user pool, OIDC, IAM, the API key (as DataStore orders them). */
export const MODE_ORDER: readonly AuthMode[] = ['lambda', 'userPool', 'oidc', 'iam', 'apiKey']

export interface Rule {
  readonly model: string
  readonly allow: Strategy
  readonly provider: string
  readonly mode: AuthMode
  /** The operations it allows (`read`, `get`, `list`, `listen`, `sync`, `search`, `create`, …); undefined: all. */
  readonly operations: readonly string[] | undefined
  /** Static group rules: the groups; undefined for dynamic ones (the groups are on each item). */
  readonly groups: readonly string[] | undefined
  readonly groupClaim: string
}

/** What a root field does to which model, and the rules of that model (undefined: it has no `@auth`). */
export interface FieldRules {
  readonly model: string
  /** The operation names a rule may give it: `['list', 'read']` for `listPosts`, `['create']`, … */
  readonly operations: readonly string[]
  readonly rules: readonly Rule[] | undefined
}

// AppSync's providers as `@auth` names them (Gen 2 also writes `identityPool` for IAM).
const PROVIDERS: Readonly<Record<string, AuthMode>> = {
  userPools: 'userPool',
  oidc: 'oidc',
  iam: 'iam',
  identityPool: 'iam',
  apiKey: 'apiKey',
  function: 'lambda',
}
// The provider of a rule that names none, as the transformer defaults it.
const DEFAULT_PROVIDER: Readonly<Record<Strategy, string>> = {
  custom: 'function',
  owner: 'userPools',
  groups: 'userPools',
  private: 'userPools',
  public: 'apiKey',
}

const READ = 'read'
const indexes = new WeakMap<object, ReadonlyMap<string, FieldRules>>()

/**
 * The root fields of every model: `get<Name>`, `list<PluralName>`, `sync<PluralName>`,
 * `search<PluralName>`, secondary-index queries (reads); `create`/`update`/`delete<Name>`;
 * `onCreate`/`onUpdate`/`onDelete<Name>` (reads, as `listen`); the names a model's `@model`
 * attribute gives instead. Read once per schema object.
 *
 * @throws {ConfigurationError} when a model or rule is not in the documented shape.
 */
export function indexRules(
  introspection: object,
  ConfigurationError: typeof ConfigurationErrorClass,
): ReadonlyMap<string, FieldRules> {
  let index = indexes.get(introspection)
  if (!index) indexes.set(introspection, (index = buildIndex(introspection, invalid(ConfigurationError))))
  return index
}

function buildIndex(introspection: object, invalid: (what: string) => never): ReadonlyMap<string, FieldRules> {
  const index = new Map<string, FieldRules>()
  const models = (introspection as { models?: unknown }).models
  if (!isObject(models)) invalid('it has no `models`')
  for (const [key, value] of Object.entries(models)) {
    const model = isObject(value) ? value : invalid(`model ${JSON.stringify(key)} is not an object`)
    const name = typeof model['name'] === 'string' ? model['name'] : key
    const plural = typeof model['pluralName'] === 'string' ? model['pluralName'] : `${name}s`
    const attributes = Array.isArray(model['attributes']) ? (model['attributes'] as unknown[]).filter(isObject) : []
    const auth = attributes.find((attribute) => attribute['type'] === 'auth')
    const rules = auth === undefined ? undefined : readRules(name, auth['properties'], invalid)
    const names = (attributes.find((attribute) => attribute['type'] === 'model')?.['properties'] ?? {}) as Record<
      string,
      unknown
    >
    const add = (field: unknown, operations: readonly string[]): void => {
      if (typeof field === 'string' && field) index.set(field, { model: name, operations, rules })
    }
    // `@model(queries: null)` turns them off; `@model(queries: { get: 'fetchPost' })` renames (and
    // keeps only the ones named).
    const group = (kind: string, defaults: Readonly<Record<string, string>>, operations: (op: string) => string[]) => {
      const given = names[kind]
      if (given === null) return
      for (const [op, field] of Object.entries(isObject(given) ? given : defaults)) add(field, operations(op))
    }
    group('queries', { get: `get${name}`, list: `list${plural}` }, (op) => [op, READ])
    group('mutations', { create: `create${name}`, update: `update${name}`, delete: `delete${name}` }, (op) => [op])
    group(
      'subscriptions',
      { onCreate: `onCreate${name}`, onUpdate: `onUpdate${name}`, onDelete: `onDelete${name}` },
      () => ['listen', READ],
    )
    add(`sync${plural}`, ['sync', READ])
    add(`search${plural}`, ['search', READ])
    for (const attribute of attributes)
      if (attribute['type'] === 'key')
        add((attribute['properties'] as { queryField?: unknown } | undefined)?.queryField, ['list', READ])
  }
  return index
}

function readRules(model: string, properties: unknown, invalid: (what: string) => never): Rule[] {
  const rules = isObject(properties) ? properties['rules'] : undefined
  if (!Array.isArray(rules)) return invalid(`the auth attribute of ${model} has no \`rules\` list`)
  return rules.map((value: unknown) => {
    const rule = isObject(value) ? value : invalid(`a rule of ${model} is not an object`)
    const allow = rule['allow']
    if (!STRATEGIES.includes(allow as Strategy))
      invalid(`a rule of ${model} allows ${typeof allow === 'string' ? JSON.stringify(allow) : `a ${typeof allow}`}`)
    const provider = typeof rule['provider'] === 'string' ? rule['provider'] : DEFAULT_PROVIDER[allow as Strategy]
    const mode = Object.hasOwn(PROVIDERS, provider) ? PROVIDERS[provider] : undefined
    if (!mode) invalid(`a rule of ${model} names the provider ${JSON.stringify(provider)}`)
    const operations = rule['operations']
    const groups = rule['groups']
    return {
      model,
      allow: allow as Strategy,
      provider,
      mode,
      operations: Array.isArray(operations) ? operations.filter((op) => typeof op === 'string') : undefined,
      groups: Array.isArray(groups) ? groups.filter((group) => typeof group === 'string') : undefined,
      groupClaim: typeof rule['groupClaim'] === 'string' ? rule['groupClaim'] : 'cognito:groups',
    }
  })
}

/** Does `rule` allow one of `operations` (a field's names, e.g. `['list', 'read']`)? */
export function ruleAllows(rule: Rule, operations: readonly string[]): boolean {
  return !rule.operations || operations.some((op) => rule.operations?.includes(op))
}

/** `allow owner (userPools)`, `allow groups [Admin] (userPools)`, for messages. */
export function describeRule(rule: Rule): string {
  const groups = rule.allow === 'groups' ? (rule.groups ? ` [${rule.groups.join(', ')}]` : ' (per item)') : ''
  return `allow ${rule.allow}${groups} (${rule.provider})`
}

/** The rule a model without `@auth` has: the API's default mode, for everything. */
export function defaultRule(model: string, mode: AuthMode): Rule {
  const provider = Object.keys(PROVIDERS).find((name) => PROVIDERS[name] === mode) ?? mode
  const allow: Strategy = mode === 'apiKey' ? 'public' : mode === 'lambda' ? 'custom' : 'private'
  return { model, allow, provider, mode, operations: undefined, groups: undefined, groupClaim: 'cognito:groups' }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Throws a `ConfigurationError` that says what is wrong with the schema. */
function invalid(ConfigurationError: typeof ConfigurationErrorClass): (what: string) => never {
  return (what) => {
    throw new ConfigurationError(
      `\`modelIntrospection\`: ${what}; expected Amplify's model introspection schema (regenerate amplify_outputs.json).`,
    )
  }
}
