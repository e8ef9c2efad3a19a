// The file's Cognito resources as providers, for an environment that keeps sessions (the browser):
// its user pool as a session read from storage, its identity pool as credentials that follow it.
import type { ClientOptions } from '../client/options'
import { NoIdentityError } from '../errors/NoIdentityError'
import type {
  CognitoIdentityPoolOptions,
  CognitoIdentityPoolProvider,
  CognitoLoginsProvider,
} from '../identity/cognitoIdentityPool'
import type { CognitoUserPoolOptions, CognitoUserPoolSession } from '../identity/cognitoUserPool'
import { jwtClaims } from '../identity/jwt'
import { givenOptions, readAmplifyConfig, type AmplifyCognito, type AmplifyConfig } from './amplifyConfig'

/** The second argument of `@authmode/browser`'s `fromAmplifyConfig`: your options win over the file. */
export interface AmplifyConfigOptions extends Partial<ClientOptions> {
  /** Options of the `fromCognitoUserPool` session made for the file's user pool (`endpoint`, `storage`, `use`, …). */
  readonly cognitoUserPool?: Partial<CognitoUserPoolOptions> | undefined
  /** Options of the `fromCognitoIdentityPool` credentials made for the file's identity pool (`endpoint`, `storage`, …). */
  readonly cognitoIdentityPool?: Partial<CognitoIdentityPoolOptions> | undefined
}

/** `createClient` options from a file, with the providers made for its Cognito resources. */
export interface AmplifySessionClientOptions extends ClientOptions {
  /**
   * The session made for the file's user pool (also `userPool`), for `signOut` and
   * `currentTokens()`; undefined when the file has no user pool or you passed `userPool`.
   */
  readonly session?: CognitoUserPoolSession | undefined
}

/** How an environment makes its providers (the browser's keep sessions in `localStorage`). */
export interface AmplifyProviders {
  readonly fromCognitoUserPool: (options: CognitoUserPoolOptions) => CognitoUserPoolSession
  readonly fromCognitoIdentityPool: (options: CognitoIdentityPoolOptions) => CognitoIdentityPoolProvider
}

/**
 * `fromAmplifyConfig` with the file's Cognito resources wired: a user pool session read from
 * storage (unless `userPool` is given), and identity-pool credentials (unless `credentials` is
 * given): those of the signed-in user (the session's ID token as `logins`), else a guest's when the
 * pool allows guests, else none (`NoIdentityError`: a mode list moves on).
 */
export function amplifyConfigWith(
  providers: AmplifyProviders,
  config: AmplifyConfig,
  options?: AmplifyConfigOptions,
): AmplifySessionClientOptions {
  const { cognitoUserPool, cognitoIdentityPool, ...given } = givenOptions(options)
  const { options: fromFile, cognito } = readAmplifyConfig(config, given)
  const region = cognito.region === undefined ? {} : { region: cognito.region }
  const session =
    cognito.userPool && given.userPool === undefined
      ? providers.fromCognitoUserPool({ clientId: cognito.userPool.clientId, ...region, ...cognitoUserPool })
      : undefined
  // Logins from our session, or from yours when it is a `fromCognitoUserPool` session too.
  const signedIn = session ?? (isSession(given.userPool) ? given.userPool : undefined)
  const credentials =
    cognito.identityPoolId !== undefined && given.credentials === undefined && (cognito.guests || signedIn)
      ? providers.fromCognitoIdentityPool({
          identityPoolId: cognito.identityPoolId,
          ...region,
          ...(signedIn && { logins: loginsOf(signedIn, cognito) }),
          ...cognitoIdentityPool,
        })
      : undefined
  return {
    ...fromFile,
    ...(session && { userPool: session, session }),
    ...(credentials && { credentials }),
    ...given,
  } as AmplifySessionClientOptions
}

function isSession(value: unknown): value is CognitoUserPoolSession {
  return typeof value === 'function' && typeof (value as Partial<CognitoUserPoolSession>).currentTokens === 'function'
}

/** The signed-in user's `logins` (its fresh ID token under its issuer, as Amplify forms them); none for a guest. */
function loginsOf(session: CognitoUserPoolSession, cognito: AmplifyCognito): CognitoLoginsProvider {
  return async () => {
    let idToken: string | undefined
    try {
      await session() // refreshed if it is about to expire
      idToken = (await session.currentTokens())?.idToken
    } catch (error) {
      // Nobody signed in: a guest, if guests are allowed.
      if ((error as Partial<NoIdentityError> | null)?.code !== NoIdentityError.code) throw error
    }
    if (idToken) {
      const iss = jwtClaims(idToken)?.['iss']
      const poolId = cognito.userPool?.userPoolId ?? ''
      const name =
        typeof iss === 'string' && iss
          ? iss.replace(/^https?:\/\//, '')
          : `cognito-idp.${cognito.region ?? poolId.split('_')[0] ?? ''}.amazonaws.com/${poolId}`
      return { [name]: idToken }
    }
    if (cognito.guests) return undefined
    throw new NoIdentityError('iam: nobody is signed in, and the identity pool allows no guests.')
  }
}
