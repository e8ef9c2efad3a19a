// A start's `data` (JSON of `{ query, variables, operationName }`): parsed, validated against the
// schema, and tied to the generated subscription field it asks for.
import {
  getOperationAST,
  Kind,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql'
import type { SubscriptionKind } from '../schema/generate'
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
}

export interface OperationContext {
  readonly schema: GraphQLSchema
  readonly subscriptions: ReadonlyMap<string, { readonly model: string; readonly kind: SubscriptionKind }>
}

export function parseSubscription(data: string, context: OperationContext): Decoded<SubscriptionOperation> {
  let request: unknown
  try {
    request = JSON.parse(data)
  } catch {
    return { ok: false, message: 'The start payload data is not JSON of { query, variables }.' }
  }
  const { query, variables, operationName } = (typeof request === 'object' && request !== null ? request : {}) as {
    query?: unknown
    variables?: unknown
    operationName?: unknown
  }
  if (typeof query !== 'string' || query.trim() === '') return { ok: false, message: 'The start has no query.' }
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return { ok: false, message: 'variables must be a JSON object.' }
  }
  if (operationName != null && typeof operationName !== 'string') {
    return { ok: false, message: 'operationName must be a string.' }
  }
  let document: DocumentNode
  try {
    document = parse(query)
  } catch {
    return { ok: false, message: 'Unable to parse GraphQL query.' }
  }
  const errors = validate(context.schema, document)
  const [first] = errors
  if (first) return { ok: false, message: `Validation error: ${first.message}` }
  const operation = getOperationAST(document, operationName ?? undefined)
  if (!operation) return { ok: false, message: 'The query has no operation to run (or operationName is needed).' }
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return { ok: false, message: `The real-time endpoint runs subscriptions, not a ${operation.operation}.` }
  }
  // Validation allows one root field only (fragments are spread at most into that one field).
  const selection = operation.selectionSet.selections[0]
  const field = selection?.kind === Kind.FIELD ? selection.name.value : undefined
  const target = field === undefined ? undefined : context.subscriptions.get(field)
  if (field === undefined || !target) {
    return {
      ok: false,
      message: `Only the generated onCreate/onUpdate/onDelete subscriptions of @model types are served here${field === undefined ? '' : ` (not ${field})`}.`,
    }
  }
  return {
    ok: true,
    value: {
      document,
      variables: (variables ?? {}) as Record<string, unknown>,
      operationName: operationName ?? undefined,
      field,
      model: target.model,
      kind: target.kind,
    },
  }
}
