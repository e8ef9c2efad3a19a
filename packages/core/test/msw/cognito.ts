// Plays the Cognito user pool API (AWS JSON 1.1) for msw tests, and issues JWTs shaped like
// Cognito's (unsigned: the client never verifies them, and neither does this mock).
import { Buffer } from 'node:buffer'
import { http, HttpResponse } from 'msw'
import { server } from './server'

export const REGION = 'us-east-1'
export const USER_POOL_ID = 'us-east-1_TESTPOOL1'
export const CLIENT_ID = '1example23456789clientid'
export const COGNITO_ENDPOINT = `https://cognito-idp.${REGION}.amazonaws.com/`
export const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`

export interface IssueOptions {
  /** Issued at (ms since the epoch, the issuer's clock). */
  readonly now: number
  readonly lifetimeMs: number
  /** Goes into each token's signature part: what secret scans look for. */
  readonly marker: string
  readonly username?: string | undefined
  readonly sub?: string | undefined
  /** Leave the user name claims out (`cognito:username`, `username`). */
  readonly noUsername?: boolean | undefined
}

export interface IssuedTokens {
  readonly IdToken: string
  readonly AccessToken: string
  readonly RefreshToken: string
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function jwt(payload: Record<string, unknown>, signature: string): string {
  return `${base64url({ alg: 'RS256', kid: 'test-key' })}.${base64url(payload)}.${signature}`
}

/** An ID token, an access token and a refresh token, each carrying `marker` in its signature. */
export function issueTokens(options: IssueOptions): IssuedTokens {
  const iat = Math.floor(options.now / 1000)
  const exp = iat + Math.floor(options.lifetimeMs / 1000)
  const sub = options.sub ?? '7d8ca528-4931-4254-9273-ea5ee853f271'
  const username = options.username ?? 'alice'
  const common = { sub, iss: ISSUER, iat, exp, auth_time: iat }
  return {
    IdToken: jwt(
      {
        ...common,
        aud: CLIENT_ID,
        token_use: 'id',
        ...(options.noUsername ? {} : { 'cognito:username': username }),
      },
      `${options.marker}IDSIG`,
    ),
    AccessToken: jwt(
      { ...common, client_id: CLIENT_ID, token_use: 'access', ...(options.noUsername ? {} : { username }) },
      `${options.marker}ACCESSSIG`,
    ),
    RefreshToken: `eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.${options.marker}REFRESHTOKEN.opaque`,
  }
}

/** One call as it reached the mock Cognito. */
export interface CognitoCall {
  /** e.g. `InitiateAuth`, `RevokeToken` (the part after `AWSCognitoIdentityProviderService.`). */
  readonly operation: string
  readonly contentType: string | null
  readonly body: Record<string, unknown>
  /** `AuthParameters` of an `InitiateAuth`. */
  readonly parameters: Record<string, string>
  /** The refresh token a refresh sent (`RefreshToken`, or `AuthParameters.REFRESH_TOKEN`). */
  readonly refreshToken: unknown
}

export type CognitoResponder = (call: CognitoCall, index: number) => Response | Promise<Response>

export interface CognitoMock {
  readonly calls: CognitoCall[]
  /** Refreshes: GetTokensFromRefreshToken, and InitiateAuth calls with AuthFlow REFRESH_TOKEN_AUTH. */
  readonly refreshes: () => CognitoCall[]
}

/** Records every call to the Cognito endpoint and answers with `respond`. */
export function mockCognito(respond: CognitoResponder, endpoint: string = COGNITO_ENDPOINT): CognitoMock {
  const calls: CognitoCall[] = []
  server.use(
    http.post(endpoint, async ({ request }) => {
      const target = request.headers.get('x-amz-target') ?? ''
      const body = (await request.json()) as Record<string, unknown>
      const parameters = (body['AuthParameters'] ?? {}) as Record<string, string>
      const call: CognitoCall = {
        operation: target.replace(/^AWSCognitoIdentityProviderService\./, ''),
        contentType: request.headers.get('content-type'),
        body,
        parameters,
        refreshToken: body['RefreshToken'] ?? parameters['REFRESH_TOKEN'],
      }
      const index = calls.length
      calls.push(call)
      return respond(call, index)
    }),
  )
  return {
    calls,
    refreshes: () =>
      calls.filter(
        (c) =>
          c.operation === 'GetTokensFromRefreshToken' ||
          (c.operation === 'InitiateAuth' && c.body['AuthFlow'] === 'REFRESH_TOKEN_AUTH'),
      ),
  }
}

/** Cognito's JSON 1.1 success answer. */
export function cognitoJson(body: unknown): Response {
  return HttpResponse.json(body as Record<string, unknown>, {
    headers: { 'content-type': 'application/x-amz-json-1.1' },
  })
}

/** Cognito's JSON 1.1 error answer: `__type` and `message`, with the status Cognito uses. */
export function cognitoError(type: string, message: string, status = 400): Response {
  return HttpResponse.json(
    { __type: type, message },
    { status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': `${type}:` } },
  )
}

/** The answer to a refresh (GetTokensFromRefreshToken or `REFRESH_TOKEN_AUTH`): new ID and access tokens, a refresh token only with rotation. */
export function refreshAnswer(tokens: IssuedTokens, rotate = false): Response {
  return cognitoJson({
    AuthenticationResult: {
      IdToken: tokens.IdToken,
      AccessToken: tokens.AccessToken,
      ExpiresIn: 3600,
      TokenType: 'Bearer',
      ...(rotate ? { RefreshToken: tokens.RefreshToken } : {}),
    },
    ChallengeParameters: {},
  })
}

/** The tokens in the camelCase shape `fromCognitoUserPool` takes. */
export function asTokens(tokens: IssuedTokens): { idToken: string; accessToken: string; refreshToken: string } {
  return { idToken: tokens.IdToken, accessToken: tokens.AccessToken, refreshToken: tokens.RefreshToken }
}
