// Values and types on separate lines; everything public is named here.
export { startLocalAppSync } from './server/startLocalAppSync'
export type {
  BackendCredentials,
  LocalAppSync,
  LocalAppSyncOptions,
  LocalAppSyncWithIdentityPool,
  LocalLogger,
} from './server/startLocalAppSync'
export type { IdentityPoolOptions } from './server/identityPool'
export type { LocalUserPool, LocalUserPoolClient } from './server/userPool'
export type { LocalAppClient, LocalUser, LocalUserPoolOptions } from './user-pool/index'
export type { UserPoolHandler, UserPoolOperation } from './user-pool/index'
export { DEFAULT_API_KEY_TTL_DAYS, newApiKey } from './auth/apiKeys'
export type { ApiKeyInfo, ApiKeyInput, ApiKeyRegistry, CreatedApiKey } from './auth/apiKeys'
export type { Caller, Claims, LocalAuthMode } from './auth/caller'
export type { OidcConfig, UserPoolConfig } from './auth/jwt'
export type { LambdaAuthorizer, LambdaAuthorizerEvent, LambdaAuthorizerResult } from './auth/lambda'
export { modelIntrospection } from './amplify/modelIntrospection'
export type {
  IntrospectionArgument,
  IntrospectionAttribute,
  IntrospectionAuthRule,
  IntrospectionField,
  IntrospectionModel,
  IntrospectionOperation,
  IntrospectionType,
  ModelIntrospectionSchema,
} from './amplify/modelIntrospection'
export type { AppSyncAuthorizationType, LocalAmplifyOutputs } from './amplify/amplifyOutputs'
export type { RealtimeOptions } from './realtime/endpoint'
export type { LocalResolver, LocalResolvers, ResolverContext } from './schema/executable'
export type { DataStore, StoreSnapshot, StoredItem } from './store/dataStore'
export { createCredentialStore, createIdentityPoolHandler, startIdentityPoolServer } from './identity-pool/index'
export type {
  CredentialStoreOptions,
  IdentityPoolConfig,
  IdentityPoolHandler,
  IdentityPoolHandlerOptions,
  IdentityPoolOperation,
  IdentityPoolServer,
  IdentityPoolServerOptions,
} from './identity-pool/index'
export type {
  CredentialStore,
  IamPrincipal,
  IssuedCredentials,
  VerifyLoginToken,
  WebHandler,
} from './identity-pool/types'
