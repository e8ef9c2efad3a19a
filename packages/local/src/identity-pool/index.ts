// The identity-pool endpoint: values and types on separate lines.
export { createCredentialStore } from './credentialStore'
export type { CredentialStoreOptions } from './credentialStore'
export { createIdentityPoolHandler } from './handler'
export type {
  IdentityPoolConfig,
  IdentityPoolHandler,
  IdentityPoolHandlerOptions,
  IdentityPoolOperation,
} from './handler'
export { startIdentityPoolServer } from './server'
export type { IdentityPoolServer, IdentityPoolServerOptions } from './server'
export type { CredentialStore, IamPrincipal, IssuedCredentials, VerifyLoginToken, WebHandler } from './types'
