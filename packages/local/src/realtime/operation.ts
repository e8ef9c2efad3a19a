// A start's `data` (JSON of `{ query, variables, operationName }`): parsed, validated against the
// schema, and tied to the generated subscription field it asks for.
import { getOperationAST, Kind, OperationTypeNode, type DocumentNode, type GraphQLSchema } from 'graphql'
import type { ExecutableApi } from '../schema/executable'
import type { SubscriptionKind, SubscriptionTarget } from '../schema/generate'
import { readArguments, type SubscriptionArguments } from './arguments'
import type { Decoded } from './protocol'

/** A validated subscription operation on one generated field. */
export interface SubscriptionOperation {
  readonly document: DocumentNode
  readonly variables: Record<string, unknown>
  readonly operationName: string | undefined
  /** The root field (`onCreatePost`). */
  readonly field: string
  readonly model: string
  readonly kind: SubscriptionKind
  /** The field's `filter` and owner arguments, coerced with the variables. */
  readonly arguments: SubscriptionArguments
}

export interface OperationContext {
  readonly schema: GraphQLSchema
  readonly subscriptions: ReadonlyMap<string, SubscriptionTarget>
  /** Reads `{ query, variables, operationName }` as HTTP requests are read (the same checks and cache). */
  readonly api: Pick<ExecutableApi, 'prepare'>
}

export function parseSubscription(data: string, context: OperationContext): Decoded<SubscriptionOperation> {
  let request: unknown
  try {
    request = JSON.parse(data)
  } catch {
    return { ok: false, message: 'The start payload data is not JSON of { query, variables }.' }
  }
  const prepared = context.api.prepare(request)
  if (!prepared.ok) {
    return {
      ok: false,
      message: 'malformed' in prepared ? prepared.malformed : `Validation error: ${prepared.invalid[0]?.message ?? ''}`,
    }
  }
  const { document, variables, operationName } = prepared
  const operation = getOperationAST(document, operationName)
  if (!operation) return { ok: false, message: 'The query has no operation to run (or operationName is needed).' }
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return { ok: false, message: `The real-time endpoint runs subscriptions, not a ${operation.operation}.` }
  }
  // Validation allows one root field only (fragments are spread at most into that one field).
  const selection = operation.selectionSet.selections[0]
  const node = selection?.kind === Kind.FIELD ? selection : undefined
  const field = node?.name.value
  const target = field === undefined ? undefined : context.subscriptions.get(field)
  if (node === undefined || field === undefined || !target) {
    return {
      ok: false,
      message: `Only the generated onCreate/onUpdate/onDelete subscriptions of @model types are served here${field === undefined ? '' : ` (not ${field})`}.`,
    }
  }
  const args = readArguments(context.schema, operation, node, { variables, target })
  if (!args.ok) return args
  return {
    ok: true,
    value: {
      document,
      variables,
      operationName,
      field,
      model: target.model,
      kind: target.kind,
      arguments: args.value,
    },
  }
}
