import { ConfigurationError } from '../errors/ConfigurationError'
import { TokenRefreshError } from '../errors/TokenRefreshError'
import type { AwsJsonFailure } from './awsJson'
import type { CognitoUserPoolSession } from './cognitoUserPool'
import { FORGET } from './userPoolSession'

export interface SignOutOptions {
  /** Revoke the refresh token with Cognito's `RevokeToken` (default true), then clear storage. */
  readonly revoke?: boolean | undefined
}

/**
 * Signs a `fromCognitoUserPool` session out at once (tokens forgotten, storage cleared) and revokes its
 * refresh token unless `revoke: false`; a failed revocation is a `TokenRefreshError` (`sessionEnded`).
 */
export async function signOut(session: CognitoUserPoolSession, { revoke }: SignOutOptions = {}): Promise<void> {
  const forget = (session as Partial<CognitoUserPoolSession> | null)?.[FORGET]
  if (!forget) throw new ConfigurationError('`signOut` takes a session made by `fromCognitoUserPool`.')
  await forget(
    revoke === false
      ? undefined
      : async (held, revokeToken) => {
          let failure: AwsJsonFailure | undefined
          // Names the region when nothing else does: storage's set (another tab may have rotated it), else ours.
          const idToken = (held[0] ?? held[1])?.idToken
          for (const token of new Set(held.map((tokens) => tokens?.refreshToken))) {
            if (!token) continue
            const result = await revokeToken(token, idToken)
            // Already invalid (revoked, expired, unknown): there is nothing left to revoke.
            if (!result.ok && result.type !== 'NotAuthorizedException') failure ??= result
          }
          if (failure) {
            throw new TokenRefreshError(
              `userPool: signed out here, but RevokeToken failed (${failure.detail}): the refresh token is valid until it expires.`,
              { cause: failure.cause, sessionEnded: true, errorType: failure.type },
            )
          }
        },
  )
}
