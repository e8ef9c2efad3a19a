// The app's backend on 127.0.0.1 for development and tests: @authmode/local serving a GraphQL API
// and its own Cognito user pool on one server. Signing in locally is the `userPool` option.
import { startLocalAppSync, type LocalAppSync, type LocalUser } from '@authmode/local'
import type { AppConfig } from './src/config'

/** The one field the app calls: the signed-in user, for Cognito user pool tokens only. */
export const WEB_APP_SCHEMA = /* GraphQL */ `
  type Profile @aws_cognito_user_pools {
    username: String!
    groups: [String!]
  }

  type Query {
    myProfile: Profile @aws_cognito_user_pools
  }
`

export interface LocalBackend {
  readonly server: LocalAppSync
  /** What `config.json` says for this backend: the API, and the pool's endpoint and app client. */
  readonly config: AppConfig
  stop(): Promise<void>
}

/** Starts the API and the user pool (`users` sign in with USER_PASSWORD_AUTH; refresh tokens rotate). */
export async function startLocalBackend(users: readonly LocalUser[]): Promise<LocalBackend> {
  const server = await startLocalAppSync({
    schema: WEB_APP_SCHEMA,
    apiKeys: false,
    userPool: { users, clients: [{ refreshTokenRotation: true }] },
    resolvers: {
      Query: {
        myProfile: (_source, _args, { caller }) =>
          caller.mode === 'userPool'
            ? { username: caller.username, groups: caller.claims['cognito:groups'] ?? null }
            : null,
      },
    },
  })
  const pool = server.userPool
  if (!pool) throw new Error('the local user pool did not start')
  return {
    server,
    config: {
      region: server.region,
      userPoolClientId: pool.clientId,
      graphqlEndpoint: server.graphqlUrl,
      cognitoEndpoint: pool.endpoint,
    },
    stop: () => server.stop(),
  }
}
