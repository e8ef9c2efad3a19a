// Runs GraphQL requests for a verified caller: generated @model resolvers over the data store,
// @auth rules and AppSync's plain directives on every field, AppSync's error shapes.
import { randomUUID } from 'node:crypto'
import type { Clock } from '@authmode/core'
import {
  defaultFieldResolver,
  execute,
  getOperationAST,
  OperationTypeNode,
  GraphQLError,
  GraphQLObjectType,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
} from 'graphql'
import type { Caller, LocalAuthMode } from '../auth/caller'
import type { DataStore, StoredItem } from '../store/dataStore'
import { conditionalCheckFailed, notAuthorized, ResolverError } from './errors'
import { compareKeys, filterFields, matchesField, matchesFilter } from './filter'
import type { BuiltSchema, ModelShape, SubscriptionKind } from './generate'
import type { AuthRule, IndexInfo, TypeInfo } from './model'
import {
  allows,
  allowsRead,
  defaultRules,
  isBackend,
  mayAllow,
  ownerIdentity,
  plainAllows,
  ruleMatchesCaller,
} from './rules'

/** What custom resolvers get as `context`. */
export interface ResolverContext {
  readonly caller: Caller
  readonly store: DataStore
}

/**
 * A resolver for a field the schema declares itself (not a generated @model operation).
 * AppSync's plain directives are checked before it runs.
 */
export type LocalResolver = (
  source: unknown,
  args: Record<string, unknown>,
  context: ResolverContext,
  info: GraphQLResolveInfo,
) => unknown

/** `{ Query: { whoami: (source, args, { caller }) => … } }`. */
export type LocalResolvers = Readonly<Record<string, Readonly<Record<string, LocalResolver>>>>

interface RequestContext extends ResolverContext {
  /** Items a generated resolver already authorized for this caller (read checks are not repeated). */
  readonly readable: WeakSet<object>
  /** Items the generated mutations of this request wrote: published once the request is done. */
  readonly changes: ModelChange[]
}

/** A generated mutation's item, after it was written: what triggers subscriptions. */
export interface ModelChange {
  readonly model: string
  readonly kind: SubscriptionKind
  readonly item: StoredItem
}

/** One subscription event to shape for one subscriber. */
export interface EventRun {
  readonly document: DocumentNode
  readonly variables: Record<string, unknown>
  readonly operationName: string | undefined
  /** The subscription's root field (`onCreatePost`). */
  readonly field: string
  readonly item: StoredItem
  readonly caller: Caller
}

/** A request body read by `ExecutableApi.prepare`: ready to run, malformed (400), or invalid for the schema. */
export type PreparedRequest =
  | {
      readonly ok: true
      readonly document: DocumentNode
      readonly variables: Record<string, unknown>
      readonly operationName: string | undefined
    }
  | { readonly ok: false; readonly malformed: string }
  | { readonly ok: false; readonly invalid: readonly GraphQLError[] }

/** An AppSync answer: HTTP status and JSON body. */
export interface GraphQLAnswer {
  readonly status: number
  readonly body: unknown
}

export interface ExecutableApiOptions {
  readonly built: BuiltSchema
  readonly store: DataStore
  readonly defaultMode: LocalAuthMode
  readonly clock: Clock
  readonly resolvers?: LocalResolvers | undefined
  /** Called for each item a generated mutation wrote, after its request was executed. */
  readonly onChange?: ((change: ModelChange) => void) | undefined
}

interface FieldCheck {
  readonly caller: Caller
  readonly operation: 'create' | 'update'
  readonly item: StoredItem
  readonly info: GraphQLResolveInfo
}

interface ConditionCheck extends Omit<FieldCheck, 'operation'> {
  /** What the condition is matched against: the item before the write ({} on create). */
  readonly stored: StoredItem
}

interface ListRun {
  readonly rules: readonly AuthRule[]
  readonly args: Record<string, unknown>
  readonly context: RequestContext
  readonly info: GraphQLResolveInfo
}

const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000

export class ExecutableApi {
  readonly #options: ExecutableApiOptions
  readonly #documents = new Map<string, DocumentNode>()

  constructor(options: ExecutableApiOptions) {
    this.#options = options
    this.#attachResolvers()
  }

