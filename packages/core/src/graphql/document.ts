import { ConfigurationError } from '../errors/ConfigurationError'

/** Default variables: `any` values so an `interface` (no index signature) fits; input only. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyVariables = Record<string, any>

/** Structurally the `TypedDocumentNode` of `@graphql-typed-document-node/core` (codegen, gql.tada). */
export interface TypedDocumentNode<TResult = Record<string, unknown>, TVariables = AnyVariables> {
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

export type DocumentInput<TResult = unknown, TVariables = AnyVariables> =
  string | TypedDocumentString<TResult, TVariables> | TypedDocumentNode<TResult, TVariables>

export type OperationType = 'query' | 'mutation' | 'subscription'

export interface PreparedDocument {
  readonly query: string
  readonly operationName: string | undefined
  readonly operationType: OperationType | undefined
}

interface Operation {
  readonly type: OperationType
  readonly name?: string | undefined
}

const scanned = new Map<string, readonly Operation[]>()

/**
 * The query text, operation name and type of a document (a string or a document node, e.g. from
 * graphql-codegen). A document with several operations needs `operationName`.
 */
export function prepareDocument(document: DocumentInput<unknown, never>, operationName?: string): PreparedDocument {
  let query: string | undefined
  let operations: readonly Operation[]
  if (typeof document === 'string') {
    query = document
    operations = scanned.get(document) ?? scanOperations(document)
    // Apps send the same few documents again and again: scan each once (a bounded cache).
    if (scanned.size < 200) scanned.set(document, operations)
  } else if ((document as { kind?: unknown } | null)?.kind === 'Document') {
    query = document.loc?.source.body
    if (typeof query !== 'string') {
      throw new ConfigurationError(
        'The document node has no `loc`: pass the query string, or keep `loc` in codegen output.',
      )
    }
    operations = document.definitions
      .filter((d) => d.kind === 'OperationDefinition')
      .map((d) => ({ type: (d.operation ?? 'query') as OperationType, name: d.name?.value }))
  } else {
    throw new ConfigurationError('`document` must be a GraphQL string or a document node.')
  }
  if (!query.trim()) throw new ConfigurationError('`document` is empty.')
  const chosen = operations.find((operation) => operationName === undefined || operation.name === operationName)
  if (operationName === undefined ? operations.length > 1 : !chosen) {
    throw new ConfigurationError(
      operationName === undefined
        ? 'The document has several operations: pass `operationName`.'
        : `The document has no operation named "${operationName}".`,
    )
  }
  return { query, operationName: operationName ?? chosen?.name, operationType: chosen?.type }
}

// Comments, strings (block or not, possibly unterminated), names, and single characters.
// eslint-disable-next-line @typescript-eslint/no-inferrable-types -- isolatedDeclarations needs the type
export const TOKEN: RegExp = /#.*|"""[\s\S]*?(?:"""|$)|"(?:\\[\s\S]|[^"\\])*"?|[A-Za-z_]\w*|[^\s,]/g

/**
 * The operations of a GraphQL document, in order, found without a parser: at the top level a
 * definition starts with `query`, `mutation`, `subscription` (then an optional name) or `{`
 * (a query); fragments are left out. Strings and comments are skipped.
 */
export function scanOperations(source: string): Operation[] {
  const operations: Operation[] = []
  let depth = 0
  // The last significant top-level token: '' at the start, '}' after a definition.
  let previous = ''
  // The operation just opened by its keyword: the next top-level token may be its name.
  let naming: { type: OperationType; name?: string } | undefined
  for (const [token] of source.matchAll(TOKEN)) {
    if ('#"'.includes(token.charAt(0))) continue
    if ('})]'.includes(token)) depth--
    if (!depth) {
      if (naming && /^[A-Za-z_]/.test(token)) naming.name = token
      naming = undefined
      if (previous === '' || previous === '}') {
        if (/^(query|mutation|subscription)$/.test(token)) operations.push((naming = { type: token as OperationType }))
        else if (token === '{') operations.push({ type: 'query' })
      }
      previous = token
    }
    if ('{(['.includes(token)) depth++
  }
  return operations
}
