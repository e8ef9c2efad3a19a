import type { GraphQLErrorEntry } from '../errors/GraphQLResponseError'

/** A GraphQL response body, checked: `data` and/or `errors` (each with a string `message`). */
export interface GraphQLResponseBody {
  readonly data?: unknown
  readonly errors?: readonly GraphQLErrorEntry[] | undefined
}

export type ParsedBody =
  { readonly ok: true; readonly body: GraphQLResponseBody } | { readonly ok: false; readonly problem: string }

/** Parses a body as a GraphQL response, saying what is wrong when it is not one. */
export function parseGraphQLBody(text: string): ParsedBody {
  let json: { data?: unknown; errors?: unknown } | null
  try {
    json = JSON.parse(text) as typeof json
  } catch {
    // The parser's own error is not kept: its message quotes the start of the body, which may hold
    // what a server echoed back (a credential), too short a piece for redaction to recognise.
    return text.trim()
      ? { ok: false, problem: /^\s*</.test(text) ? 'an HTML or XML page, not JSON' : 'invalid or truncated JSON' }
      : { ok: false, problem: 'the body is empty' }
  }
  const errors = json?.errors
  const problem =
    typeof json !== 'object' || !json || Array.isArray(json)
      ? 'the JSON is not an object'
      : errors != null && !Array.isArray(errors)
        ? '`errors` is not an array'
        : !('data' in json) && errors == null
          ? 'the JSON has neither `data` nor `errors`'
          : undefined
  if (problem) return { ok: false, problem }
  return { ok: true, body: { data: json?.data, errors: (errors as unknown[] | null | undefined)?.map(toErrorEntry) } }
}

// A server's error entry with the types it promises, whatever the server sent.
function toErrorEntry(value: unknown): GraphQLErrorEntry {
  const { message, errorType, path, locations, data, errorInfo } = (value ?? {}) as Record<string, unknown>
  const list = (v: unknown): never => (Array.isArray(v) ? v : undefined) as never
  return {
    message: typeof message === 'string' ? message : message === undefined ? 'Unknown error' : JSON.stringify(message),
    errorType: typeof errorType === 'string' ? errorType : undefined,
    path: list(path),
    locations: list(locations),
    data,
    errorInfo,
  }
}