  /**
   * Reads a request body (already parsed JSON: `{ query, variables?, operationName? }`, over HTTP or
   * in a real-time `start`): the fields checked, the query parsed and validated against the schema
   * (each query once: the documents are cached). Not yet run.
   */
  prepare(body: unknown): PreparedRequest {
    const request = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
    const { query, variables, operationName } = request
    if (typeof query !== 'string' || query.trim() === '')
      return { ok: false, malformed: 'The request has no GraphQL query.' }
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
      return { ok: false, malformed: 'variables must be a JSON object.' }
    }
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
      return { ok: false, malformed: 'operationName must be a string.' }
    }
    let document = this.#documents.get(query)
    if (!document) {
      try {
        document = parse(query)
      } catch {
        return { ok: false, malformed: 'Unable to parse GraphQL query.' }
      }
      const errors = validate(this.#options.built.schema, document)
      if (errors.length > 0) return { ok: false, invalid: errors }
      if (this.#documents.size > 500) this.#documents.clear()
      this.#documents.set(query, document)
    }
    return {
      ok: true,
      document,
      variables: (variables ?? {}) as Record<string, unknown>,
      operationName: operationName ?? undefined,
    }
  }

  /** Runs one request body (already parsed JSON) for a verified caller. */
  async run(body: unknown, caller: Caller): Promise<GraphQLAnswer> {
    const prepared = this.prepare(body)
    if (!prepared.ok) {
      return 'malformed' in prepared
        ? malformed(prepared.malformed)
        : {
            status: 200,
            body: {
              data: null,
              errors: prepared.invalid.map((e) => formatError(e, `Validation error: ${e.message}`)),
            },
          }
    }
    const { document, variables, operationName } = prepared
    const operation = getOperationAST(document, operationName)
    if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
      return malformed('Subscriptions are served over the real-time WebSocket at /graphql/realtime, not POST /graphql.')
    }
    const changes: ModelChange[] = []
    const contextValue: RequestContext = { caller, store: this.#options.store, readable: new WeakSet(), changes }
    const result = await execute({
      schema: this.#options.built.schema,
      document,
      contextValue,
      variableValues: variables,
      operationName,
    })
    const answer: Record<string, unknown> = { data: result.data ?? null }
    if (result.errors && result.errors.length > 0) answer['errors'] = result.errors.map((e) => formatError(e))
    for (const change of changes) this.#options.onChange?.(change)
    return { status: 200, body: answer }
  }

  /** May `caller` subscribe to `model` at all: could the type's rules let it read any item? */
  maySubscribe(model: string, caller: Caller): boolean {
    const shape = this.#options.built.models.get(model)
    if (!shape) return false
    const rules = this.#rulesOf(shape)
    return mayAllow(rules, caller, 'get') || mayAllow(rules, caller, 'list')
  }

  /**
   * May `caller` filter `model` on these fields at all (a subscription's filter and owner
   * arguments)? Not when a field's own rules could never let it read the field.
   */
  mayFilter(model: string, caller: Caller, fields: ReadonlySet<string>): boolean {
    const shape = this.#options.built.models.get(model)
    return shape !== undefined && this.#mayFilterOn(shape, caller, fields)
  }

  /**
   * May `caller` receive this item of `model`: do the type's rules let it read (get or list) the
   * item, and the field rules each of `fields` (those its filter names) on this item?
   */
  mayRead(model: string, caller: Caller, item: StoredItem, fields: ReadonlySet<string> = new Set()): boolean {
    const shape = this.#options.built.models.get(model)
    return (
      shape !== undefined &&
      (isBackend(caller) ||
        (allowsRead(this.#rulesOf(shape), caller, item) && this.#readsFields(shape, caller, fields, item)))
    )
  }

  /**
   * Shapes one event for one subscriber: its own selection set over the item, field-level rules
   * applied as in a query (a field it may not read is null, with an `Unauthorized` error).
   */
  async runEvent(event: EventRun): Promise<Record<string, unknown>> {
    const contextValue: RequestContext = {
      caller: event.caller,
      store: this.#options.store,
      readable: new WeakSet(),
      changes: [],
    }
    const result = await execute({
      schema: this.#options.built.schema,
      document: event.document,
      rootValue: { [event.field]: structuredClone(event.item) },
      contextValue,
      variableValues: event.variables,
      operationName: event.operationName,
    })
    const payload: Record<string, unknown> = { data: result.data ?? null }
    if (result.errors && result.errors.length > 0) payload['errors'] = result.errors.map((e) => formatError(e))
    return payload
  }

  #attachResolvers(): void {
    const { built, resolvers } = this.#options
    for (const type of Object.values(built.schema.getTypeMap())) {
      if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue
      const info = built.info.types.get(type.name)
      const model = built.models.get(type.name)
      const isRoot = type === built.schema.getQueryType() || type === built.schema.getMutationType()
      const isSubscription = type === built.schema.getSubscriptionType()
      for (const field of Object.values(type.getFields())) {
        // Generated subscription fields resolve to the event's item (the root value); see runEvent.
        if (isSubscription && built.subscriptions.has(field.name)) continue
        const generated = isRoot ? built.generated.get(field.name) : undefined
        if (generated) {
          const shape = built.models.get(generated.model)
          if (shape) field.resolve = this.#generatedResolver(shape, generated.kind, generated.index)
          continue
        }
        const custom = resolvers?.[type.name]?.[field.name] as GraphQLFieldResolver<unknown, RequestContext> | undefined
        const resolve = custom ?? defaultFieldResolver
        if (model) field.resolve = this.#modelFieldResolver(model, field.name, resolve)
        else if (info) field.resolve = this.#plainFieldResolver(info, field.name, resolve)
        // Generated connection types: their items were authorized by the list resolver.
      }
      for (const field of Object.values(type.getFields())) field.resolve = deniedToLambda(type.name, field.resolve)
    }
  }

  #rulesOf(shape: ModelShape): readonly AuthRule[] {
    return shape.info.rules ?? defaultRules(this.#options.defaultMode)
  }

  // A filter or condition may only name fields the caller could read: otherwise its answer (which
  // items match, whether a write happens) would tell the value AppSync's field rules hide.
  #mayFilterOn(shape: ModelShape, caller: Caller, fields: ReadonlySet<string>): boolean {
    if (isBackend(caller)) return true
    for (const field of fields) {
      const rules = shape.info.fields.get(field)?.rules
      if (rules && !mayAllow(rules, caller, 'get') && !mayAllow(rules, caller, 'list')) return false
    }
    return true
  }

  /** Owner and dynamic group field rules depend on the item: may `caller` read these fields of this one? */
  #readsFields(shape: ModelShape, caller: Caller, fields: ReadonlySet<string>, item: StoredItem): boolean {
    if (isBackend(caller)) return true
    for (const field of fields) {
      const rules = shape.info.fields.get(field)?.rules
      if (rules && !allowsRead(rules, caller, item)) return false
    }
    return true
  }

  #plainFieldResolver(
    type: TypeInfo,
    fieldName: string,
    resolve: GraphQLFieldResolver<unknown, RequestContext>,
  ): GraphQLFieldResolver<unknown, RequestContext> {
    const plain = type.fields.get(fieldName)?.plain ?? type.plain
    const defaultMode = this.#options.defaultMode
    return (source, args, context, info) => {
      if (!plainAllows(plain, defaultMode, context.caller)) throw notAuthorized(info)
      return resolve(source, args, context, info)
    }
  }

  #modelFieldResolver(
    shape: ModelShape,
    fieldName: string,
    resolve: GraphQLFieldResolver<unknown, RequestContext>,
  ): GraphQLFieldResolver<unknown, RequestContext> {
    const fieldRules = shape.info.fields.get(fieldName)?.rules
    const typeRules = this.#rulesOf(shape)
    return (source, args, context, info) => {
      const item = (source ?? {}) as StoredItem
      if (!isBackend(context.caller)) {
        if (fieldRules) {
          if (!allowsRead(fieldRules, context.caller, item)) throw notAuthorized(info)
        } else if (typeof source !== 'object' || source === null || !context.readable.has(source)) {
          if (!allowsRead(typeRules, context.caller, item)) throw notAuthorized(info)
          if (typeof source === 'object' && source !== null) context.readable.add(source)
        }
      }
      return resolve(source, args, context, info)
    }
  }

  #generatedResolver(
    shape: ModelShape,
    kind: 'get' | 'list' | 'create' | 'update' | 'delete',
    index?: IndexInfo,
  ): GraphQLFieldResolver<unknown, RequestContext> {
    const rules = this.#rulesOf(shape)
    const type = shape.info.name
    const now = (): string => new Date(this.#options.clock.now()).toISOString()
    return (_source, args: Record<string, unknown>, context, info) => {
      const { caller, store } = context
      const operation = kind
      if (!mayAllow(rules, caller, operation)) throw notAuthorized(info)
      switch (kind) {
        case 'get': {
          const item = store.get(type, String(args['id']))
          if (!item) return null
          if (!allows(rules, caller, 'get', item)) throw notAuthorized(info)
          context.readable.add(item)
          return item
        }
        case 'list':
          return this.#list(shape, { rules, args, context, info }, index)
        case 'create': {
          const input = args['input'] as Record<string, unknown>
          const id = typeof input['id'] === 'string' && input['id'] !== '' ? input['id'] : randomUUID()
          const stamp = now()
          const item: Record<string, unknown> = { ...input, id, createdAt: stamp, updatedAt: stamp }
          this.#populateOwners(shape, rules, caller, item)
          if (!allows(rules, caller, 'create', item)) throw notAuthorized(info)
          this.#checkFieldRules(shape, Object.keys(input), { caller, operation: 'create', item, info })
          if (store.get(type, id)) throw conditionalCheckFailed()
          // Matched against the stored item, as DynamoDB does: there is none yet.
          this.#checkCondition(shape, args['condition'], { caller, item, info, stored: {} })
          store.put(type, item as StoredItem & { id: string })
          context.readable.add(item)
          context.changes.push({ model: type, kind: 'create', item })
          return item
        }
        case 'update': {
          const input = args['input'] as Record<string, unknown>
          const id = String(input['id'])
          const existing = store.get(type, id)
          if (!existing) throw conditionalCheckFailed()
          if (!allows(rules, caller, 'update', existing)) throw notAuthorized(info)
          this.#checkFieldRules(shape, Object.keys(input), { caller, operation: 'update', item: existing, info })
          this.#checkCondition(shape, args['condition'], { caller, item: existing, info, stored: existing })
          const item: Record<string, unknown> = { ...existing, ...input, id, updatedAt: now() }
          store.put(type, item as StoredItem & { id: string })
          context.readable.add(item)
          context.changes.push({ model: type, kind: 'update', item })
          return item
        }
        case 'delete': {
          const input = args['input'] as Record<string, unknown>
          const id = String(input['id'])
          const existing = store.get(type, id)
          if (!existing) throw conditionalCheckFailed()
          if (!allows(rules, caller, 'delete', existing)) throw notAuthorized(info)
          this.#checkCondition(shape, args['condition'], { caller, item: existing, info, stored: existing })
          store.delete(type, id)
          context.readable.add(existing)
          context.changes.push({ model: type, kind: 'delete', item: existing })
          return existing
        }
      }
    }
  }

  /** A list, or with `index` a query of that index: the items with its partition key, in sort key order. */
  #list(shape: ModelShape, run: ListRun, index?: IndexInfo): unknown {
    const { rules, args, context, info } = run
    const { caller } = context
    const limit = typeof args['limit'] === 'number' ? Math.min(Math.max(args['limit'], 1), MAX_LIMIT) : DEFAULT_LIMIT
    const offset = decodeNextToken(args['nextToken'])
    const fields = filterFields(args['filter'])
    const [sortKey] = index?.sortKeyFields ?? []
    const keyCondition =
      sortKey === undefined ? undefined : (args[sortKey] as Record<string, unknown> | null | undefined)
    // The index's keys are read like a filter's fields: their answer tells their values.
    if (index) fields.add(index.field)
    if (sortKey !== undefined && keyCondition) fields.add(sortKey)
    if (!this.#mayFilterOn(shape, caller, fields)) throw notAuthorized(info)
    let stored = context.store.list(shape.info.name)
    if (index) {
      // An item is in an index only with all of its key fields set (as in DynamoDB).
      const matching = stored.filter(
        (item) =>
          item[index.field] === args[index.field] &&
          (sortKey === undefined ||
            (item[sortKey] !== undefined &&
              item[sortKey] !== null &&
              (!keyCondition || matchesField(keyCondition, item[sortKey])))),
      )
      if (sortKey !== undefined) {
        const order = args['sortDirection'] === 'DESC' ? -1 : 1
        // In place: the filter made a new array.
        matching.sort((a, b) => order * compareKeys(a[sortKey], b[sortKey]))
      }
      stored = matching
    }
    // Filtered to what the caller may read before paging, as Amplify's list resolvers do; an item
    // whose filtered fields the caller may not read never matches, whatever their values.
    const visible = stored.filter(
      (item) =>
        allows(rules, caller, 'list', item) &&
        this.#readsFields(shape, caller, fields, item) &&
        matchesFilter(args['filter'], item),
    )
    const items = visible.slice(offset, offset + limit)
    for (const item of items) context.readable.add(item)
    const next = offset + limit
    return { items, nextToken: next < visible.length ? encodeNextToken(next) : null }
  }

  /** Owner fields left empty on create are set to the caller's identity (`<sub>::<username>` by default). */
  #populateOwners(shape: ModelShape, rules: readonly AuthRule[], caller: Caller, item: Record<string, unknown>): void {
    const fieldRules = [...shape.info.fields.values()].flatMap((f) => f.rules ?? [])
    for (const rule of [...rules, ...fieldRules]) {
      if (rule.allow !== 'owner' || !ruleMatchesCaller(rule, caller)) continue
      const current = item[rule.ownerField]
      if (current !== undefined && current !== null) continue
      const identity = ownerIdentity(rule, caller)
      if (identity === undefined) continue
      item[rule.ownerField] = shape.ownerFields.get(rule.ownerField)?.list ? [identity] : identity
    }
  }

  /**
   * A mutation's `condition`: the write happens only when the stored item matches it
   * (ConditionalCheckFailedException otherwise). A condition naming a field the caller may not
   * read on the item is Unauthorized: whether the write happened would tell its value.
   */
  #checkCondition(shape: ModelShape, condition: unknown, check: ConditionCheck): void {
    const { caller, item, info, stored } = check
    if (condition === undefined || condition === null) return
    const fields = filterFields(condition)
    if (!this.#mayFilterOn(shape, caller, fields) || !this.#readsFields(shape, caller, fields, item)) {
      throw notAuthorized(info)
    }
    if (!matchesFilter(condition, stored)) throw conditionalCheckFailed()
  }

  /** Field-level rules: setting a protected field needs its own rule for the operation. */
  #checkFieldRules(shape: ModelShape, fields: readonly string[], check: FieldCheck): void {
    const { caller, operation, item, info } = check
    for (const name of fields) {
      if (name === 'id') continue
      const fieldRules = shape.info.fields.get(name)?.rules
      if (fieldRules && !allows(fieldRules, caller, operation, item)) throw notAuthorized(info)
    }
  }
}

