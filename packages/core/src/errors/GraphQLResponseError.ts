import { AuthmodeError } from './AuthmodeError'

/** One entry of a GraphQL response's `errors` array, as AppSync sends it. */
export interface GraphQLErrorEntry {
  readonly message: string
  readonly errorType?: string | undefined
  readonly path?: readonly (string | number)[] | undefined
  readonly locations?: readonly { readonly line: number; readonly column: number }[] | undefined
  readonly data?: unknown
  readonly errorInfo?: unknown
}

/** The response had `errors` (a field-level denial: `errorType` `Unauthorized`); `data` is the partial data. */
export class GraphQLResponseError<TData = unknown> extends AuthmodeError {
  static readonly code = 'ERR_GRAPHQL'
  declare readonly code: 'ERR_GRAPHQL'
  /** @internal */ override readonly name: string = 'GraphQLResponseError'
  declare readonly errors: readonly GraphQLErrorEntry[]
  declare readonly data: TData | null | undefined

  constructor(errors: readonly GraphQLErrorEntry[], data: TData | null | undefined, mode?: string) {
    const first = errors[0]
    super(
      `GraphQL error${errors.length > 1 ? `s (${errors.length})` : ''}${mode ? ` (${mode})` : ''}: ${
        first ? `${first.errorType ? `${first.errorType}: ` : ''}${first.message}` : 'unknown'
      }`,
    )
    this.errors = errors
    this.data = data
  }
}
