import { describe, it, expect } from 'vitest'
import { classifyAnswer } from '../auth/authorizer'
import { parseGraphQLBody, type GraphQLResponseBody, type ParsedBody } from './response'

function body(parsed: ParsedBody) {
  if (!parsed.ok) throw new Error(`expected a parsed body, got: ${parsed.problem}`)
  return parsed.body
}

function problem(parsed: ParsedBody): string {
  if (parsed.ok) throw new Error('expected a problem')
  return parsed.problem
}

describe('parseGraphQLBody', () => {
  it('reads data only', () => {
    const parsed = body(parseGraphQLBody('{"data":{"getPost":{"id":"1"}}}'))
    expect(parsed.data).toEqual({ getPost: { id: '1' } })
    expect(parsed.errors).toBeUndefined()
  })

  it('reads data: null as data', () => {
    const parsed = body(parseGraphQLBody('{"data":null}'))
    expect(parsed).toEqual({ data: null, errors: undefined })
  })

  it('reads errors only, with every field AppSync sends', () => {
    const text = JSON.stringify({
      errors: [
        {
          message: 'Not Authorized to access getPost on type Query',
          errorType: 'Unauthorized',
          path: ['getPost', 0, 'title'],
          locations: [{ line: 1, column: 3 }],
          data: null,
          errorInfo: { reason: 'x' },
        },
      ],
    })
    const parsed = body(parseGraphQLBody(text))
    expect(parsed.data).toBeUndefined()
    expect(parsed.errors).toEqual([
      {
        message: 'Not Authorized to access getPost on type Query',
        errorType: 'Unauthorized',
        path: ['getPost', 0, 'title'],
        locations: [{ line: 1, column: 3 }],
        data: null,
        errorInfo: { reason: 'x' },
      },
    ])
  })

  it('reads partial data beside errors', () => {
    const parsed = body(
      parseGraphQLBody(
        '{"data":{"a":1,"b":null},"errors":[{"message":"denied","errorType":"Unauthorized","path":["b"]}]}',
      ),
    )
    expect(parsed.data).toEqual({ a: 1, b: null })
    expect(parsed.errors).toHaveLength(1)
    expect(parsed.errors?.[0]).toMatchObject({ message: 'denied', errorType: 'Unauthorized', path: ['b'] })
  })

  it('treats errors: null like no errors', () => {
    expect(body(parseGraphQLBody('{"data":{"a":1},"errors":null}'))).toEqual({ data: { a: 1 }, errors: undefined })
  })

  it('reports an HTML page', () => {
    const parsed = parseGraphQLBody('<!DOCTYPE html><html><body>502 Bad Gateway</body></html>')
    expect(problem(parsed)).toMatch(/HTML/)
  })

  it('reports an HTML page after leading whitespace', () => {
    expect(problem(parseGraphQLBody('\n  <html></html>'))).toMatch(/HTML/)
  })

  it('reports truncated JSON', () => {
    const parsed = parseGraphQLBody('{"data":{"listPosts":{"items":[{"id":"1"},{"id"')
    expect(problem(parsed)).toMatch(/invalid or truncated JSON/)
  })

  it("keeps no parser error: its message would quote the body's start (a credential echoed back)", () => {
    const parsed = parseGraphQLBody('da2-SECRETKEY0000 is not a valid key')
    expect(problem(parsed)).toMatch(/invalid or truncated JSON/)
    expect(parsed).not.toHaveProperty('cause')
    expect(JSON.stringify(parsed)).not.toContain('da2-')
  })

  it('reports an empty body', () => {
    expect(problem(parseGraphQLBody(''))).toMatch(/empty/)
    expect(problem(parseGraphQLBody(' \n '))).toMatch(/empty/)
  })

  it.each(['[{"data":{}}]', '[]', '"data"', '42', 'null', 'true'])('reports %s as not an object', (text) => {
    expect(problem(parseGraphQLBody(text))).toMatch(/not an object/)
  })

  it('reports JSON without data or errors', () => {
    expect(problem(parseGraphQLBody('{}'))).toMatch(/neither `data` nor `errors`/)
    expect(problem(parseGraphQLBody('{"message":"Internal server error"}'))).toMatch(/neither `data` nor `errors`/)
    expect(problem(parseGraphQLBody('{"errors":null}'))).toMatch(/neither `data` nor `errors`/)
  })

  it.each(['{"errors":{"message":"x"}}', '{"errors":"boom"}', '{"data":{},"errors":1}'])(
    'reports %s: errors is not an array',
    (text) => {
      expect(problem(parseGraphQLBody(text))).toMatch(/`errors` is not an array/)
    },
  )

  it('turns messages that are not strings into strings', () => {
    const parsed = body(
      parseGraphQLBody(
        JSON.stringify({
          errors: [{ message: 42 }, { message: { text: 'nested' } }, { message: null }, {}, 'bare', null],
        }),
      ),
    )
    const messages = parsed.errors?.map((error) => error.message)
    expect(messages).toHaveLength(6)
    expect(messages?.every((message) => typeof message === 'string' && message !== '')).toBe(true)
    expect(messages?.[0]).toBe('42')
    expect(messages?.[1]).toContain('nested')
    expect(messages?.[3]).toBe('Unknown error')
  })

  it('drops fields of the wrong type instead of trusting them', () => {
    const parsed = body(parseGraphQLBody('{"errors":[{"message":"m","errorType":7,"path":"a.b","locations":{}}]}'))
    expect(parsed.errors?.[0]).toMatchObject({
      message: 'm',
      errorType: undefined,
      path: undefined,
      locations: undefined,
    })
  })
})

// Parsed bodies as the one authorizer reads them (its whole table: src/auth/authorizer.test.ts).
describe('parsed bodies, classified by the authorizer', () => {
  const unauthorized = body(
    parseGraphQLBody(
      '{"errors":[{"errorType":"UnauthorizedException","message":"Valid authorization header not provided."}]}',
    ),
  )
  const denied = body(
    parseGraphQLBody('{"data":{"a":null},"errors":[{"errorType":"Unauthorized","message":"Not Authorized"}]}'),
  )
  const validation = body(parseGraphQLBody('{"errors":[{"errorType":"ValidationError","message":"bad"}]}'))
  const classify = (parsed: GraphQLResponseBody | undefined) => classifyAnswer({ body: parsed, text: undefined })

  it('tells a request-level rejection from a field-level denial', () => {
    expect(classify(unauthorized)).toBe('unauthorized')
    expect(classify(denied)).toBe('fieldDenied')
  })

  it('is neither for other errors and for no body', () => {
    expect(classify(validation)).toBeUndefined()
    expect(classifyAnswer({ status: 200, body: undefined, text: '' })).toBeUndefined()
    expect(classify({ data: {} })).toBeUndefined()
  })
})
