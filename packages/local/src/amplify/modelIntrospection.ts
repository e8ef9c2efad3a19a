// Amplify's model introspection schema (version 1: `data.model_introspection` of Gen 2's
// amplify_outputs.json, `modelIntrospection` of Gen 1's aws-exports.js) for a local schema, as
// Amplify's codegen writes it for the same SDL (aws-amplify/amplify-codegen, appsync-modelgen-plugin:
// the model introspection visitor, and utils/process-auth.ts for the rules): the rules as written,
// with codegen's defaults filled in. Where the local endpoint names things itself (plurals), the
// file says what this endpoint serves.
import { Kind, type TypeNode } from 'graphql'
import { buildLocalSchema } from '../schema/generate'
import {
  TIMESTAMPS,
  type FieldInfo,
  type IndexInfo,
  type ModelInfo,
  type SchemaInfo,
  type WrittenDirective,
} from '../schema/model'

/** A field's type: a scalar's name, or the model, non-model type, enum or input it names. */
export type IntrospectionType =
  | string
  | { readonly model: string }
  | { readonly nonModel: string }
  | { readonly enum: string }
  | { readonly input: string }

export interface IntrospectionField {
  readonly name: string
  readonly isArray: boolean
  readonly type: IntrospectionType
  /** Whether the value (each element, for a list) is non-null. */
  readonly isRequired: boolean
  /** Always `[]`: codegen does not repeat field-level `@auth` here. */
  readonly attributes: readonly IntrospectionAttribute[]
  /** Lists only: whether the list itself may be null. */
  readonly isArrayNullable?: boolean
  /** `createdAt` and `updatedAt` when the endpoint adds them. */
  readonly isReadOnly?: boolean
}

export interface IntrospectionArgument {
  readonly name: string
  readonly isArray: boolean
  readonly type: IntrospectionType
  readonly isRequired: boolean
  readonly isArrayNullable?: boolean
}

/** `{ type: 'model', properties }` (the `@model` arguments), `{ type: 'auth', properties: { rules } }`, … */
export interface IntrospectionAttribute {
  readonly type: string
  readonly properties?: Readonly<Record<string, unknown>>
}

/**
 * One `@auth` rule as codegen writes it: as the schema wrote it, plus for owner rules `provider`
 * (`userPools`), `ownerField` (`owner`) and `identityClaim` (`cognito:username` for a rule that
 * names none or `username`), for group rules `groupClaim` (`cognito:groups`) and `provider`, and
 * for dynamic group rules `groupField: 'groups'` (codegen's key, beside the schema's `groupsField`);
 * `operations` defaults to `['create', 'update', 'delete', 'read']`. Public, private and custom
 * rules get no default `provider`: a reader assumes `apiKey`, `userPools` and `function`.
 */
export type IntrospectionAuthRule = Readonly<Record<string, unknown>> & {
  readonly allow: string
  readonly operations: readonly string[]
}

export interface IntrospectionModel {
  readonly name: string
  readonly fields: Readonly<Record<string, IntrospectionField>>
  readonly syncable: boolean
  /** `listPosts` is `list` + this. */
  readonly pluralName: string
  readonly attributes: readonly IntrospectionAttribute[]
  readonly primaryKeyInfo: {
    readonly isCustomPrimaryKey: boolean
    readonly primaryKeyFieldName: string
    readonly sortKeyFieldNames: readonly string[]
  }
}

export interface IntrospectionOperation {
  readonly name: string
  readonly isArray: boolean
  readonly type: IntrospectionType
  readonly isRequired: boolean
  readonly isArrayNullable?: boolean
  readonly arguments?: Readonly<Record<string, IntrospectionArgument>>
}

/** Amplify's model introspection schema, version 1. */
export interface ModelIntrospectionSchema {
  readonly version: 1
  readonly models: Readonly<Record<string, IntrospectionModel>>
  readonly enums: Readonly<Record<string, { readonly name: string; readonly values: readonly string[] }>>
  readonly nonModels: Readonly<
    Record<string, { readonly name: string; readonly fields: Readonly<Record<string, IntrospectionField>> }>
  >
  /** The schema's own `Query` fields (not the generated model operations); absent when none. */
  readonly queries?: Readonly<Record<string, IntrospectionOperation>>
  readonly mutations?: Readonly<Record<string, IntrospectionOperation>>
  readonly subscriptions?: Readonly<Record<string, IntrospectionOperation>>
  readonly inputs?: Readonly<
    Record<string, { readonly name: string; readonly attributes: Readonly<Record<string, IntrospectionArgument>> }>
  >
}

