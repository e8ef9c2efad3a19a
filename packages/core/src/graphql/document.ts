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
  | string
  | TypedDocumentString<TResult, TVariables>
  | TypedDocumentNode<TResult, TVariables>

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
  } else if (typeof document === 'object' && (document as unknown) !== null && document.kind === 'Document') {
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

/** Finds top-level operations in a document string, skipping comments, strings and selection sets. */
export function scanOperations(source: string): Operation[] {
  const operations: Operation[] = []
  let depth = 0
  let i = 0
  while (i < source.length) {
    const ch = source[i]
    if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i++
    } else if (ch === '"') {
      const block = source.startsWith('"""', i)
      const end = block ? source.indexOf('"""', i + 3) : findStringEnd(source, i + 1)
      i = end < 0 ? source.length : end + (block ? 3 : 1)
      continue
    } else if (ch === '{') {
      if (depth === 0 && isAnonymousQuery(source, i)) operations.push({ type: 'query', name: undefined })
      depth++
    } else if (ch === '}') {
      depth--
    } else if (depth === 0 && ch !== undefined && /[A-Za-z_]/.test(ch)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))?.[0] ?? ''
      if (word === 'query' || word === 'mutation' || word === 'subscription') {
        const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(source.slice(i + word.length))?.[1]
        operations.push({ type: word, name })
        // Skip to the selection set so variable defaults are not read as keywords.
        const open = source.indexOf('{', i)
        i = open < 0 ? source.length : open
        continue
      }
      i += word.length
      // `fragment X on Y { … }`: its selection set is counted by depth below.
      continue
    }
    i++
  }
  return operations
}

function findStringEnd(source: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    if (source[i] === '\\') i++
    else if (source[i] === '"') return i
  }
  return -1
}

// A `{` at depth 0 opens an anonymous query unless it belongs to a named definition before it.
function isAnonymousQuery(source: string, index: number): boolean {
  const before = source.slice(0, index).replace(/#[^\n]*/g, '').trimEnd()
  return before === '' || before.endsWith('}')
}
