// The Amplify-style generated API of @model types: get/list queries, create/update/delete
// mutations, their inputs and connection types, and the id/createdAt/updatedAt/owner fields.
import { ConfigurationError } from '@authmode/core'
import {
  buildASTSchema,
  concatAST,
  Kind,
  parse,
  print,
  type DocumentNode,
  type GraphQLSchema,
  type TypeNode,
} from 'graphql'
import {
  analyzeSchema,
  TIMESTAMPS,
  type FieldInfo,
  type IndexInfo,
  type ModelInfo,
  type SchemaInfo,
  type TypeInfo,
} from './model'
import { AWS_SCALARS, PRELUDE_DIRECTIVES, PRELUDE_TYPES } from './prelude'

/** A model's generated operations, by kind. */
export interface ModelOperations {
  readonly get: string
  readonly list: string
  readonly create: string
  readonly update: string
  readonly delete: string
}

/** Where a model's data lives and what may be written to it. */
export interface ModelShape {
  readonly info: ModelInfo
  readonly operations: ModelOperations
  /** Fields stored on items and accepted in inputs (scalars, enums and lists of them). */
  readonly storable: ReadonlySet<string>
  /** Owner fields of owner rules (type and field level), with whether each holds a list. */
  readonly ownerFields: ReadonlyMap<string, { readonly list: boolean }>
  /**
   * The subscriptions' owner arguments (`onCreatePost(author: String)`): the owner fields of the
   * type-level owner rules that grant read, as Amplify's v2 transformer adds them.
   */
  readonly subscriptionOwnerArguments: readonly string[]
}

export interface BuiltSchema {
  readonly schema: GraphQLSchema
  readonly info: SchemaInfo
  readonly models: ReadonlyMap<string, ModelShape>
  /** Query/Mutation field name → the model operation behind it (an index query: a `list` over its index). */
  readonly generated: ReadonlyMap<string, GeneratedOperation>
  /** Subscription field name (`onCreatePost`) → the model and the mutation kind that triggers it. */
  readonly subscriptions: ReadonlyMap<string, SubscriptionTarget>
}

/** What a generated root field does. */
export interface GeneratedOperation {
  readonly model: string
  readonly kind: keyof ModelOperations
  /** For a query field of `@index`: the index it reads. */
  readonly index?: IndexInfo | undefined
}

/** The generated mutations that trigger subscriptions. */
export type SubscriptionKind = 'create' | 'update' | 'delete'

/** What a generated subscription field listens to, and its owner arguments (besides `filter`). */
export interface SubscriptionTarget {
  readonly model: string
  readonly kind: SubscriptionKind
  readonly ownerArguments: readonly string[]
}

const FILTER_INPUT: Record<string, string> = {
  ID: 'ModelIDInput',
  String: 'ModelStringInput',
  Int: 'ModelIntInput',
  Float: 'ModelFloatInput',
  Boolean: 'ModelBooleanInput',
  AWSDate: 'ModelStringInput',
  AWSTime: 'ModelStringInput',
  AWSDateTime: 'ModelStringInput',
  AWSEmail: 'ModelStringInput',
  AWSURL: 'ModelStringInput',
  AWSPhone: 'ModelStringInput',
  AWSIPAddress: 'ModelStringInput',
  AWSTimestamp: 'ModelIntInput',
}
const SCALAR_FILTERS = `
input ModelIDInput { eq: ID ne: ID beginsWith: ID contains: ID }
input ModelStringInput { eq: String ne: String beginsWith: String contains: String }
input ModelIntInput { eq: Int ne: Int lt: Int le: Int gt: Int ge: Int }
input ModelFloatInput { eq: Float ne: Float lt: Float le: Float gt: Float ge: Float }
input ModelBooleanInput { eq: Boolean ne: Boolean }
`

