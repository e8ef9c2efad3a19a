// Cognito user pool calls over plain fetch (AWS JSON 1.1, unsigned): sign-in with a password,
// the refresh-token flow and RevokeToken. The session logic lives in cognitoUserPool.ts.
import { ConfigurationError } from '../errors/ConfigurationError'
import { SignInError } from '../errors/SignInError'
import { callAwsJson, type AwsJsonResult } from './awsJson'
import type { CognitoTokens } from './cognitoUserPool'
import { jwtClaims } from './jwt'
import { cognitoSecretHash } from './secretHash'

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.'
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/
const IDP_HOST = /^cognito-idp(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/
const MAX_MESSAGE = 200

/** Where the Cognito user pool API is: an explicit endpoint, else the region's public one. */
export interface CognitoLocation {
  readonly region: string | undefined
  readonly endpoint: URL | undefined
}

/** Validates `region` and `endpoint` as given; the endpoint may still come from a token's issuer. */
export function parseLocation(
  options: { readonly region?: unknown; readonly endpoint?: unknown },
  where: string,
): CognitoLocation {
  let region: string | undefined
  if (options.region !== undefined) {
    if (typeof options.region !== 'string' || !REGION.test(options.region)) {
      throw new ConfigurationError(
        `${where}: \`region\` must be an AWS region such as "us-east-1", got ${JSON.stringify(options.region)}.`,
      )
    }
    region = options.region
  }
  let endpoint: URL | undefined
  if (options.endpoint !== undefined) {
    const text =
      options.endpoint instanceof URL
        ? options.endpoint.href
        : typeof options.endpoint === 'string'
          ? options.endpoint
          : ''
    try {
      endpoint = new URL(text)
    } catch {
      throw new ConfigurationError(
        `${where}: \`endpoint\` must be an absolute URL such as https://cognito-idp.us-east-1.amazonaws.com/.`,
      )
    }
    if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') {
      throw new ConfigurationError(`${where}: \`endpoint\` must use https (or http for a local emulator).`)
    }
    if (endpoint.username || endpoint.password) {
      throw new ConfigurationError(`${where}: \`endpoint\` must not carry a user name or password.`)
    }
    region ??= IDP_HOST.exec(endpoint.hostname)?.[1]
  }
  return { region, endpoint }
}

/**
 * The endpoint to call: `endpoint`, else `https://cognito-idp.<region>.amazonaws.com/` with the
 * region given or read from the token's issuer (`https://cognito-idp.<region>.amazonaws.com/<pool>`).
 */
export function cognitoEndpoint(location: CognitoLocation, token: string | undefined, where: string): URL {
  if (location.endpoint) return location.endpoint
  let region = location.region
  if (region === undefined && token !== undefined) {
    const iss = jwtClaims(token)?.['iss']
    if (typeof iss === 'string') {
      try {
        region = IDP_HOST.exec(new URL(iss).hostname)?.[1]
      } catch {
        region = undefined
      }
    }
  }
  if (region === undefined) {
    throw new ConfigurationError(
      `${where}: cannot tell which Cognito region to call: pass \`region\` (e.g. "us-east-1") or \`endpoint\`.`,
    )
  }
  return new URL(`https://cognito-idp.${region}.amazonaws.com/`)
}

/** What an `InitiateAuth` answer holds, checked. */
export type AuthAnswer =
  | { readonly kind: 'tokens'; readonly tokens: CognitoTokens }
  | { readonly kind: 'challenge'; readonly challengeName: string }
  | { readonly kind: 'invalid'; readonly problem: string }

/** Reads `AuthenticationResult` (or `ChallengeName`) from an `InitiateAuth` answer. */
export function readAuthAnswer(body: unknown): AuthAnswer {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined
  if (record === undefined) return { kind: 'invalid', problem: 'the answer is not a JSON object' }
  const challenge = record['ChallengeName']
  if (typeof challenge === 'string' && challenge !== '') return { kind: 'challenge', challengeName: challenge }
  const result = record['AuthenticationResult']
  if (typeof result !== 'object' || result === null) {
    return { kind: 'invalid', problem: 'the answer has no AuthenticationResult' }
  }
  const { IdToken: idToken, AccessToken: accessToken, RefreshToken: refreshToken } = result as Record<string, unknown>
  if (typeof idToken !== 'string' || jwtClaims(idToken) === undefined) {
    return { kind: 'invalid', problem: 'AuthenticationResult.IdToken is missing or not a JWT' }
  }
  if (typeof accessToken !== 'string' || jwtClaims(accessToken) === undefined) {
    return { kind: 'invalid', problem: 'AuthenticationResult.AccessToken is missing or not a JWT' }
  }
  if (
    refreshToken !== undefined &&
    refreshToken !== null &&
    (typeof refreshToken !== 'string' || refreshToken === '')
  ) {
    return { kind: 'invalid', problem: 'AuthenticationResult.RefreshToken is not a string' }
  }
  return {
    kind: 'tokens',
    tokens: { idToken, accessToken, ...(typeof refreshToken === 'string' ? { refreshToken } : {}) },
  }
}

/** A service message made safe to keep on an error: secrets masked, length capped. */
export function safeServiceMessage(message: string, secrets: readonly (string | undefined)[]): string {
  let text = message
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) text = text.split(secret).join('[redacted]')
  }
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text
}

