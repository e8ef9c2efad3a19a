import { http, HttpResponse } from 'msw'
import type { AwsCredentialIdentity } from '../../src/index'
import createPost from '../fixtures/appsync/create-post.json'
import fieldDeniedPartial from '../fixtures/appsync/field-denied-partial.json'
import getPost from '../fixtures/appsync/get-post.json'
import malformedRequest from '../fixtures/appsync/malformed-request.json'
import signatureExpired from '../fixtures/appsync/signature-expired.json'
import signatureMismatch from '../fixtures/appsync/signature-mismatch.json'
import unauthorizedException from '../fixtures/appsync/unauthorized-exception.json'
import validationError from '../fixtures/appsync/validation-error.json'
import { amzDate, parseAmzDate } from './clock'
import { server } from './server'
import { parseSigV4Authorization, verifySigV4 } from './sigv4'

export const ENDPOINT = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'

/** Recorded AppSync payloads (test/fixtures/appsync). */
export const fixtures = {
  getPost,
  createPost,
  malformedRequest,
  fieldDeniedPartial,
  signatureExpired,
  signatureMismatch,
  unauthorizedException,
  validationError,
} as const

export const GET_POST = 'query GetPost($id: ID!) { getPost(id: $id) { id title __typename } }'
export const GET_POST_WITH_NOTES = 'query GetPost($id: ID!) { getPost(id: $id) { id title secretNotes } }'
export const CREATE_POST = 'mutation CreatePost($title: String!) { createPost(title: $title) { id title __typename } }'

export interface GraphQLRequestBody {
  readonly query?: unknown
  readonly variables?: unknown
  readonly operationName?: unknown
}

/** One request as it reached the (mock) API. */
export interface CapturedRequest {
  readonly method: string
  readonly url: string
  /** Lower-case names, as sent. */
  readonly headers: Readonly<Record<string, string>>
  /** The body bytes decoded as UTF-8 text. */
  readonly bodyText: string
  /** The exact body bytes (always set by `mockAppSync`); the SigV4 check hashes these when present. */
  readonly bodyBytes?: Uint8Array<ArrayBuffer>
  /** The body parsed as JSON, when it is JSON. */
  readonly body: GraphQLRequestBody | undefined
  /** The mode the request's headers show. */
  readonly mode: 'apiKey' | 'token' | 'iam' | 'none' | 'mixed'
  /** The SigV4 signature, for iam requests. */
  readonly signature: string | undefined
}

export type AppSyncResponder = (request: CapturedRequest, index: number) => Response | Promise<Response>

export interface AppSyncMock {
  /** Every request the handler saw, in order. */
  readonly requests: CapturedRequest[]
}

/**
 * Plays the AppSync endpoint: records every request (headers, exact body, parsed body, mode,
 * signature) and answers with `respond` (default: the `getPost` fixture).
 */
export function mockAppSync(
  respond: AppSyncResponder = () => appSyncJson(fixtures.getPost),
  endpoint: string = ENDPOINT,
): AppSyncMock {
  const requests: CapturedRequest[] = []
  server.use(
    http.post(endpoint, async ({ request }) => {
      const captured = await capture(request)
      const index = requests.length
      requests.push(captured)
      return respond(captured, index)
    }),
  )
  return { requests }
}

async function capture(request: Request): Promise<CapturedRequest> {
  const headers: Record<string, string> = {}
  request.headers.forEach((value, name) => {
    headers[name] = value
  })
  const bodyBytes = new Uint8Array(await request.arrayBuffer())
  const bodyText = new TextDecoder().decode(bodyBytes)
  let body: GraphQLRequestBody | undefined
  try {
    const json = JSON.parse(bodyText) as unknown
    body = typeof json === 'object' && json !== null ? json : undefined
  } catch {
    body = undefined
  }
  const authorization = headers['authorization']
  const apiKey = headers['x-api-key']
  const mode =
    authorization !== undefined && apiKey !== undefined
      ? 'mixed'
      : apiKey !== undefined
        ? 'apiKey'
        : authorization?.startsWith('AWS4-HMAC-SHA256 ')
          ? 'iam'
          : authorization !== undefined
            ? 'token'
            : 'none'
  return {
    method: request.method,
    url: request.url,
    headers,
    bodyText,
    bodyBytes,
    body,
    mode,
    signature: parseSigV4Authorization(authorization)?.signature,
  }
}

let requestCounter = 0
function requestId(): string {
  requestCounter += 1
  return `0b1f2a3c-0000-4000-8000-${String(requestCounter).padStart(12, '0')}`
}

/** A JSON answer as AppSync sends it. */
export function appSyncJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return HttpResponse.json(body as Record<string, unknown>, {
    status: init.status ?? 200,
    headers: { 'x-amzn-requestid': requestId(), ...init.headers },
  })
}

