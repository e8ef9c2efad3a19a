// A Gen 2 amplify_outputs.json (schema version 1.4, `AWSAmplifyBackendOutputs` of
// aws-amplify/amplify-backend packages/client-config) describing a running local endpoint: its
// GraphQL URL and modes (`data`) and, when it has a user pool, its Cognito resources (`auth`).
import type { LocalAuthMode } from '../auth/caller'
import type { ModelIntrospectionSchema } from './modelIntrospection'

/** AppSync's names of the authorization types. */
export type AppSyncAuthorizationType =
  'API_KEY' | 'AMAZON_COGNITO_USER_POOLS' | 'OPENID_CONNECT' | 'AWS_IAM' | 'AWS_LAMBDA'

/** The parts of amplify_outputs.json a local endpoint fills in. */
export interface LocalAmplifyOutputs {
  readonly version: '1.4'
  readonly data: {
    readonly url: string
    readonly aws_region: string
    /** The first API key (a secret); absent when the API_KEY mode is off. */
    readonly api_key?: string
    readonly default_authorization_type: AppSyncAuthorizationType
    /** The other modes the endpoint accepts (the default is not repeated, as Amplify writes it). */
    readonly authorization_types: readonly AppSyncAuthorizationType[]
    readonly model_introspection: ModelIntrospectionSchema
  }
  /** Present when the endpoint has a user pool (the local one, or a configured pool with a client id). */
  readonly auth?: {
    readonly aws_region: string
    readonly user_pool_id: string
    readonly user_pool_client_id: string
    readonly identity_pool_id?: string
    readonly unauthenticated_identities_enabled?: boolean
  }
}

/** What the endpoint knows of itself. */
export interface OutputsSource {
  readonly graphqlUrl: string
  readonly region: string
  readonly apiKey: string | undefined
  readonly defaultMode: LocalAuthMode
  readonly modes: ReadonlySet<LocalAuthMode>
  readonly introspection: ModelIntrospectionSchema
  readonly userPool: { readonly userPoolId: string; readonly clientId: string; readonly region: string } | undefined
  readonly identityPool: { readonly identityPoolId: string; readonly guests: boolean } | undefined
}

const TYPES: Readonly<Record<LocalAuthMode, AppSyncAuthorizationType>> = {
  apiKey: 'API_KEY',
  userPool: 'AMAZON_COGNITO_USER_POOLS',
  oidc: 'OPENID_CONNECT',
  iam: 'AWS_IAM',
  lambda: 'AWS_LAMBDA',
}

export function amplifyOutputs(source: OutputsSource): LocalAmplifyOutputs {
  const others = (Object.keys(TYPES) as LocalAuthMode[]).filter(
    (mode) => mode !== source.defaultMode && source.modes.has(mode),
  )
  const { userPool, identityPool } = source
  return {
    version: '1.4',
    data: {
      url: source.graphqlUrl,
      aws_region: source.region,
      ...(source.apiKey !== undefined && { api_key: source.apiKey }),
      default_authorization_type: TYPES[source.defaultMode],
      authorization_types: others.map((mode) => TYPES[mode]),
      model_introspection: source.introspection,
    },
    // Amplify's `auth` always names a user pool: an identity pool alone has no place in the file.
    ...(userPool && {
      auth: {
        aws_region: userPool.region,
        user_pool_id: userPool.userPoolId,
        user_pool_client_id: userPool.clientId,
        ...(identityPool && {
          identity_pool_id: identityPool.identityPoolId,
          unauthenticated_identities_enabled: identityPool.guests,
        }),
      },
    }),
  }
}