export interface CognitoCall {
  readonly endpoint: URL
  readonly fetch: typeof globalThis.fetch
  readonly signal?: AbortSignal | undefined
}

/** One `AWSCognitoIdentityProviderService.<operation>` call. */
export function callCognito<T>(call: CognitoCall, operation: string, body: unknown): Promise<AwsJsonResult<T>> {
  return callAwsJson<T>({
    endpoint: call.endpoint,
    target: `${TARGET_PREFIX}${operation}`,
    body,
    fetch: call.fetch,
    signal: call.signal,
  })
}

/** The default fetch, looked up at call time (so test interceptors and polyfills installed later apply). */
export const defaultFetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init)

export interface SignInWithPasswordOptions {
  /** The app client id. */
  readonly clientId: string
  readonly username: string
  readonly password: string
  /** The pool's region; needed unless `endpoint` is given. */
  readonly region?: string | undefined
  /** Default `https://cognito-idp.<region>.amazonaws.com/`; a local emulator's URL in tests. */
  readonly endpoint?: string | URL | undefined
  /** For app clients with a secret (servers): sent as `SECRET_HASH`, never itself. */
  readonly clientSecret?: string | undefined
  readonly fetch?: typeof globalThis.fetch | undefined
  readonly signal?: AbortSignal | undefined
}

/**
 * Signs in with a user name and password (`InitiateAuth`, `USER_PASSWORD_AUTH`; the app client
 * must allow `ALLOW_USER_PASSWORD_AUTH`). For servers, scripts and tests; browsers usually sign in
 * with SRP or the hosted UI. Resolves to the tokens as Cognito returned them, ready for
 * `fromCognitoUserPool({ tokens })`.
 *
 * @throws {SignInError} when Cognito rejects the credentials (`errorType`) or asks for a
 * challenge first (`challengeName`, e.g. `NEW_PASSWORD_REQUIRED`).
 * @throws {NetworkError} when Cognito cannot be reached.
 *
 * @example
 * ```ts
 * const tokens = await signInWithPassword({ clientId, username: 'alice', password, region: 'us-east-1' })
 * const client = createClient({ endpoint, authMode: 'userPool', userPool: fromCognitoUserPool({ clientId, tokens }) })
 * ```
 */
export async function signInWithPassword(options: SignInWithPasswordOptions): Promise<CognitoTokens> {
  const where = 'signInWithPassword'
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new ConfigurationError(`${where} needs an options object with clientId, username and password.`)
  }
  for (const name of ['clientId', 'username', 'password'] as const) {
    if (typeof options[name] !== 'string' || options[name] === '') {
      throw new ConfigurationError(`${where}: \`${name}\` must be a non-empty string.`)
    }
  }
  if (options.clientSecret !== undefined && (typeof options.clientSecret !== 'string' || options.clientSecret === '')) {
    throw new ConfigurationError(`${where}: \`clientSecret\` must be a non-empty string when given.`)
  }
  const endpoint = cognitoEndpoint(parseLocation(options, where), undefined, where)
  const parameters: Record<string, string> = { USERNAME: options.username, PASSWORD: options.password }
  if (options.clientSecret !== undefined) {
    parameters['SECRET_HASH'] = await cognitoSecretHash({
      clientSecret: options.clientSecret,
      username: options.username,
      clientId: options.clientId,
    })
  }
  const result = await callCognito<unknown>(
    { endpoint, fetch: options.fetch ?? defaultFetch, signal: options.signal },
    'InitiateAuth',
    { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: options.clientId, AuthParameters: parameters },
  )
  const secrets = [options.password, options.clientSecret, parameters['SECRET_HASH']]
  if (!result.ok) {
    const detail = result.message ? `: ${safeServiceMessage(result.message, secrets)}` : ''
    throw new SignInError(`${where}: Cognito did not sign the user in (${result.type}${detail}).`, {
      errorType: result.type,
      retryable: result.transient,
      recoverySuggestion: result.transient
        ? 'Cognito is busy or unreachable: try again shortly.'
        : 'Check the user name and password, and that the app client allows ALLOW_USER_PASSWORD_AUTH.',
    })
  }
  const answer = readAuthAnswer(result.body)
  if (answer.kind === 'challenge') {
    throw new SignInError(
      `${where}: Cognito asks for the ${answer.challengeName} challenge to be answered before signing in (RespondToAuthChallenge), which signInWithPassword does not do.`,
      {
        challengeName: answer.challengeName,
        recoverySuggestion:
          'Answer the challenge with RespondToAuthChallenge, or settle it for the user (e.g. set a permanent password).',
      },
    )
  }
  if (answer.kind === 'invalid') {
    throw new SignInError(`${where}: Cognito's answer is not usable: ${answer.problem}.`, {
      errorType: 'InvalidResponse',
      retryable: true,
      recoverySuggestion: 'Check that `endpoint` is the Cognito user pool API and not a proxy or an error page.',
    })
  }
  if (answer.tokens.refreshToken === undefined) {
    // Cognito always returns one here; without it the session cannot outlive the ID token.
    throw new SignInError(`${where}: Cognito's answer has no RefreshToken.`, {
      errorType: 'InvalidResponse',
      retryable: true,
    })
  }
  return answer.tokens
}
