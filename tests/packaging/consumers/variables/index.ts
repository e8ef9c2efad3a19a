// Issue 19: variables typed with an `interface` (no index signature), as most people write them,
// compile under the strictest settings users have; wrong variables are still refused.
import {
  createClient,
  subscribe,
  type Subscription,
  type TypedDocumentNode,
  type TypedDocumentString,
} from '@authmode/core'

interface Note {
  id: string
  title: string
  done?: boolean
}
interface CreateVars {
  title: string
  done?: boolean
}
interface OnNoteVars {
  owner: string
}

const client = createClient({ endpoint: 'https://example.invalid/graphql', apiKey: 'da2-x' })
const CREATE =
  'mutation Create($title: String!, $done: Boolean) { createNote(title: $title, done: $done) { id title } }'
const ON_NOTE = 'subscription On($owner: String!) { onCreateNote(owner: $owner) { id title } }'
const vars: CreateVars = { title: 'first' }

// The result typed, the variables' type left to its default.
export const created: Promise<{ createNote: Note }> = client.request<{ createNote: Note }>(CREATE, vars)
// Both typed.
export const both: Promise<{ createNote: Note }> = client.request<{ createNote: Note }, CreateVars>(CREATE, vars)
// Neither: inferred from the arguments.
export const inferred: Promise<Record<string, unknown>> = client.request(CREATE, vars)

export const onNote: Subscription<{ onCreateNote: Note }> = subscribe<{ onCreateNote: Note }>(client, ON_NOTE, {
  owner: 'alice',
} satisfies OnNoteVars)
const owner: OnNoteVars = { owner: 'alice' }
export const onNote2: Subscription<{ onCreateNote: Note }> = subscribe<{ onCreateNote: Note }>(client, ON_NOTE, owner)
export const onNote3: Subscription<{ onCreateNote: Note }> = subscribe<{ onCreateNote: Note }, OnNoteVars>(
  client,
  ON_NOTE,
  owner,
)

// Typed documents (codegen, gql.tada) whose variables are interfaces.
declare const CreateDoc: TypedDocumentNode<{ createNote: Note }, CreateVars>
declare const OnNoteDoc: TypedDocumentString<{ onCreateNote: Note }, OnNoteVars>
export const fromNode: Promise<{ createNote: Note }> = client.request(CreateDoc, vars)
export const fromString: Subscription<{ onCreateNote: Note }> = subscribe(client, OnNoteDoc, owner)
// A typed document declared without its variables' type, called with an interface.
declare const Untyped: TypedDocumentNode<{ createNote: Note }>
export const untyped: Promise<{ createNote: Note }> = client.request(Untyped, vars)

// What callers get is not loosened: wrong variables are still errors.
// @ts-expect-error -- `title` must be a string
export const wrongField = client.request(CreateDoc, { title: 1 })
// @ts-expect-error -- `title` is required
export const missing = client.request<{ createNote: Note }, CreateVars>(CREATE, { done: true })
// @ts-expect-error -- variables are an object
export const notObject = client.request<{ createNote: Note }>(CREATE, 42)
// @ts-expect-error -- the subscription's variables are OnNoteVars
export const wrongSub = subscribe(client, OnNoteDoc, { owner: 7 })
// @ts-expect-error -- the result type is the document's
export const wrongResult: Promise<{ other: string }> = client.request(CreateDoc, vars)