// The sort key conditions of index queries (Amplify's names), by the sort key's scalar.
const KEY_CONDITION_INPUT: Record<string, string> = {
  ID: 'ModelIDKeyConditionInput',
  Int: 'ModelIntKeyConditionInput',
  AWSTimestamp: 'ModelIntKeyConditionInput',
  Float: 'ModelFloatKeyConditionInput',
}
const keyConditionInput = (scalar: string): string => KEY_CONDITION_INPUT[scalar] ?? 'ModelStringKeyConditionInput'
const INDEX_TYPES = `
enum ModelSortDirection { ASC DESC }
input ModelIDKeyConditionInput { eq: ID le: ID lt: ID ge: ID gt: ID between: [ID] beginsWith: ID }
input ModelStringKeyConditionInput { eq: String le: String lt: String ge: String gt: String between: [String] beginsWith: String }
input ModelIntKeyConditionInput { eq: Int le: Int lt: Int ge: Int gt: Int between: [Int] }
input ModelFloatKeyConditionInput { eq: Float le: Float lt: Float ge: Float gt: Float between: [Float] }
`

/** Parses a schema, adds the generated API of its @model types and builds it; ConfigurationError when invalid. */
export function buildLocalSchema(sdl: string): BuiltSchema {
  let document: DocumentNode
  try {
    document = parse(sdl)
  } catch (error) {
    throw new ConfigurationError(`The schema does not parse: ${(error as Error).message}`, { cause: error })
  }
  const info = analyzeSchema(document)
  const declared = declaredNames(document)
  const extra: string[] = []
  for (const scalar of AWS_SCALARS) if (!declared.types.has(scalar)) extra.push(`scalar ${scalar}`)
  for (const [name, definition] of Object.entries(PRELUDE_DIRECTIVES)) {
    if (!declared.directives.has(name)) extra.push(definition)
  }
  for (const [name, definition] of Object.entries(PRELUDE_TYPES)) if (!declared.types.has(name)) extra.push(definition)

  const models = new Map<string, ModelShape>()
  const generated = new Map<string, GeneratedOperation>()
  const queries: string[] = []
  const mutations: string[] = []
  const subscriptionFields: string[] = []
  const subscriptions = new Map<string, SubscriptionTarget>()
  if (info.models.length > 0) extra.push(SCALAR_FILTERS)
  if (info.models.some((model) => model.indexes.some((index) => index.queryField))) extra.push(INDEX_TYPES)
  for (const model of info.models) {
    const shape = modelShape(model, info)
    models.set(model.name, shape)
    extra.push(...modelSdl(shape, info))
    const ops = shape.operations
    queries.push(`${ops.get}(id: ID!): ${model.name}`)
    queries.push(
      `${ops.list}(filter: Model${model.name}FilterInput, limit: Int, nextToken: String): Model${model.name}Connection`,
    )
    const condition = `condition: Model${model.name}ConditionInput`
    mutations.push(`${ops.create}(input: Create${model.name}Input!, ${condition}): ${model.name}`)
    mutations.push(`${ops.update}(input: Update${model.name}Input!, ${condition}): ${model.name}`)
    mutations.push(`${ops.delete}(input: Delete${model.name}Input!, ${condition}): ${model.name}`)
    for (const kind of ['get', 'list', 'create', 'update', 'delete'] as const) {
      generated.set(ops[kind], { model: model.name, kind })
    }
    // Each index with a query field: a list over the items with that partition key, in sort key order.
    for (const index of model.indexes) {
      if (!index.queryField) continue
      const key = (field: string): string => model.fields.get(field)?.namedType ?? 'String'
      const [sortKey] = index.sortKeyFields
      const sortArgument = sortKey ? `${sortKey}: ${keyConditionInput(key(sortKey))}, ` : ''
      queries.push(
        `${index.queryField}(${index.field}: ${key(index.field)}!, ${sortArgument}sortDirection: ModelSortDirection, filter: Model${model.name}FilterInput, limit: Int, nextToken: String): Model${model.name}Connection`,
      )
      generated.set(index.queryField, { model: model.name, kind: 'list', index })
    }
    // Amplify's onCreate/onUpdate/onDelete with its v2 arguments: `filter` and one per owner rule.
    const subscriptionArguments = [
      `filter: ModelSubscription${model.name}FilterInput`,
      ...shape.subscriptionOwnerArguments.map((field) => `${field}: String`),
    ].join(', ')
    for (const kind of ['create', 'update', 'delete'] as const) {
      const field = `on${kind[0]?.toUpperCase() ?? ''}${kind.slice(1)}${model.name}`
      subscriptionFields.push(`${field}(${subscriptionArguments}): ${model.name}`)
      subscriptions.set(field, { model: model.name, kind, ownerArguments: shape.subscriptionOwnerArguments })
    }
  }
  if (queries.length > 0 || !declared.types.has('Query')) {
    if (queries.length === 0) {
      throw new ConfigurationError('The schema has no Query type and no @model type: declare `type Query { … }`.')
    }
    extra.push(`${declared.types.has('Query') ? 'extend type' : 'type'} Query {\n  ${queries.join('\n  ')}\n}`)
  }
  if (mutations.length > 0) {
    extra.push(`${declared.types.has('Mutation') ? 'extend type' : 'type'} Mutation {\n  ${mutations.join('\n  ')}\n}`)
  }
  if (subscriptionFields.length > 0) {
    extra.push(
      `${declared.types.has('Subscription') ? 'extend type' : 'type'} Subscription {\n  ${subscriptionFields.join('\n  ')}\n}`,
    )
  }

  let schema: GraphQLSchema
  try {
    schema = buildASTSchema(concatAST([document, parse(extra.join('\n'))]))
  } catch (error) {
    throw new ConfigurationError(`The schema is not valid: ${(error as Error).message}`, { cause: error })
  }
  return { schema, info, models, generated, subscriptions }
}

