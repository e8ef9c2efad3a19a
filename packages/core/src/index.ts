// The public surface: what apps call, the types of its options and results, and the errors. Values
// and types on separate lines. What only @authmode/browser and @authmode/node need is in ./internal.
export { createAuthFetch } from './client/authFetch'
export type { AuthFetch, AuthFetchInit, AuthFetchOptions } from './client/authFetch'
export { createClient } from './client/createClient'
export type { Client } from './client/createClient'
export type {
  BeforeRequestContext,
  BeforeRequestHook,
  ClientHooks,
  ClientOptions,
  RequestOptions,
  RetryOptions,
} from './client/options'
export type { ClientEventListener, ClientEventName, ClientEvents, Logger } from './client/events'
export { subscribe } from './realtime/subscribe'
export type { SubscribeOptions, Subscription } from './realtime/subscribe'
export type {
  RealtimeOptions,
  ReconnectOptions,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketLoader,
} from './realtime/types'
export type { DocumentInput, TypedDocumentNode, TypedDocumentString } from './graphql/document'

// The header modes come with `createClient`; SigV4 is registered with `modes: [iamMode()]`.
export { iamMode } from './auth/iam'
export type { IamModeOptions } from './auth/iam'
export type { AuthModeDefinition } from './auth/definition'
export type { Signer, SignerOptions, SignOptions } from './sigv4/signer'
export type {
  ApiKeyIdentity,
  ApiKeyProvider,
  AuthMode,
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  HttpRequest,
  ResolveIdentityOptions,
  SessionResolveOptions,
  SessionTokenProvider,
  TokenIdentity,
  TokenProvider,
} from './auth/types'
export type { Clock } from './internal/clock'

export { memoryStorage } from './storage/types'
export type { KeyValueStorage } from './storage/types'
export { fromCognitoIdentityPool } from './identity/cognitoIdentityPool'
export type {
  CognitoIdentityCredentials,
  CognitoIdentityPoolOptions,
  CognitoIdentityPoolProvider,
  CognitoLogins,
  CognitoLoginsProvider,
} from './identity/cognitoIdentityPool'
export { fromCognitoUserPool } from './identity/cognitoUserPool'
export type { CognitoTokens, CognitoUserPoolOptions, CognitoUserPoolSession } from './identity/cognitoUserPool'
export type { RefreshLock } from './identity/refreshLock'
export { signOut } from './identity/signOut'
export type { SignOutOptions } from './identity/signOut'
export { signInWithPassword } from './identity/cognitoAuth'
export { fromAmplifyConfig } from './amplify/fromAmplifyConfig'
export type { AmplifyClientOptions } from './amplify/fromAmplifyConfig'
export type { AmplifyConfig, AmplifyOutputs, AwsExports, ModelIntrospection } from './amplify/amplifyConfig'
export type { SignInWithPasswordOptions } from './identity/cognitoAuth'

export {
  AuthmodeError,
  ConfigurationError,
  CredentialsError,
  GraphQLResponseError,
  HttpError,
  isAuthmodeError,
  NetworkError,
  NoAuthModeAvailableError,
  NoIdentityError,
  PlatformNotSupportedError,
  ResponseParseError,
  SignInError,
  SubscriptionError,
  TimeoutError,
  TokenRefreshError,
  UnauthorizedError,
} from './errors/index'
export type {
  AuthmodeErrorCode,
  AuthmodeErrorOptions,
  GraphQLErrorEntry,
  SkippedMode,
  TokenRefreshErrorOptions,
} from './errors/index'
