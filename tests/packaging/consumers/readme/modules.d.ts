// Packages the README's blocks import that this folder does not install: only what the blocks use.
declare module 'amazon-cognito-identity-js' {
  export class CognitoUserPool {
    constructor(data: { UserPoolId: string; ClientId: string })
    getCurrentUser(): CognitoUser | null
  }
  // As the library declares them, the parts the adapter uses.
  export class CognitoUser {
    getUsername(): string
    getSignInUserSession(): CognitoUserSession | null
    getSession(callback: (error: Error | null, session: CognitoUserSession | null) => void): void
    refreshSession(token: CognitoRefreshToken, callback: (error: unknown, session: CognitoUserSession) => void): void
  }
  export class CognitoUserSession {
    getIdToken(): CognitoJwt
    getAccessToken(): CognitoJwt
    getRefreshToken(): CognitoRefreshToken
    isValid(): boolean
  }
  export class CognitoJwt {
    getJwtToken(): string
    getExpiration(): number
  }
  export class CognitoRefreshToken {
    getToken(): string
  }
}
declare module '@aws-sdk/credential-providers' {
  import type { AwsCredentialIdentityProvider } from '@authmode/node'
  export function fromNodeProviderChain(init?: object): AwsCredentialIdentityProvider
}
// graphql-request is in the repository (examples/graphql-request), not in this folder.
declare module 'graphql-request' {
  export class GraphQLClient {
    constructor(url: string, options?: { fetch?: typeof fetch; headers?: Record<string, string> })
    request<T = unknown>(document: string, variables?: Record<string, unknown>): Promise<T>
  }
}
declare module '*amplify_outputs.json' {
  const outputs: Record<string, unknown>
  export default outputs
}