function declaredNames(document: DocumentNode): { types: Set<string>; directives: Set<string> } {
  const types = new Set<string>()
  const directives = new Set<string>()
  for (const definition of document.definitions) {
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) directives.add(definition.name.value)
    else if ('name' in definition && definition.kind.endsWith('Definition')) {
      types.add(definition.name.value)
    }
  }
  return { types, directives }
}

function modelShape(model: ModelInfo, info: SchemaInfo): ModelShape {
  const ownerFields = new Map<string, { list: boolean }>()
  const allRules = [...(model.rules ?? []), ...[...model.fields.values()].flatMap((f) => f.rules ?? [])]
  for (const rule of allRules) {
    if (rule.allow === 'owner') {
      const declaredField = model.fields.get(rule.ownerField)
      ownerFields.set(rule.ownerField, { list: declaredField?.list ?? false })
    }
  }
  const subscriptionOwnerArguments = new Set<string>()
  for (const rule of model.rules ?? []) {
    if (rule.allow === 'owner' && (rule.operations.has('get') || rule.operations.has('list'))) {
      subscriptionOwnerArguments.add(rule.ownerField)
    }
  }
  const storable = new Set<string>()
  for (const field of model.fields.values()) if (isStorable(field, info)) storable.add(field.name)
  for (const name of ['id', 'createdAt', 'updatedAt', ...ownerFields.keys()]) storable.add(name)
  for (const rule of allRules) if (rule.groupsField) storable.add(rule.groupsField)
  return {
    info: model,
    ownerFields,
    subscriptionOwnerArguments: [...subscriptionOwnerArguments],
    storable,
    operations: {
      get: `get${model.name}`,
      list: `list${model.plural}`,
      create: `create${model.name}`,
      update: `update${model.name}`,
      delete: `delete${model.name}`,
    },
  }
}

function isStorable(field: FieldInfo, info: SchemaInfo): boolean {
  // Object types (relations, embedded types) are not stored or accepted here; see the README.
  return !info.types.has(field.namedType)
}

