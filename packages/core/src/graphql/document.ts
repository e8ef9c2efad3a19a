import { ConfigurationError } from '../errors/ConfigurationError'

/** Structurally the `TypedDocumentNode` of `@graphql-typed-document-node/core` (codegen, gql.tada). */
export interface TypedDocumentNode<TResult = Record<string, unknown>, TVariables = Record<string, unknown>> {
  readonly kind: 'Document'
  readonly definitions: readonly DefinitionLike[]
  readonly loc?: { readonly source: { readonly body: string } } | undefined
  /** Phantom type carrier; never set at runtime. */
  readonly __apiType?: ((variables: TVariables) => TResult) | undefined
}

/** A string document that carries its result and variable types (codegen's `TypedDocumentString`). */
export type TypedDocumentString<TResult, TVariables> = string & {
  readonly __apiType?: ((variables: TVariables) => TResult) | undefined
}

interface DefinitionLike {
  readonly kind: string
  readonly operation?: string | undefined
  readonly name?: { readonly value: string } | undefined
}

export type DocumentInput<TResult = unknown, TVariables = Record<string, unknown>> =
  string | TypedDocumentString<TResult, TVariables> | TypedDocumentNode<TResult, TVariables>

export type OperationType = 'query' | 'mutation' | 'subscription'

export interface PreparedDocument {
  readonly query: string
  readonly operationName: string | undefined
  readonly operationType: OperationType | undefined
}

interface Operation {
  readonly type: OperationType
  readonly name: string | undefined
}

/**
 * Turns a string or document node into the query text with its operation. A node needs its source
 * (`loc`), as graphql-tag and codegen emit by default: printing a bare AST would pull the whole
 * `graphql` printer into every bundle.
 */
export function prepareDocument(document: DocumentInput<unknown, never>, operationName?: string): PreparedDocument {
  let query: string
  let operations: Operation[]
  if (typeof document === 'string') {
    query = document
    operations = scanOperations(document)
  } else if (isDocumentNode(document)) {
    const body = document.loc?.source.body
    if (typeof body !== 'string') {
      throw new ConfigurationError(
        'The document node has no source text (`loc`): pass the query as a string, or keep locations in your codegen output.',
      )
    }
    query = body
    operations = document.definitions
      .filter((d) => d.kind === 'OperationDefinition')
      .map((d) => ({ type: (d.operation ?? 'query') as OperationType, name: d.name?.value }))
  } else {
    throw new ConfigurationError('`document` must be a GraphQL string or a document node.')
  }
  if (query.trim() === '') throw new ConfigurationError('`document` is empty.')
  const chosen =
    operationName === undefined ? operations[0] : operations.find((operation) => operation.name === operationName)
  if (operationName !== undefined && chosen === undefined) {
    throw new ConfigurationError(`The document has no operation named "${operationName}".`)
  }
  if (operationName === undefined && operations.length > 1) {
    throw new ConfigurationError('The document has several operations: pass `operationName` to choose one.')
  }
  return { query, operationName: operationName ?? chosen?.name, operationType: chosen?.type }
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y
const OPERATION_TYPES: readonly string[] = ['query', 'mutation', 'subscription']

/**
 * Finds top-level operations in a document string, skipping comments and strings. A definition
 * starts at the beginning or after a top-level `}`: there `query`, `mutation` or `subscription`
 * opens an operation (named by the next name, if any) and a bare `{` an anonymous query. What is
 * inside `{…}`, `(…)` or `[…]` (selection sets, variables, defaults, arguments) is never read as one.
 */
export function scanOperations(source: string): Operation[] {
  const operations: { type: OperationType; name: string | undefined }[] = []
  let depth = 0
  // The last significant top-level token: '' at the start, '}' after a definition.
  let previous = ''
  let naming = false
  let i = 0
  while (i < source.length) {
    const ch = source[i] ?? ''
    if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i++
      continue
    }
    if (/[\s,]/.test(ch)) {
      i++
      continue
    }
    if (ch === '"') {
      // A value, or a description before a definition: neither starts nor names one.
      const block = source.startsWith('"""', i)
      const end = block ? source.indexOf('"""', i + 3) : findStringEnd(source, i + 1)
      i = end < 0 ? source.length : end + (block ? 3 : 1)
      continue
    }
    NAME.lastIndex = i
    const name = NAME.exec(source)?.[0]
    const isName = name !== undefined
    const token = name ?? ch
    i += token.length
    if (token === '}' || token === ')' || token === ']') depth--
    if (depth === 0) {
      const operation = operations.at(-1)
      if (naming && isName && operation) operation.name = token
      const definitionStart = previous === '' || previous === '}'
      naming = definitionStart && isName && OPERATION_TYPES.includes(token)
      if (naming) operations.push({ type: token as OperationType, name: undefined })
      else if (definitionStart && token === '{') operations.push({ type: 'query', name: undefined })
      previous = token
    }
    if (token === '{' || token === '(' || token === '[') depth++
  }
  return operations
}

function isDocumentNode(value: unknown): value is TypedDocumentNode<unknown, never> {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Document'
}

function findStringEnd(source: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    if (source[i] === '\\') i++
    else if (source[i] === '"') return i
  }
  return -1
}