// Codegen's METADATA_SCALAR_MAP: the scalars written by name.
const SCALARS = new Set([
  'ID',
  'Boolean',
  'String',
  'AWSDate',
  'AWSTime',
  'AWSDateTime',
  'AWSEmail',
  'AWSJSON',
  'AWSURL',
  'AWSPhone',
  'AWSIPAddress',
  'Int',
  'Float',
  'AWSTimestamp',
])
const ROOTS = new Set(['Query', 'Mutation', 'Subscription'])
const DEFAULT_OPERATIONS = ['create', 'update', 'delete', 'read'] as const

/**
 * Amplify's model introspection schema for a schema (SDL) of `@authmode/local`: what `amplify
 * codegen` (Gen 1) or `npx ampx generate outputs` (Gen 2) would write for it, with the plural
 * names this endpoint serves. Throws ConfigurationError for a schema the endpoint refuses.
 *
 * @example
 * ```ts
 * const introspection = modelIntrospection('type Post @model @auth(rules: [{ allow: owner }]) { id: ID! title: String }')
 * introspection.models.Post.attributes[1]
 * // { type: 'auth', properties: { rules: [{ provider: 'userPools', ownerField: 'owner', allow: 'owner',
 * //   identityClaim: 'cognito:username', operations: ['create', 'update', 'delete', 'read'] }] } }
 * ```
 */
export function modelIntrospection(schema: string): ModelIntrospectionSchema {
  return introspect(buildLocalSchema(schema).info)
}

/** The model introspection schema of an analysed schema. */
export function introspect(info: SchemaInfo): ModelIntrospectionSchema {
  const kinds = new Kinds(info)
  const models: Record<string, IntrospectionModel> = {}
  for (const model of info.models) models[model.name] = modelOf(model, kinds)
  const enums: Record<string, { name: string; values: readonly string[] }> = {}
  for (const [name, values] of info.enums) enums[name] = { name, values }
  const nonModels: Record<string, { name: string; fields: Record<string, IntrospectionField> }> = {}
  for (const type of info.types.values()) {
    if (type.model || ROOTS.has(type.name)) continue
    nonModels[type.name] = { name: type.name, fields: fieldsOf([...type.fields.values()], kinds) }
  }
  const result: ModelIntrospectionSchema = { version: 1, models, enums, nonModels }
  const operations = (root: string): Record<string, IntrospectionOperation> | undefined => {
    const found: Record<string, IntrospectionOperation> = {}
    for (const field of info.types.get(root)?.fields.values() ?? []) {
      const operation = operationOf(field, kinds)
      if (operation) found[field.name] = operation
    }
    return Object.keys(found).length > 0 ? found : undefined
  }
  const inputs: Record<string, { name: string; attributes: Record<string, IntrospectionArgument> }> = {}
  for (const [name, fields] of info.inputs) inputs[name] = { name, attributes: argumentsOf(fields, kinds) ?? {} }
  const queries = operations('Query')
  const mutations = operations('Mutation')
  const subscriptions = operations('Subscription')
  return {
    ...result,
    ...(queries && { queries }),
    ...(mutations && { mutations }),
    ...(subscriptions && { subscriptions }),
    ...(Object.keys(inputs).length > 0 && { inputs }),
  }
}

/** What a named type is, as codegen's `getType` tells it. */
class Kinds {
  readonly #info: SchemaInfo
  constructor(info: SchemaInfo) {
    this.#info = info
  }

