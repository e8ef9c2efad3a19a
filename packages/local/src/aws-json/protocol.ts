// The AWS JSON 1.1 protocol both Cognito endpoints speak: POST /, `x-amz-target:
// <Service>.<Operation>`, a JSON object body, errors as `__type` + `message` with the type in
// `x-amzn-errortype` too (status 400 unless told otherwise).

const JSON_TYPE = 'application/x-amz-json-1.1'
const CORS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype, date',
}

/** An error answered as the service answers it: `{ __type, message }`. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

/** An AWS JSON 1.1 answer; `errorType` also goes into `x-amzn-errortype`. */
export function awsJsonAnswer(status: number, body: unknown, errorType?: string): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      ...CORS,
      'content-type': JSON_TYPE,
      'x-amzn-requestid': crypto.randomUUID(),
      ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
    },
  })
}

/** The answer to a thrown error: a `ServiceError` as itself, anything else as a 500 that says nothing. */
export function awsJsonError(error: unknown): Response {
  if (error instanceof ServiceError) {
    return awsJsonAnswer(error.status, { __type: error.type, message: error.message }, error.type)
  }
  return awsJsonAnswer(500, { __type: 'InternalErrorException', message: 'Internal error.' }, 'InternalErrorException')
}

/** The CORS preflight answer, so browsers can call the endpoint. */
export function awsJsonPreflight(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS,
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers':
        request.headers.get('access-control-request-headers') ?? 'content-type, x-amz-target, x-amz-user-agent',
      'access-control-max-age': '600',
    },
  })
}

/** The operation named by `x-amz-target` for `service` (`AWSCognitoIdentityService`, …); '' when it names none. */
export function awsJsonOperation(request: Request, service: string): string {
  const target = request.headers.get('x-amz-target') ?? ''
  return target.startsWith(`${service}.`) ? target.slice(service.length + 1) : ''
}

/** Only POST carries an operation. */
export function assertPost(request: Request): void {
  if (request.method !== 'POST') throw new ServiceError('UnknownOperationException', 'Only POST is supported.', 405)
}

/** The request's body as a JSON object, else a `SerializationException`. */
export async function readAwsJsonBody(request: Request): Promise<Record<string, unknown>> {
  let body: unknown
  try {
    body = JSON.parse(await request.text())
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid JSON.')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ServiceError('SerializationException', 'The request body must be a JSON object.')
  }
  return body as Record<string, unknown>
}
