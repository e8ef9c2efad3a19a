// Signing in to a Cognito user pool with a password, over plain fetch (AWS JSON 1.1, unsigned).
// Only apps that call it bundle it: the session (cognitoUserPool.ts) does not import it.
import { NetworkError } from '../errors/NetworkError'
import { SignInError } from '../errors/SignInError'
import { describeUrl } from '../transport/fetch'
import { callAwsJson, defaultFetch } from './awsJson'
import { cognitoUrl, endpointOption, isRegion, needFor, type Need } from './cognitoConfig'
import type { CognitoTokens } from './cognitoUserPool'
import { readAuthAnswer } from './cognitoUserPoolApi'
import { cognitoSecretHash } from './secretHash'

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
 * Signs in with `USER_PASSWORD_AUTH` (the app client must allow it), for servers, scripts and tests;
 * resolves to the tokens for `fromCognitoUserPool`. Throws `SignInError` (refused, or a challenge).
 */
export async function signInWithPassword(options: SignInWithPasswordOptions): Promise<CognitoTokens> {
  const need: Need = needFor('signInWithPassword')
  need(
    typeof options === 'object' && (options as unknown) !== null,
    'pass an options object with clientId, username and password.',
  )
  const { clientId, username, password, region, clientSecret } = options
  for (const [name, value] of Object.entries({ clientId, username, password })) {
    need(typeof value === 'string' && value, `\`${name}\` must be a non-empty string.`)
  }
  need(
    clientSecret === undefined || (typeof clientSecret === 'string' && clientSecret),
    '`clientSecret` must be a non-empty string when given.',
  )
  need(region === undefined || isRegion(region), '`region` must be an AWS region such as "us-east-1".')
  let endpoint = endpointOption(options.endpoint, need)
  if (!endpoint) {
    need(region, 'pass `region` (e.g. "us-east-1") or `endpoint`.')
    endpoint = cognitoUrl('cognito-idp', region)
  }
  const parameters: Record<string, string> = { USERNAME: username, PASSWORD: password }
  if (clientSecret !== undefined) {
    parameters['SECRET_HASH'] = await cognitoSecretHash({ clientSecret, username, clientId })
  }
  const result = await callAwsJson(
    endpoint,
    'AWSCognitoIdentityProviderService.InitiateAuth',
    { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: parameters },
    {
      fetch: options.fetch ?? defaultFetch,
      signal: options.signal,
      secrets: [password, clientSecret, parameters['SECRET_HASH']],
    },
  )
  if (!result.ok && result.type === 'NetworkError') throw new NetworkError('POST', describeUrl(endpoint), result.cause)
  if (!result.ok) {
    throw new SignInError(`signInWithPassword: Cognito did not sign the user in (${result.detail}).`, {
      errorType: result.type,
      retryable: result.transient,
      recoverySuggestion: result.transient
        ? 'Cognito is busy or unreachable: try again shortly.'
        : 'Check the user name and password, and that the app client allows ALLOW_USER_PASSWORD_AUTH.',
    })
  }
  const challengeName = (result.body as { ChallengeName?: unknown } | null)?.ChallengeName
  if (typeof challengeName === 'string' && challengeName) {
    throw new SignInError(
      `signInWithPassword: Cognito asks for the ${challengeName} challenge to be answered before signing in (RespondToAuthChallenge), which signInWithPassword does not do.`,
      {
        challengeName,
        recoverySuggestion:
          'Answer the challenge with RespondToAuthChallenge, or settle it for the user (e.g. set a permanent password).',
      },
    )
  }
  const answer = readAuthAnswer(result.body)
  // Cognito always returns a refresh token here; without it the session cannot outlive the ID token.
  if ('ok' in answer || answer.refreshToken === undefined) {
    throw new SignInError(
      `signInWithPassword: Cognito's answer is not usable (${'ok' in answer ? answer.detail : 'no RefreshToken'}).`,
      {
        errorType: 'InvalidResponse',
        retryable: true,
        recoverySuggestion: 'Check that `endpoint` is the Cognito user pool API and not a proxy or an error page.',
      },
    )
  }
  return answer
}