  of(name: string): IntrospectionType | undefined {
    if (SCALARS.has(name)) return name
    if (this.#info.enums.has(name)) return { enum: name }
    const type = this.#info.types.get(name)
    if (type && !ROOTS.has(name)) return type.model ? { model: name } : { nonModel: name }
    if (this.#info.inputs.has(name)) return { input: name }
    // A custom scalar or a type the endpoint generates (ModelPostConnection): codegen knows neither.
    return undefined
  }
}

function modelOf(model: ModelInfo, kinds: Kinds): IntrospectionModel {
  const declared = [...model.fields.values()]
  const fields = fieldsOf(declared, kinds)
  // Codegen puts `id` first (adding `ID!` when it is not declared), and adds the read-only
  // timestamps after the declared fields.
  const id: IntrospectionField = { name: 'id', isArray: false, type: 'ID', isRequired: true, attributes: [] }
  const withId: Record<string, IntrospectionField> = { id: fields['id'] ? { ...fields['id'], isRequired: true } : id }
  for (const [name, field] of Object.entries(fields)) if (name !== 'id') withId[name] = field
  for (const name of TIMESTAMPS) {
    withId[name] ??= { name, isArray: false, type: 'AWSDateTime', isRequired: false, attributes: [], isReadOnly: true }
  }
  return {
    name: model.name,
    fields: withId,
    syncable: true,
    pluralName: model.plural,
    attributes: attributesOf(model.directives, model.indexes),
    primaryKeyInfo: { isCustomPrimaryKey: false, primaryKeyFieldName: 'id', sortKeyFieldNames: [] },
  }
}

// The type's directives as codegen lists them: the others in order, the secondary indexes as `key`
// attributes, then each @auth with its rules. `@model` arguments (custom operation names,
// timestamps) are not served here, so not repeated.
function attributesOf(
  directives: readonly WrittenDirective[],
  indexes: readonly IndexInfo[],
): IntrospectionAttribute[] {
  const others = directives.filter((d) => d.name !== 'auth')
  const auth = directives.filter((d) => d.name === 'auth')
  return [
    ...others.map((d) => ({ type: d.name, properties: d.name === 'model' ? {} : d.arguments })),
    ...indexes.map(({ name, queryField, field, sortKeyFields }) => ({
      type: 'key',
      properties: { name, ...(queryField && { queryField }), fields: [field, ...sortKeyFields] },
    })),
    ...auth.map((d) => {
      const rules = d.arguments['rules']
      // Each rule was checked by analyzeSchema: an object with a known `allow`.
      const list = (Array.isArray(rules) ? rules : rules === undefined ? [] : [rules]) as IntrospectionAuthRule[]
      return { type: 'auth', properties: { ...d.arguments, rules: list.map(ruleOf) } }
    }),
  ]
}

/** One rule as codegen's processAuthDirective writes it. */
function ruleOf(rule: Readonly<Record<string, unknown>> & { readonly allow: string }): IntrospectionAuthRule {
  const operations = (rule['operations'] as string[] | undefined) ?? [...DEFAULT_OPERATIONS]
  if (rule.allow === 'owner') {
    const claim = rule['identityClaim'] ?? rule['identityField'] ?? 'username'
    return {
      provider: 'userPools',
      ownerField: rule['ownerField'] ?? 'owner',
      ...rule,
      identityClaim: claim === 'username' ? 'cognito:username' : claim,
      operations,
    }
  }
  if (rule.allow === 'groups') {
    return {
      groupClaim: 'cognito:groups',
      provider: 'userPools',
      ...rule,
      ...(rule['groups'] === undefined && { groupField: rule['groupField'] ?? 'groups' }),
      operations,
    }
  }
  return { ...rule, operations }
}

function fieldsOf(fields: readonly FieldInfo[], kinds: Kinds): Record<string, IntrospectionField> {
  const result: Record<string, IntrospectionField> = {}
  for (const field of fields) {
    const shape = shapeOf(field.type, kinds)
    if (shape) result[field.name] = { name: field.name, ...shape, attributes: [], ...listNullability(field.type) }
  }
  return result
}

function operationOf(field: FieldInfo, kinds: Kinds): IntrospectionOperation | undefined {
  const shape = shapeOf(field.type, kinds)
  if (!shape) return undefined
  const args = argumentsOf(field.arguments, kinds)
  if (args === undefined && field.arguments.length > 0) return undefined
  return {
    name: field.name,
    ...shape,
    ...listNullability(field.type),
    ...(args && Object.keys(args).length > 0 && { arguments: args }),
  }
}

function argumentsOf(
  values: readonly { readonly name: string; readonly type: TypeNode }[],
  kinds: Kinds,
): Record<string, IntrospectionArgument> | undefined {
  const result: Record<string, IntrospectionArgument> = {}
  for (const value of values) {
    const shape = shapeOf(value.type, kinds)
    if (!shape) return undefined
    result[value.name] = { name: value.name, ...shape, ...listNullability(value.type) }
  }
  return result
}

/** `T`, `T!`, `[T]`, `[T!]!`: isArray, and isRequired of the value or, in a list, of each element. */
function shapeOf(
  node: TypeNode,
  kinds: Kinds,
): { isArray: boolean; type: IntrospectionType; isRequired: boolean } | undefined {
  const outer = node.kind === Kind.NON_NULL_TYPE ? node.type : node
  const isArray = outer.kind === Kind.LIST_TYPE
  const value = isArray ? outer.type : node
  const named = value.kind === Kind.NON_NULL_TYPE ? value.type : value
  // A list of lists is not in the format.
  const type = named.kind === Kind.NAMED_TYPE ? kinds.of(named.name.value) : undefined
  return type === undefined ? undefined : { isArray, type, isRequired: value.kind === Kind.NON_NULL_TYPE }
}

function listNullability(node: TypeNode): { isArrayNullable?: boolean } {
  const list = node.kind === Kind.NON_NULL_TYPE ? node.type : node
  return list.kind === Kind.LIST_TYPE ? { isArrayNullable: node.kind !== Kind.NON_NULL_TYPE } : {}
}
