// A counting proxy in front of cognito-local: records which operation (and auth flow) each call
// was, never what it carried (passwords, refresh tokens). What the tests count is what really
// reached cognito-local over TCP, whoever sent it.
import { startProxy, type RunningProxy } from './proxy'

export interface CognitoCallSeen {
  /** e.g. `InitiateAuth`, `RevokeToken`. */
  readonly operation: string
  /** `AuthFlow` of an InitiateAuth, e.g. `REFRESH_TOKEN_AUTH`. */
  readonly authFlow: string | undefined
}

export interface CognitoProxy extends RunningProxy {
  readonly calls: CognitoCallSeen[]
  /** How many calls of `operation` (and `authFlow`, when given) went through. */
  count(operation: string, authFlow?: string): number
}

export async function startCognitoProxy(cognitoEndpoint: string): Promise<CognitoProxy> {
  const calls: CognitoCallSeen[] = []
  const proxy = await startProxy({
    target: cognitoEndpoint,
    inspect: (request) => {
      const target = request.headers['x-amz-target']
      const operation = (typeof target === 'string' ? target : '').replace(/^AWSCognitoIdentityProviderService\./, '')
      let authFlow: string | undefined
      try {
        const body = JSON.parse(request.body.toString('utf8')) as { AuthFlow?: unknown }
        authFlow = typeof body.AuthFlow === 'string' ? body.AuthFlow : undefined
      } catch {
        authFlow = undefined
      }
      calls.push({ operation, authFlow })
      return undefined
    },
  })
  return Object.assign(proxy, {
    calls,
    count: (operation: string, authFlow?: string) =>
      calls.filter((c) => c.operation === operation && (authFlow === undefined || c.authFlow === authFlow)).length,
  })
}
