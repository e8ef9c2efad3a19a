// Reads the authorization and model directives of a schema: @model, @auth(rules: …) on types and
// fields, and AppSync's plain @aws_api_key / @aws_iam / @aws_oidc / @aws_cognito_user_pools /
// @aws_lambda.
import { ConfigurationError } from '@authmode/core'
import {
  Kind,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type ObjectTypeDefinitionNode,
  type ObjectTypeExtensionNode,
  type TypeNode,
} from 'graphql'
import type { LocalAuthMode } from '../auth/caller'
import { AWS_SCALARS } from './prelude'

export type Provider = 'apiKey' | 'userPools' | 'iam' | 'oidc' | 'function'
export type Strategy = 'owner' | 'public' | 'private' | 'groups' | 'custom'
export type ModelOperation = 'create' | 'update' | 'delete' | 'get' | 'list'

export const ALL_OPERATIONS: readonly ModelOperation[] = ['create', 'update', 'delete', 'get', 'list']

/** One `@auth` rule with Amplify's defaults filled in. */
export interface AuthRule {
  readonly allow: Strategy
  readonly provider: Provider
  readonly operations: ReadonlySet<ModelOperation>
  /** Owner rules: the field holding the owner (default `owner`); a list field holds several owners. */
  readonly ownerField: string
  /** Owner rules: the claim the owner is identified by (default `sub::username`). */
  readonly identityClaim: string
  /** Group rules: the claim with the caller's groups (default `cognito:groups`). */
  readonly groupClaim: string
  /** Static group rules. */
  readonly groups: readonly string[] | undefined
  /** Dynamic group rules: the field holding the groups allowed on each item (default `groups`). */
  readonly groupsField: string | undefined
}

/** A directive as the schema wrote it, its arguments as plain values. */
export interface WrittenDirective {
  readonly name: string
  readonly arguments: Readonly<Record<string, unknown>>
}

/** AppSync's plain directives on a type or field: which modes may read it. */
export interface PlainAuth {
  readonly modes: ReadonlySet<LocalAuthMode>
  /** `@aws_cognito_user_pools(cognito_groups: […])`: user pool callers must be in one of these. */
  readonly cognitoGroups: readonly string[] | undefined
}

export interface FieldInfo {
  readonly name: string
  readonly type: TypeNode
  /** Its arguments (a root field's), as declared. */
  readonly arguments: readonly { readonly name: string; readonly type: TypeNode }[]
  /** The innermost named type (`String` for `[String!]!`). */
  readonly namedType: string
  readonly list: boolean
  readonly rules: readonly AuthRule[] | undefined
  readonly plain: PlainAuth | undefined
}

export interface TypeInfo {
  readonly name: string
  readonly model: boolean
  /** `@auth` rules of the type; undefined when it has none. */
  readonly rules: readonly AuthRule[] | undefined
  readonly plain: PlainAuth | undefined
  readonly fields: ReadonlyMap<string, FieldInfo>
  /** The type's directives as written, in order (@model with its arguments, @auth, …). */
  readonly directives: readonly WrittenDirective[]
}

export interface ModelInfo extends TypeInfo {
  readonly model: true
  /** `Posts` in `listPosts`. */
  readonly plural: string
  /** Its secondary indexes (`@index` on a field), in field order. */
  readonly indexes: readonly IndexInfo[]
}

/** A secondary index: `@index(name, sortKeyFields, queryField)` on its partition key field. */
export interface IndexInfo {
  readonly name: string
  /** The partition key: the field `@index` is on. */
  readonly field: string
  /** At most one here (composite sort keys are refused). */
  readonly sortKeyFields: readonly string[]
  /** The query that reads the index; undefined when the schema asks for none. */
  readonly queryField: string | undefined
}

export interface SchemaInfo {
  readonly types: ReadonlyMap<string, TypeInfo>
  readonly models: readonly ModelInfo[]
  /** Enums and their values, as declared. */
  readonly enums: ReadonlyMap<string, readonly string[]>
  /** Input types and their fields, as declared. */
  readonly inputs: ReadonlyMap<string, readonly { readonly name: string; readonly type: TypeNode }[]>
}

const DEFAULT_PROVIDER: Record<Strategy, Provider> = {
  public: 'apiKey',
  private: 'userPools',
  owner: 'userPools',
  groups: 'userPools',
  custom: 'function',
}
const PROVIDERS: Record<Strategy, readonly Provider[]> = {
  public: ['apiKey', 'iam'],
  private: ['userPools', 'oidc', 'iam'],
  owner: ['userPools', 'oidc'],
  groups: ['userPools', 'oidc'],
  custom: ['function'],
}
// Amplify Gen 2 writes `identityPool` for `allow.guest()` and `allow.authenticated('identityPool')`.
const PROVIDER_ALIASES: Readonly<Record<string, Provider>> = { identityPool: 'iam' }
const STRATEGIES: readonly string[] = ['owner', 'public', 'private', 'groups', 'custom']
const OPERATION_ALIASES: Record<string, readonly ModelOperation[]> = {
  create: ['create'],
  update: ['update'],
  delete: ['delete'],
  read: ['get', 'list'],
  get: ['get'],
  list: ['list'],
  // No subscriptions or search here: accepted, and grant nothing.
  sync: [],
  listen: [],
  search: [],
}