function modelSdl(shape: ModelShape, info: SchemaInfo): string[] {
  const { info: model } = shape
  const name = model.name
  const added: string[] = []
  if (!model.fields.has('id')) added.push('id: ID!')
  for (const field of TIMESTAMPS) if (!model.fields.has(field)) added.push(`${field}: AWSDateTime!`)
  for (const [field, { list }] of shape.ownerFields) {
    if (!model.fields.has(field)) added.push(`${field}: ${list ? '[String]' : 'String'}`)
  }
  const groupsFields = new Set(
    [...(model.rules ?? []), ...[...model.fields.values()].flatMap((f) => f.rules ?? [])]
      .map((r) => r.groupsField)
      .filter((f): f is string => f !== undefined && !model.fields.has(f)),
  )
  for (const field of groupsFields) added.push(`${field}: [String]`)

  const sdl: string[] = []
  if (added.length > 0) sdl.push(`extend type ${name} {\n  ${added.join('\n  ')}\n}`)
  sdl.push(`type Model${name}Connection {\n  items: [${name}]!\n  nextToken: String\n}`)

  const inputFields = (mode: 'create' | 'update'): string[] => {
    const lines: string[] = []
    const seen = new Set<string>()
    const push = (fieldName: string, type: string): void => {
      if (seen.has(fieldName)) return
      seen.add(fieldName)
      lines.push(`${fieldName}: ${type}`)
    }
    push('id', mode === 'create' ? 'ID' : 'ID!')
    for (const field of model.fields.values()) {
      if (!shape.storable.has(field.name) || field.name === 'createdAt' || field.name === 'updatedAt') continue
      const optional = mode === 'update' || shape.ownerFields.has(field.name) || field.name === 'id'
      push(field.name, print(optional ? nullable(field.type) : field.type))
    }
    for (const [field, { list }] of shape.ownerFields) push(field, list ? '[String]' : 'String')
    for (const field of groupsFields) push(field, '[String]')
    return lines
  }
  sdl.push(`input Create${name}Input {\n  ${inputFields('create').join('\n  ')}\n}`)
  sdl.push(`input Update${name}Input {\n  ${inputFields('update').join('\n  ')}\n}`)
  sdl.push(`input Delete${name}Input {\n  id: ID!\n}`)

  const filters: string[] = []
  const filterable = new Map<string, string>([['id', 'ModelIDInput']])
  for (const field of model.fields.values()) {
    const input = FILTER_INPUT[field.namedType]
    if (input && !field.list && isStorable(field, info)) filterable.set(field.name, input)
  }
  for (const [field, { list }] of shape.ownerFields) if (!list) filterable.set(field, 'ModelStringInput')
  for (const [field, input] of filterable) filters.push(`${field}: ${input}`)
  // The subscriptions' filter has the same fields, `and` and `or` but no `not` (as Amplify's v2).
  const subscriptionFilters = [
    ...filters,
    `and: [ModelSubscription${name}FilterInput]`,
    `or: [ModelSubscription${name}FilterInput]`,
  ]
  // The mutations' condition: the filter's fields but id, with `and`, `or` and `not` (as Amplify's).
  const conditions = [
    ...filters.filter((line) => !line.startsWith('id:')),
    `and: [Model${name}ConditionInput]`,
    `or: [Model${name}ConditionInput]`,
    `not: Model${name}ConditionInput`,
  ]
  filters.push(`and: [Model${name}FilterInput]`, `or: [Model${name}FilterInput]`, `not: Model${name}FilterInput`)
  sdl.push(`input Model${name}FilterInput {\n  ${filters.join('\n  ')}\n}`)
  sdl.push(`input ModelSubscription${name}FilterInput {\n  ${subscriptionFilters.join('\n  ')}\n}`)
  sdl.push(`input Model${name}ConditionInput {\n  ${conditions.join('\n  ')}\n}`)
  return sdl
}

function nullable(type: TypeNode): TypeNode {
  return type.kind === Kind.NON_NULL_TYPE ? type.type : type
}

export type { TypeInfo }
