import { GraphQLResponseError } from '../errors/GraphQLResponseError'
import { HttpError } from '../errors/HttpError'
import { ResponseParseError } from '../errors/ResponseParseError'
import { redactServerMessage } from '../internal/redact'
import { describeUrl } from '../transport/fetch'
import { requestId, type Exchange } from './send'

/** Turns a read answer into `data`, or the typed error that says what went wrong. */
export function interpretExchange(exchange: Exchange): unknown {
  const { response, parsed, sent } = exchange
  const info = {
    method: sent.method,
    url: describeUrl(sent.url),
    status: response.status,
    requestId: requestId(response),
  }
  const body = parsed?.ok ? parsed.body : undefined
  if (!response.ok) {
    const first = body?.errors?.[0]
    throw new HttpError({
      ...info,
      statusText: response.statusText,
      errorType: first?.errorType ?? response.headers.get('x-amzn-errortype')?.split(':')[0] ?? undefined,
      detail: first ? redactServerMessage(first.message, sent) : undefined,
    })
  }
  if (!parsed?.ok) {
    throw new ResponseParseError({
      ...info,
      contentType: response.headers.get('content-type') ?? undefined,
      problem: parsed?.problem ?? 'no body',
      cause: parsed?.cause,
    })
  }
  const errors = parsed.body.errors
  if (errors && errors.length > 0) {
    throw new GraphQLResponseError(
      errors.map((e) => ({ ...e, message: redactServerMessage(e.message, sent) })),
      parsed.body.data,
      exchange.mode,
    )
  }
  return parsed.body.data
}
