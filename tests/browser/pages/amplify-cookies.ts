// A page where Amplify v6 itself (@aws-amplify/auth 6.21, @aws-amplify/core 6.19) signs in, its
// tokens kept by its own CookieStorage (js-cookie) as `Amplify.configure(config, { ssr: true })` of
// `aws-amplify` sets it up: `new CookieStorage({ sameSite: 'lax' })`. The server of
// tests/e2e/src/ssr.ts then reads that session with our code, and Amplify reads what ours writes.
// The tests drive it through `window.amplify`; it returns claims, never a token.
import { Amplify, CookieStorage } from '@aws-amplify/core'
import { fetchAuthSession, signIn } from '@aws-amplify/auth'
import { cognitoUserPoolsTokenProvider } from '@aws-amplify/auth/cognito'

export interface AmplifyPageConfig {
  readonly userPoolId: string
  readonly clientId: string
  readonly userPoolEndpoint: string
}

export interface AmplifyPageApi {
  /** What `Amplify.configure(config, { ssr: true })` does for the Auth category (on every page load). */
  configure(config: AmplifyPageConfig): void
  signIn(username: string, password: string): Promise<boolean>
  /** `cognito:username` and `iat` of the ID token Amplify's fetchAuthSession gives now. */
  idTokenClaims(): Promise<{ username: unknown; iat: unknown } | undefined>
}

declare global {
  interface Window {
    amplify: AmplifyPageApi
  }
}

window.amplify = {
  configure({ userPoolId, clientId, userPoolEndpoint }) {
    Amplify.configure(
      { Auth: { Cognito: { userPoolId, userPoolClientId: clientId, userPoolEndpoint } } },
      { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } },
    )
    const auth = Amplify.getConfig().Auth
    if (auth) cognitoUserPoolsTokenProvider.setAuthConfig(auth)
    cognitoUserPoolsTokenProvider.setKeyValueStorage(new CookieStorage({ sameSite: 'lax' }))
  },
  async signIn(username, password) {
    const result = await signIn({ username, password, options: { authFlowType: 'USER_PASSWORD_AUTH' } })
    return result.isSignedIn
  },
  async idTokenClaims() {
    const payload = (await fetchAuthSession()).tokens?.idToken?.payload
    return payload && { username: payload['cognito:username'], iat: payload.iat }
  },
}
