// The arguments of a generated subscription (`onCreatePost(filter: …, author: …)`): read from the
// start's operation once, when it starts, and matched against each item before delivery.
import {
  getArgumentValues,
  getVariableValues,
  GraphQLError,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql'
import type { SubscriptionTarget } from '../schema/generate'
import { filterFields, matchesFilter } from '../schema/filter'
import type { Item } from '../schema/rules'
import type { Decoded } from './protocol'

/** A subscription's arguments, coerced: its `filter` and the owner arguments it was given. */
export interface SubscriptionArguments {
  /** `filter` as list queries take it (`undefined` or `null`: every item). */
  readonly filter: unknown
  /** Owner field → the owner asked for (only arguments given a non-null value). */
  readonly owners: ReadonlyMap<string, string>
  /** The item fields the filter and owner arguments name: the caller must be allowed to read them. */
  readonly fields: ReadonlySet<string>
}

/**
 * Coerces the root field's arguments with the start's variables, as execution would. A value of
 * the wrong shape (an unknown filter field in a variable) is a message for a `BadRequestException`.
 */
export function readArguments(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  node: FieldNode,
  context: { readonly variables: Record<string, unknown>; readonly target: SubscriptionTarget },
): Decoded<SubscriptionArguments> {
  const definition = schema.getSubscriptionType()?.getFields()[node.name.value]
  if (!definition) return { ok: false, message: `No subscription field ${node.name.value}.` }
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], context.variables, {
    maxErrors: 1,
  })
  if (variables.errors) return { ok: false, message: `Validation error: ${variables.errors[0]?.message ?? ''}` }
  let values: Record<string, unknown>
  try {
    values = getArgumentValues(definition, node, variables.coerced)
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error
    return { ok: false, message: `Validation error: ${error.message}` }
  }
  const owners = new Map<string, string>()
  for (const field of context.target.ownerArguments) {
    const value = values[field]
    if (typeof value === 'string') owners.set(field, value)
  }
  const fields = filterFields(values['filter'])
  for (const field of owners.keys()) fields.add(field)
  return { ok: true, value: { filter: values['filter'], owners, fields } }
}

/** Does the item pass the subscription's `filter` and match every owner argument given? */
export function matchesArguments(args: SubscriptionArguments, item: Item): boolean {
  if (!matchesFilter(args.filter, item)) return false
  for (const [field, owner] of args.owners) {
    const value = item[field]
    const stored = Array.isArray(value) ? value : [value]
    if (!stored.some((v) => typeof v === 'string' && sameOwner(owner, v))) return false
  }
  return true
}

// As the owner rules match: `<sub>::<username>` and a plain `<username>` name the same owner, so
// either form asked for matches either form stored; two different subs never match.
function sameOwner(asked: string, stored: string): boolean {
  return asked === stored || usernameOf(asked) === stored || usernameOf(stored) === asked
}

function usernameOf(owner: string): string | undefined {
  const at = owner.indexOf('::')
  return at === -1 ? undefined : owner.slice(at + 2)
}
