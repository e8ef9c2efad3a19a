import { GraphQLResponseError } from '../errors/GraphQLResponseError'
import { HttpError } from '../errors/HttpError'
import { ResponseParseError } from '../errors/ResponseParseError'
import { redactServerMessage } from '../internal/redact'
import { describe, type Exchange } from './send'

/** The `data` of an exchange, or the typed error it amounts to. */
export function interpretExchange({ response, parsed, sent, mode }: Exchange): unknown {
  const body = parsed?.ok ? parsed.body : undefined
  const errors = body?.errors?.map((e) => ({ ...e, message: redactServerMessage(e.message, sent) }))
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
      problem: parsed && !parsed.ok ? parsed.problem : 'no body',
      cause: parsed && !parsed.ok ? parsed.cause : undefined,
    })
  }
  if (errors?.length) throw new GraphQLResponseError(errors, body.data, mode)
  return body.data
}
