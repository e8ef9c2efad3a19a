// Values and types on separate lines; everything public is named here.
export { createAuthFetch } from './client/authFetch'
export type { AuthFetch, AuthFetchInit } from './client/authFetch'
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

export { apiKeyMode } from './auth/apiKey'
export { iamMode } from './auth/iam'
export type { IamModeOptions } from './auth/iam'
export { noneMode } from './auth/none'
export { lambdaMode, oidcMode, userPoolMode } from './auth/token'
export { AUTH_MODES } from './auth/types'
export type { AuthModeDefinition, ModeSetup } from './auth/definition'
export type {
  ApiKeyIdentity,
  ApiKeyProvider,
  AuthContext,
  AuthMode,
  AuthStrategy,
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  HttpRequest,
  ResolveIdentityOptions,
  SessionResolveOptions,
  SessionTokenProvider,
  TokenIdentity,
  TokenProvider,
} from './auth/types'

export { memoryStorage } from './storage/types'
export type { KeyValueStorage } from './storage/types'
export { memoizeIdentity } from './identity/memoize'
export { fromCognitoIdentityPool } from './identity/cognitoIdentityPool'
export type {
  CognitoIdentityCredentials,
  CognitoIdentityPoolOptions,
  CognitoIdentityPoolProvider,
  CognitoLogins,
  CognitoLoginsProvider,
} from './identity/cognitoIdentityPool'
export type { MemoizedProvider, MemoizeOptions } from './identity/memoize'
export { jwtExpiration } from './identity/jwt'
export { fromCognitoUserPool } from './identity/cognitoUserPool'
export type { CognitoTokens, CognitoUserPoolOptions, CognitoUserPoolSession } from './identity/cognitoUserPool'
export { signOut } from './identity/signOut'
export type { SignOutOptions } from './identity/signOut'
export { signInWithPassword } from './identity/cognitoAuth'
export type { SignInWithPasswordOptions } from './identity/cognitoAuth'
export { cognitoSecretHash } from './identity/secretHash'
export { inProcessLock } from './identity/refreshLock'
export type { RefreshLock } from './identity/refreshLock'
export { createSigV4Signer } from './sigv4/signer'
export type { SignerOptions, Signer, SignOptions } from './sigv4/signer'
export type { Clock } from './internal/clock'
export type { DocumentInput, OperationType, TypedDocumentNode, TypedDocumentString } from './graphql/document'

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
  ResponseInfo,
  SignInErrorOptions,
  SkippedMode,
  TokenRefreshErrorOptions,
} from './errors/index'
