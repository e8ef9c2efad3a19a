// AppSync's HTTP surface: JSON answers with a request id and a Date from the server's clock
// (clients correct their clock skew from it), CORS that exposes Date, and the error shapes.
import { randomUUID } from 'node:crypto'
import type { Rejection } from '../auth/rejection'

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  // Amplify v6's Cognito calls also send cache-control and the AWS SDK's amz-sdk-* (Cognito allows them).
  'access-control-allow-headers':
    'amz-sdk-invocation-id, amz-sdk-request, authorization, cache-control, content-type, x-amz-date, x-amz-security-token, x-amz-user-agent, x-api-key, x-amz-content-sha256, x-amz-target',
  'access-control-expose-headers':
    'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, x-amz-user-agent, Date, x-amz-schema-version',
  'access-control-max-age': '86400',
}

export function json(body: unknown, status: number, now: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'x-amzn-requestid': randomUUID(),
      date: new Date(now).toUTCString(),
      ...CORS_HEADERS,
      ...headers,
    },
  })
}

/** A request-level refusal: 401 `UnauthorizedException` (or 403 `InvalidSignatureException`). */
export function rejectionResponse(rejection: Rejection, now: number): Response {
  return json({ errors: [{ errorType: rejection.errorType, message: rejection.message }] }, rejection.status, now, {
    'x-amzn-errortype': rejection.errorType,
  })
}

export function preflight(now: number): Response {
  return new Response(null, { status: 204, headers: { date: new Date(now).toUTCString(), ...CORS_HEADERS } })
}
