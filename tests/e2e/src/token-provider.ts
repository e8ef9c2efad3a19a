// A user pool TokenProvider over cognito-local: signs in once, hands out the raw ID token, and on
// `forceRefresh` (after a rejection) gets new tokens with REFRESH_TOKEN_AUTH.
import type { TokenProvider } from '@authmode/core'
import type { CognitoLocal, CognitoTokens } from './cognito-local'

export interface CognitoTokenProvider extends TokenProvider {
  /** The tokens handed out last (for comparisons; never print them). */
  readonly current: () => CognitoTokens | undefined
  /** How often the client asked, and how often with `forceRefresh`. */
  readonly calls: () => { readonly total: number; readonly forced: number }
}

export function cognitoTokenProvider(cognito: CognitoLocal, username: string, password: string): CognitoTokenProvider {
  let tokens: CognitoTokens | undefined
  let total = 0
  let forced = 0
  const provider = async (options?: { forceRefresh?: boolean | undefined }) => {
    total++
    if (options?.forceRefresh) forced++
    if (!tokens) tokens = await cognito.signIn(username, password)
    else if (options?.forceRefresh) tokens = { ...tokens, ...(await cognito.refresh(tokens.refreshToken)) }
    // No `expiration`: the client reads the token's `exp` claim.
    return { token: tokens.idToken }
  }
  return Object.assign(provider, { current: () => tokens, calls: () => ({ total, forced }) })
}
