// The local Cognito user pool: values and types on separate lines.
export { resolveUserPool } from './config'
export type { LocalAppClient, LocalUser, LocalUserPoolOptions, ResolvedPool } from './config'
export { createUserPoolHandler } from './handler'
export type { UserPoolHandler, UserPoolHandlerOptions, UserPoolOperation } from './handler'
export { newSigningKey } from './tokens'
export type { SigningKey } from './tokens'
