import { describe, it, expect } from 'vitest'
import { ConfigurationError } from '../errors/ConfigurationError'
import { prepareDocument, scanOperations, type TypedDocumentNode } from './document'

describe('prepareDocument: strings', () => {
  it.each([
    ['query GetPost($id: ID!) { getPost(id: $id) { id } }', 'query', 'GetPost'],
    ['mutation CreatePost { createPost { id } }', 'mutation', 'CreatePost'],
    ['subscription OnCreatePost { onCreatePost { id } }', 'subscription', 'OnCreatePost'],
    ['  \n\tquery\n  Spaced\n{ a }', 'query', 'Spaced'],
    ['query { a }', 'query', undefined],
    ['mutation($x: Int) { a(x: $x) }', 'mutation', undefined],
  ] as const)('%j is a %s named %s', (source, type, name) => {
    expect(prepareDocument(source)).toEqual({ query: source, operationType: type, operationName: name })
  })

  it('reads an anonymous `{ … }` document as a query without a name', () => {
    const source = '{ listPosts { items { id } } }'
    expect(prepareDocument(source)).toEqual({ query: source, operationType: 'query', operationName: undefined })
  })

  it('keeps the text exactly as given', () => {
    const source = '# leading comment\nquery Q { a }\n'
    expect(prepareDocument(source).query).toBe(source)
  })

  it('ignores keywords in comments', () => {
    const source = '# mutation Fake { x }\n# {\nquery Real { a # subscription S { b }\n }'
    expect(prepareDocument(source)).toMatchObject({ operationType: 'query', operationName: 'Real' })
  })

  it('ignores keywords and braces in strings and block strings', () => {
    const source = [
      '"""',
      'mutation Fake { x } {',
      '"""',
      'query Real { search(text: "mutation M { } \\" {") { id } note(s: """ subscription { """) }',
    ].join('\n')
    expect(scanOperations(source)).toEqual([{ type: 'query', name: 'Real' }])
    expect(prepareDocument(source)).toMatchObject({ operationType: 'query', operationName: 'Real' })
  })

  it('ignores fields named like keywords inside selection sets', () => {
    const source = 'query Q { mutation subscription query { query } }'
    expect(scanOperations(source)).toEqual([{ type: 'query', name: 'Q' }])
  })

  it('finds the operation after fragments', () => {
    const source = 'fragment PostFields on Post { id title }\n\nmutation Save { save { ...PostFields } }'
    expect(prepareDocument(source)).toMatchObject({ operationType: 'mutation', operationName: 'Save' })
  })

  it('finds the operation before fragments', () => {
    const source = 'subscription OnPost { onPost { ...PostFields } }\nfragment PostFields on Post { id }'
    expect(prepareDocument(source)).toMatchObject({ operationType: 'subscription', operationName: 'OnPost' })
  })

  it('finds an anonymous query after a fragment', () => {
    const source = 'fragment F on Post { id }\n{ listPosts { ...F } }'
    expect(scanOperations(source)).toEqual([{ type: 'query', name: undefined }])
  })

  it('finds an anonymous query after a fragment whose selection holds a "#" in a string', () => {
    const source = 'fragment F on Post { tag(name: "#news") }\n{ listPosts { ...F } }'
    expect(scanOperations(source)).toEqual([{ type: 'query', name: undefined }])
  })

  it('does not take a fragment selection set for an anonymous query', () => {
    const source = 'query Q { a { ...F } }\nfragment F on A @include(if: true) { b }'
    expect(scanOperations(source)).toEqual([{ type: 'query', name: 'Q' }])
  })

  it('reads variables with default values, including keywords, strings, lists and objects', () => {
    const source =
      'query Search($kind: Kind = mutation, $text: String = "query X {", $tags: [String] = ["{", "}"], $in: In = { a: { b: 1 } }) { search { id } }'
    expect(scanOperations(source)).toEqual([{ type: 'query', name: 'Search' }])
    expect(prepareDocument(source)).toMatchObject({ operationType: 'query', operationName: 'Search' })
  })

  it('counts an operation that follows one with a "{" in a default value', () => {
    const source = 'query A($s: String = "{") { a(s: $s) }\nquery B { b }'
    expect(scanOperations(source)).toEqual([
      { type: 'query', name: 'A' },
      { type: 'query', name: 'B' },
    ])
  })

  it('counts an operation that follows one with a commented-out "{" among its variables', () => {
    const source = 'query A(\n  # {\n  $s: String\n) { a(s: $s) }\nmutation B { b }'
    expect(scanOperations(source)).toEqual([
      { type: 'query', name: 'A' },
      { type: 'mutation', name: 'B' },
    ])
  })

  it('reads directives on operations', () => {
    const source = 'query Q @cached(ttl: 60, opts: { a: "{" }) { a }\nmutation M { m }'
    expect(scanOperations(source)).toEqual([
      { type: 'query', name: 'Q' },
      { type: 'mutation', name: 'M' },
    ])
  })

  it('does not take a fragment variable named like a keyword for an operation', () => {
    const source = 'query Q($mutation: Boolean!) { ...F }\nfragment F on Query @include(if: $mutation) { a }'
    expect(scanOperations(source)).toEqual([{ type: 'query', name: 'Q' }])
  })

  it('reads a description before an operation', () => {
    const source = '"""\nLists posts { query }\n"""\nquery ListPosts { listPosts { id } }'
    expect(scanOperations(source)).toEqual([{ type: 'query', name: 'ListPosts' }])
  })

  it('names operations and fragments whatever their names spell', () => {
    expect(scanOperations('query query { a }')).toEqual([{ type: 'query', name: 'query' }])
    expect(scanOperations('fragment mutation on subscription { a }\nquery Q { ...mutation }')).toEqual([
      { type: 'query', name: 'Q' },
    ])
  })

  it('reads a name after a comment, and an anonymous operation with a directive', () => {
    expect(scanOperations('mutation # the name follows\n  Save { save }')).toEqual([{ type: 'mutation', name: 'Save' }])
    expect(scanOperations('subscription @live { onPost { id } }')).toEqual([{ type: 'subscription', name: undefined }])
  })

  it('counts several anonymous queries', () => {
    expect(scanOperations('{ a } { b }')).toEqual([
      { type: 'query', name: undefined },
      { type: 'query', name: undefined },
    ])
    expect(() => prepareDocument('{ a } { b }')).toThrow(ConfigurationError)
  })

  it('scans a large document in linear time', () => {
    const source = `query Big { ${'field(arg: "x") { sub } '.repeat(20_000)} }`
    const started = performance.now()
    expect(scanOperations(source)).toEqual([{ type: 'query', name: 'Big' }])
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

describe('prepareDocument: several operations', () => {
  const source = 'query ListPosts { listPosts { id } }\nmutation CreatePost { createPost { id } }'

  it('needs operationName', () => {
    expect(() => prepareDocument(source)).toThrow(ConfigurationError)
    expect(() => prepareDocument(source)).toThrow(/operationName/)
  })

  it('picks the operation named', () => {
    expect(prepareDocument(source, 'CreatePost')).toEqual({
      query: source,
      operationType: 'mutation',
      operationName: 'CreatePost',
    })
    expect(prepareDocument(source, 'ListPosts')).toMatchObject({ operationType: 'query', operationName: 'ListPosts' })
  })

  it('rejects a name the document does not have', () => {
    expect(() => prepareDocument(source, 'DeletePost')).toThrow(ConfigurationError)
    expect(() => prepareDocument(source, 'DeletePost')).toThrow(/DeletePost/)
  })

  it('rejects an operationName for a document whose only operation is anonymous', () => {
    expect(() => prepareDocument('{ a }', 'A')).toThrow(ConfigurationError)
  })
})

describe('prepareDocument: document nodes', () => {
  function node(body: string | undefined, definitions: TypedDocumentNode['definitions']): TypedDocumentNode {
    return body === undefined
      ? { kind: 'Document', definitions }
      : { kind: 'Document', definitions, loc: { source: { body } } }
  }

  it('takes the text from loc.source.body and the operation from the definitions', () => {
    const body = 'fragment F on Post { id }\nmutation CreatePost { createPost { ...F } }'
    const document = node(body, [
      { kind: 'FragmentDefinition', name: { value: 'F' } },
      { kind: 'OperationDefinition', operation: 'mutation', name: { value: 'CreatePost' } },
    ])
    expect(prepareDocument(document)).toEqual({ query: body, operationType: 'mutation', operationName: 'CreatePost' })
  })

  it('reads an anonymous operation node', () => {
    const document = node('{ a }', [{ kind: 'OperationDefinition', operation: 'query' }])
    expect(prepareDocument(document)).toEqual({ query: '{ a }', operationType: 'query', operationName: undefined })
  })

  it('needs operationName when the node has several operations', () => {
    const document = node('query A { a } query B { b }', [
      { kind: 'OperationDefinition', operation: 'query', name: { value: 'A' } },
      { kind: 'OperationDefinition', operation: 'query', name: { value: 'B' } },
    ])
    expect(() => prepareDocument(document)).toThrow(ConfigurationError)
    expect(prepareDocument(document, 'B')).toMatchObject({ operationType: 'query', operationName: 'B' })
  })

  it('throws a ConfigurationError for a node without loc', () => {
    const document = node(undefined, [{ kind: 'OperationDefinition', operation: 'query', name: { value: 'Q' } }])
    expect(() => prepareDocument(document)).toThrow(ConfigurationError)
    expect(() => prepareDocument(document)).toThrow(/loc/)
  })

  it('throws a ConfigurationError for something that is neither a string nor a document node', () => {
    expect(() => prepareDocument({ kind: 'Field' } as unknown as string)).toThrow(ConfigurationError)
    expect(() => prepareDocument(null as unknown as string)).toThrow(ConfigurationError)
    expect(() => prepareDocument(42 as unknown as string)).toThrow(ConfigurationError)
  })
})

describe('prepareDocument: empty documents', () => {
  it.each(['', '   ', '\n\t\n'])('rejects %j', (source) => {
    expect(() => prepareDocument(source)).toThrow(ConfigurationError)
    expect(() => prepareDocument(source)).toThrow(/empty/)
  })

  it('rejects a node whose source is empty', () => {
    expect(() => prepareDocument({ kind: 'Document', definitions: [], loc: { source: { body: '' } } })).toThrow(/empty/)
  })
})
