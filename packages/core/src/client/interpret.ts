import { classifyAnswer } from '../auth/authorizer'
import { GraphQLResponseError } from '../errors/GraphQLResponseError'
import { HttpError } from '../errors/HttpError'
import { ResponseParseError } from '../errors/ResponseParseError'
import { UnauthorizedError } from '../errors/UnauthorizedError'
import type { ParsedBody } from '../graphql/response'
import { redactDeep, secretsOf } from '../internal/redact'
import { describe, type Exchange } from './send'

/** The `data` of an exchange, or the typed error it amounts to. */
export function interpretExchange(exchange: Exchange): unknown {
  const { response, parsed, sent, mode, body } = exchange
  // Everything an error keeps of the answer goes through the redaction policy (internal/redact.ts).
  const secrets = secretsOf(sent.headers)
  const errors = redactDeep(body?.errors, secrets)
  // A rejection that outlived its refresh and retry (and every later mode).
  if (classifyAnswer(exchange) === 'unauthorized')
    throw new UnauthorizedError({
      ...describe(sent, response),
      mode,
      serverMessages: errors?.map((e) => e.message) ?? [],
    })
  if (!response.ok) {
    const first = errors?.[0]
    throw new HttpError({
      ...describe(sent, response),
      statusText: response.statusText,
      errorType: first?.errorType ?? response.headers.get('x-amzn-errortype')?.split(':')[0],
      detail: first?.message,
    })
  }
  if (!body) {
    throw new ResponseParseError({
      ...describe(sent, response),
      contentType: response.headers.get('content-type') ?? undefined,
      problem: 'no body',
      // Without a body, `parsed` is undefined or a problem.
      ...(parsed as Extract<ParsedBody, { ok: false }> | undefined),
    })
  }
  if (errors?.length) throw new GraphQLResponseError(errors, redactDeep(body.data, secrets, true), mode)
  return body.data
}
