// cognito-local (started by the e2e harness) plus what the browser tests add: app clients with
// token lifetimes of a few seconds, and users with random passwords (never printed).
import { randomBytes } from 'node:crypto'
import type { CognitoLocal } from '../../e2e/src/cognito-local'

export { startCognitoLocal, type CognitoLocal } from '../../e2e/src/cognito-local'

/** An app client whose ID and access tokens live `seconds` (cognito-local enforces no minimum). */
export async function shortLivedClient(cognito: CognitoLocal, seconds: number): Promise<string> {
  const answer = await cognito.call<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
    UserPoolId: cognito.userPoolId,
    ClientName: `authmode-short-${String(seconds)}s`,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    IdTokenValidity: seconds,
    AccessTokenValidity: seconds,
    TokenValidityUnits: { IdToken: 'seconds', AccessToken: 'seconds', RefreshToken: 'days' },
  })
  return answer.UserPoolClient.ClientId
}

export interface TestUser {
  readonly username: string
  readonly password: string
}

export async function createTestUser(cognito: CognitoLocal, username: string): Promise<TestUser> {
  const password = `Pw-${randomBytes(12).toString('base64url')}-aA1!`
  await cognito.createUser(username, password)
  return { username, password }
}

/** A JWT's claims, read without verifying (the tests compare claims, never print tokens). */
export function claims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? ''
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
}