/** The request-level authorization failure: HTTP 401 with `UnauthorizedException`. */
export function appSyncUnauthorized(message?: string): Response {
  const body =
    message === undefined
      ? fixtures.unauthorizedException
      : { errors: [{ errorType: 'UnauthorizedException', message }] }
  return appSyncJson(body, { status: 401, headers: { 'x-amzn-ErrorType': 'UnauthorizedException' } })
}

/** `Signature expired` (or `not yet current`) for a request signed at `signedAt`, seen at `serverNow`. */
export function appSyncSignatureExpired(
  signedAt: number,
  serverNow: number,
  options: { status?: 401 | 403; dateHeader?: boolean } = {},
): Response {
  const early = signedAt < serverNow
  const message = early
    ? `Signature expired: ${amzDate(signedAt)} is now earlier than ${amzDate(serverNow - 5 * 60_000)} (${amzDate(serverNow)} - 5 min.)`
    : `Signature not yet current: ${amzDate(signedAt)} is still later than ${amzDate(serverNow + 5 * 60_000)} (${amzDate(serverNow)} + 5 min.)`
  const headers: Record<string, string> = { 'x-amzn-ErrorType': 'InvalidSignatureException' }
  if (options.dateHeader !== false) headers['date'] = new Date(serverNow).toUTCString()
  return appSyncJson(
    { errors: [{ ...fixtures.signatureExpired.errors[0], message }] },
    { status: options.status ?? 403, headers },
  )
}

/** A signature mismatch: AppSync's message quotes the canonical request (and so the session token). */
export function appSyncSignatureMismatch(canonicalRequest: string, stringToSign: string): Response {
  const [template] = fixtures.signatureMismatch.errors
  const message = (template?.message ?? '')
    .replace('{{canonicalRequest}}', canonicalRequest)
    .replace('{{stringToSign}}', stringToSign)
  return appSyncJson(
    { errors: [{ errorType: 'InvalidSignatureException', message }] },
    { status: 403, headers: { 'x-amzn-ErrorType': 'InvalidSignatureException' } },
  )
}

export interface AppSyncAuthorizer {
  readonly apiKeys?: readonly string[]
  /** Accepted `authorization` tokens (user pool, OIDC, Lambda). */
  readonly tokens?: readonly string[]
  /** Accepted IAM principals; each request's signature is verified with aws4. */
  readonly credentials?: readonly AwsCredentialIdentity[]
  /** The server's clock (default `Date.now`), for the SigV4 time check. */
  readonly now?: () => number
  /** The answer to an authorized request (default: the `getPost` fixture). */
  readonly respond?: AppSyncResponder
}

/**
 * A responder that authorizes like AppSync: one mode per request, the API key or token must be
 * known, a SigV4 request must be signed within 5 minutes of the server's time (else `Signature
 * expired` with a `Date` header) and its signature must verify (else the canonical-request message).
 */
export function authorizeLikeAppSync(auth: AppSyncAuthorizer): AppSyncResponder {
  return (request, index) => {
    const respond = auth.respond ?? (() => appSyncJson(fixtures.getPost))
    switch (request.mode) {
      case 'apiKey':
        return auth.apiKeys?.includes(request.headers['x-api-key'] ?? '')
          ? respond(request, index)
          : appSyncUnauthorized()
      case 'token':
        return auth.tokens?.includes(request.headers['authorization'] ?? '')
          ? respond(request, index)
          : appSyncUnauthorized()
      case 'iam': {
        const parsed = parseSigV4Authorization(request.headers['authorization'])
        const credentials = auth.credentials?.find((c) => c.accessKeyId === parsed?.accessKeyId)
        if (!parsed || !credentials) {
          return appSyncJson(
            {
              errors: [
                {
                  errorType: 'UnrecognizedClientException',
                  message: 'The security token included in the request is invalid.',
                },
              ],
            },
            { status: 403, headers: { 'x-amzn-ErrorType': 'UnrecognizedClientException' } },
          )
        }
        const serverNow = (auth.now ?? Date.now)()
        const signedAt = parseAmzDate(request.headers['x-amz-date'] ?? '')
        if (!(Math.abs(signedAt - serverNow) <= 5 * 60_000)) return appSyncSignatureExpired(signedAt, serverNow)
        const check = verifySigV4(request, credentials)
        if (!check.valid) return appSyncSignatureMismatch(check.canonicalRequest, check.stringToSign)
        return respond(request, index)
      }
      case 'none':
      case 'mixed':
        return appSyncUnauthorized()
    }
  }
}

/** The auth-carrying headers of a request (whatever mode), to compare sets across modes. */
export const CREDENTIAL_HEADER_NAMES: readonly string[] = [
  'authorization',
  'x-api-key',
  'x-amz-date',
  'x-amz-security-token',
  'x-amz-content-sha256',
]