/** Collects types, fields and their authorization directives; throws ConfigurationError on a bad rule. */
export function analyzeSchema(document: DocumentNode): SchemaInfo {
  const types = new Map<string, TypeInfo>()
  const nodes = new Map<string, (ObjectTypeDefinitionNode | ObjectTypeExtensionNode)[]>()
  const enums = new Map<string, readonly string[]>()
  const inputs = new Map<string, readonly { name: string; type: TypeNode }[]>()
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) {
      const list = nodes.get(definition.name.value) ?? []
      list.push(definition)
      nodes.set(definition.name.value, list)
    } else if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      enums.set(
        definition.name.value,
        (definition.values ?? []).map((v) => v.name.value),
      )
    } else if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      inputs.set(
        definition.name.value,
        (definition.fields ?? []).map((f) => ({ name: f.name.value, type: f.type })),
      )
    }
  }
  for (const [name, parts] of nodes) {
    const directives = parts.flatMap((p) => p.directives ?? [])
    const model = directives.some((d) => d.name.value === 'model')
    const rules = readRules(directives, `type ${name}`)
    if (rules && !model) {
      throw new ConfigurationError(
        `type ${name}: @auth is supported on @model types (and their fields); use @aws_api_key, @aws_iam, @aws_oidc or @aws_cognito_user_pools on other types.`,
      )
    }
    const fields = new Map<string, FieldInfo>()
    for (const field of parts.flatMap((p) => p.fields ?? [])) {
      const fieldRules = readRules(field.directives ?? [], `${name}.${field.name.value}`)
      if (fieldRules && !model) {
        throw new ConfigurationError(
          `${name}.${field.name.value}: field-level @auth is supported on fields of @model types; use the @aws_* directives elsewhere.`,
        )
      }
      fields.set(field.name.value, fieldInfo(field, fieldRules))
    }
    const written = directives.map((d) => ({ name: d.name.value, arguments: argumentsOf(d) }))
    const info: TypeInfo = { name, model, rules, plain: readPlain(directives), fields, directives: written }
    const indexes = readIndexes(
      name,
      model,
      parts.flatMap((p) => p.fields ?? []),
      fields,
    )
    const modelInfo: ModelInfo | undefined = model
      ? { ...info, model: true, plural: pluralize(name), indexes }
      : undefined
    types.set(name, modelInfo ?? info)
  }
  const models = [...types.values()].filter((t): t is ModelInfo => t.model)
  return { types, models, enums, inputs }
}

// The key fields of an index: one scalar value each, as DynamoDB keys are (AWSJSON is a document).
const KEY_TYPES = new Set(['ID', 'String', 'Int', 'Float', ...AWS_SCALARS.filter((scalar) => scalar !== 'AWSJSON')])

/** The timestamps every model gets (`AWSDateTime!`), added where the schema does not declare them. */
export const TIMESTAMPS: readonly string[] = ['createdAt', 'updatedAt']

function readIndexes(
  type: string,
  model: boolean,
  nodes: readonly FieldDefinitionNode[],
  fields: ReadonlyMap<string, FieldInfo>,
): IndexInfo[] {
  const indexes: IndexInfo[] = []
  for (const node of nodes) {
    for (const directive of node.directives ?? []) {
      if (directive.name.value !== 'index') continue
      const field = node.name.value
      const where = `${type}.${field}: @index`
      if (!model) throw new ConfigurationError(`${where} is supported on fields of @model types.`)
      const args = argumentsOf(directive)
      const sortKeyFields = Array.isArray(args['sortKeyFields']) ? args['sortKeyFields'].map(String) : []
      if (sortKeyFields.length > 1) {
        throw new ConfigurationError(
          `${where}: a composite sort key (${sortKeyFields.join(', ')}) is not supported here yet; use one sort key field.`,
        )
      }
      for (const key of [field, ...sortKeyFields]) {
        const info = fields.get(key)
        // The timestamps every model gets (AWSDateTime) may be keys without being declared.
        if (!info && TIMESTAMPS.includes(key)) continue
        if (!info || info.list || !KEY_TYPES.has(info.namedType)) {
          throw new ConfigurationError(
            `${where}: the key field ${key} must be a field of ${type} with one scalar value (ID, String, Int, Float or an AWS scalar).`,
          )
        }
      }
      const queryField = typeof args['queryField'] === 'string' ? args['queryField'] : undefined
      const name =
        typeof args['name'] === 'string' ? args['name'] : `by${field[0]?.toUpperCase() ?? ''}${field.slice(1)}`
      indexes.push({ name, field, sortKeyFields, queryField })
    }
  }
  return indexes
}

