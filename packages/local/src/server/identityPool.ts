// The identity-pool endpoint (../identity-pool/) mounted beside the GraphQL route: its credentials
// go into the same store the SigV4 verifier reads, and its logins are verified by the same JWT
// verifier as user-pool requests.
import { randomUUID } from 'node:crypto'
import type { Clock } from '@authmode/core'
import { createCredentialStore, createIdentityPoolHandler, type IdentityPoolHandler } from '../identity-pool/index'
import type { CredentialStore, VerifyLoginToken } from '../identity-pool/types'

export interface IdentityPoolOptions {
  /** Default `<region>:<random uuid>`. */
  readonly identityPoolId?: string | undefined
  /** Whether guests get identities and credentials (default true). */
  readonly allowUnauthenticated?: boolean | undefined
  /** Lifetime of issued credentials (default 3600 s, as Cognito). */
  readonly credentialLifetimeSeconds?: number | undefined
}

export function newCredentialStore(clock: Clock): CredentialStore {
  return createCredentialStore({ clock })
}

export interface IdentityPoolRouteOptions {
  readonly options: IdentityPoolOptions
  readonly region: string
  readonly credentials: CredentialStore
  readonly verifyLogin: VerifyLoginToken
  /** `Logins` keys accepted: the configured user pools' issuers without `https://`. */
  readonly loginProviders: readonly string[]
  readonly clock: Clock
}

export type IdentityPoolRoute = IdentityPoolHandler & { readonly identityPoolId: string }

export function identityPoolRoute(route: IdentityPoolRouteOptions): IdentityPoolRoute {
  const identityPoolId = route.options.identityPoolId ?? `${route.region}:${randomUUID()}`
  const handler = createIdentityPoolHandler({
    identityPools: [
      {
        identityPoolId,
        allowUnauthenticated: route.options.allowUnauthenticated ?? true,
        loginProviders: route.loginProviders,
      },
    ],
    store: route.credentials,
    verifyLogin: route.verifyLogin,
    clock: route.clock,
    ...(route.options.credentialLifetimeSeconds === undefined
      ? {}
      : { credentialLifetimeSeconds: route.options.credentialLifetimeSeconds }),
  })
  return Object.assign(handler, { identityPoolId })
}