/**
 * A Lambda authorizer's `deniedFields`: the field answers null with `Unauthorized`, and its
 * resolver does not run (a denied mutation writes nothing).
 */
function deniedToLambda(
  type: string,
  resolve: GraphQLFieldResolver<unknown, RequestContext> | undefined,
): GraphQLFieldResolver<unknown, RequestContext> {
  const field = resolve ?? (defaultFieldResolver as GraphQLFieldResolver<unknown, RequestContext>)
  return (source, args, context, info) => {
    const { caller } = context
    if (caller.mode === 'lambda' && caller.deniedFields.has(`${type}.${info.fieldName}`)) throw notAuthorized(info)
    return field(source, args, context, info)
  }
}

function malformed(message: string): GraphQLAnswer {
  return { status: 400, body: { errors: [{ errorType: 'MalformedHttpRequestException', message }] } }
}

/** AppSync's error entry: path, data, errorType, errorInfo, locations (with sourceName), message. */
function formatError(error: GraphQLError, message = error.message): Record<string, unknown> {
  const original = error.originalError
  const errorType = original instanceof ResolverError ? original.errorType : undefined
  return {
    path: error.path ?? null,
    data: null,
    ...(errorType === undefined ? {} : { errorType }),
    errorInfo: null,
    locations: (error.locations ?? []).map((l) => ({ line: l.line, column: l.column, sourceName: null })),
    message:
      original && !(original instanceof ResolverError) && !(original instanceof GraphQLError)
        ? 'Resolver error: ' + original.message
        : message,
  }
}

function encodeNextToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url')
}

function decodeNextToken(token: unknown): number {
  if (typeof token !== 'string' || token === '') return 0
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown }
    return typeof parsed.offset === 'number' && parsed.offset >= 0 ? parsed.offset : 0
  } catch {
    return 0
  }
}