function argumentsOf(directive: ConstDirectiveNode): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const argument of directive.arguments ?? []) values[argument.name.value] = valueFromASTUntyped(argument.value)
  return values
}

function fieldInfo(field: FieldDefinitionNode, rules: readonly AuthRule[] | undefined): FieldInfo {
  let type: TypeNode = field.type
  let list = false
  while (type.kind !== Kind.NAMED_TYPE) {
    if (type.kind === Kind.LIST_TYPE) list = true
    type = type.type
  }
  return {
    name: field.name.value,
    type: field.type,
    arguments: (field.arguments ?? []).map((a) => ({ name: a.name.value, type: a.type })),
    namedType: type.name.value,
    list,
    rules,
    plain: readPlain(field.directives ?? []),
  }
}

function readPlain(directives: readonly ConstDirectiveNode[]): PlainAuth | undefined {
  const modes = new Set<LocalAuthMode>()
  let cognitoGroups: string[] | undefined
  for (const directive of directives) {
    switch (directive.name.value) {
      case 'aws_api_key':
        modes.add('apiKey')
        break
      case 'aws_iam':
        modes.add('iam')
        break
      case 'aws_oidc':
        modes.add('oidc')
        break
      case 'aws_lambda':
        modes.add('lambda')
        break
      case 'aws_cognito_user_pools': {
        modes.add('userPool')
        const groups = directive.arguments?.find((a) => a.name.value === 'cognito_groups')
        if (groups) {
          const value = valueFromASTUntyped(groups.value)
          if (Array.isArray(value)) cognitoGroups = value.filter((g): g is string => typeof g === 'string')
        }
        break
      }
      default:
        break
    }
  }
  return modes.size === 0 ? undefined : { modes, cognitoGroups }
}

function readRules(directives: readonly ConstDirectiveNode[], where: string): readonly AuthRule[] | undefined {
  const auth = directives.filter((d) => d.name.value === 'auth')
  if (auth.length === 0) return undefined
  const rules: AuthRule[] = []
  for (const directive of auth) {
    const argument = directive.arguments?.find((a) => a.name.value === 'rules')
    const value: unknown = argument ? valueFromASTUntyped(argument.value) : undefined
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value]
    for (const raw of list) rules.push(normalizeRule(raw, where))
  }
  return rules
}

function normalizeRule(raw: unknown, where: string): AuthRule {
  const rule = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  const allow = rule['allow']
  if (typeof allow !== 'string' || !STRATEGIES.includes(allow)) {
    throw new ConfigurationError(`${where}: @auth rule needs allow: owner, public, private, groups or custom.`)
  }
  const strategy = allow as Strategy
  const written = rule['provider'] ?? DEFAULT_PROVIDER[strategy]
  const provider = (
    typeof written === 'string' && Object.hasOwn(PROVIDER_ALIASES, written) ? PROVIDER_ALIASES[written] : written
  ) as Provider
  if (!PROVIDERS[strategy].includes(provider)) {
    throw new ConfigurationError(
      `${where}: allow: ${allow} does not support provider ${typeof written === 'string' ? written : JSON.stringify(written)} (use ${PROVIDERS[strategy].join(', ')}).`,
    )
  }
  const operations = new Set<ModelOperation>()
  const rawOperations = rule['operations']
  if (rawOperations === undefined || rawOperations === null) ALL_OPERATIONS.forEach((op) => operations.add(op))
  else if (Array.isArray(rawOperations)) {
    for (const op of rawOperations) {
      const mapped = typeof op === 'string' ? OPERATION_ALIASES[op] : undefined
      if (!mapped) throw new ConfigurationError(`${where}: unknown operation ${String(op)} in @auth rule.`)
      mapped.forEach((m) => operations.add(m))
    }
  }
  const groups = Array.isArray(rule['groups'])
    ? rule['groups'].filter((g): g is string => typeof g === 'string')
    : undefined
  const groupsField =
    strategy === 'groups' && groups === undefined ? stringOr(rule['groupsField'], 'groups') : undefined
  return {
    allow: strategy,
    provider,
    operations,
    ownerField: stringOr(rule['ownerField'], 'owner'),
    identityClaim: stringOr(rule['identityClaim'], 'sub::username'),
    groupClaim: stringOr(rule['groupClaim'], 'cognito:groups'),
    groups,
    groupsField,
  }
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback
}

/** Amplify-style plurals: Post → Posts, Category → Categories, Address → Addresses. */
export function pluralize(name: string): string {
  if (/[^aeiou]y$/i.test(name)) return `${name.slice(0, -1)}ies`
  if (/(s|x|z|ch|sh)$/i.test(name)) return `${name}es`
  return `${name}s`
}
