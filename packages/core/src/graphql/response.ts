import type { GraphQLErrorEntry } from '../errors/GraphQLResponseError'

export interface GraphQLResponseBody {
  readonly data?: unknown
  readonly errors?: readonly GraphQLErrorEntry[] | undefined
}

export type ParsedBody =
  | { readonly ok: true; readonly body: GraphQLResponseBody }
  | { readonly ok: false; readonly problem: string; readonly cause?: unknown }

/** Parses and shape-checks a GraphQL JSON response without trusting any of it. */
export function parseGraphQLBody(text: string): ParsedBody {
  if (text.trim() === '') return { ok: false, problem: 'the body is empty' }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    const looksHtml = /^\s*</.test(text)
    return {
      ok: false,
      problem: looksHtml ? 'got an HTML or XML page instead of JSON' : 'invalid or truncated JSON',
      cause,
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, problem: 'the JSON is not an object' }
  }
  const record = json as Record<string, unknown>
  const errors = record['errors']
  if (errors !== undefined && errors !== null && !Array.isArray(errors)) {
    return { ok: false, problem: '`errors` is not an array' }
  }
  if (!('data' in record) && (errors === undefined || errors === null)) {
    return { ok: false, problem: 'the JSON has neither `data` nor `errors`' }
  }
  return {
    ok: true,
    body: {
      data: record['data'],
      errors: Array.isArray(errors) ? errors.map(toErrorEntry) : undefined,
    },
  }
}

function toErrorEntry(value: unknown): GraphQLErrorEntry {
  const e = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  return {
    message:
      typeof e['message'] === 'string'
        ? e['message']
        : e['message'] === undefined
          ? 'Unknown error'
          : JSON.stringify(e['message']),
    errorType: typeof e['errorType'] === 'string' ? e['errorType'] : undefined,
    path: Array.isArray(e['path']) ? (e['path'] as (string | number)[]) : undefined,
    locations: Array.isArray(e['locations']) ? (e['locations'] as { line: number; column: number }[]) : undefined,
    data: e['data'],
    errorInfo: e['errorInfo'],
  }
}

/** Request-level auth failure as AppSync reports it (HTTP 401 or `errorType: UnauthorizedException`). */
export function isUnauthorizedBody(body: GraphQLResponseBody | undefined): boolean {
  return body?.errors?.some((e) => e.errorType === 'UnauthorizedException') === true
}

/** Field-level denial: `errorType: Unauthorized` beside (possibly partial) data. */
export function hasFieldDenial(body: GraphQLResponseBody): boolean {
  return body.errors?.some((e) => e.errorType === 'Unauthorized') === true
}
