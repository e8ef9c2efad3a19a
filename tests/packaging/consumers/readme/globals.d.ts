// What the README's TypeScript blocks take as given, for tests/packaging/test/readme-snippets.test.ts:
// the functions a block may use without importing them (it continues an earlier block that did),
// and the app's own values, typed where the README says what they are.
import type * as authmode from '@authmode/node'

declare global {
  const createClient: typeof authmode.createClient
  const createAuthFetch: typeof authmode.createAuthFetch
  const subscribe: typeof authmode.subscribe
  const signInWithPassword: typeof authmode.signInWithPassword
  const fromCognitoUserPool: typeof authmode.fromCognitoUserPool
  const fromCognitoIdentityPool: typeof authmode.fromCognitoIdentityPool
  const fromAmplifyConfig: typeof authmode.fromAmplifyConfig
  const GraphQLClient: typeof import('graphql-request').GraphQLClient

  // The API and the app's configuration.
  const endpoint: string
  const region: string
  const apiKey: string
  const clientId: string
  const identityPoolId: string
  const UserPoolId: string
  const ClientId: string
  const username: string
  const password: string
  const providerName: string
  /** The app's way to the current ID token. */
  const idToken: () => Promise<string>
  const accessKeyId: string
  const secretAccessKey: string
  const sessionToken: string
  const id: string
  const client: authmode.Client
  const tokenProvider: authmode.TokenProvider
  const credentials: authmode.AwsCredentialIdentity
  const controller: AbortController
  // GraphQL documents the app defines.
  const QUERY: string
  const query: string
  const LIST_NOTES: string
  const LIST_POSTS: string
  const LIST_TODOS: string
  const ON_NOTE: string
  const ON_CREATE: string
  // The app's own code and data: anything.
  const vars: any
  const outputs: any
  const session: any
  const guestCredentials: any
  const imageBytes: any
  const idTokenFromTheRequest: any
  const myAuth: any
  const loadKeyFromYourConfigService: any
  const show: any
  const showSignIn: any
  const report: any
  const refetchNotes: any
}
