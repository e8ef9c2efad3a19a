// graphql-request brings its own GraphQL parser (the whole `graphql` package), so @authmode keeps
// it out of the default path: it plugs in as `fetch`, and createAuthFetch authorizes each call
// last, over the exact bytes graphql-request sends.
import {
  createAuthFetch,
  type AuthFetch,
  type AuthMode,
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
} from '@authmode/node'
import { GraphQLClient } from 'graphql-request'

export interface Post {
  readonly id: string
  readonly title: string
}

/** How the example authorizes: an AppSync API key, or AWS credentials (IAM, SigV4) and the API's region. */
export type PostsAuth =
  | { readonly apiKey: string }
  | {
      readonly region: string
      readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider
    }

export const LIST_POSTS = /* GraphQL */ `
  query ListPosts {
    listPosts {
      items {
        id
        title
      }
    }
  }
`

/**
 * A graphql-request client whose every request is authorized by `createAuthFetch`.
 *
 * @example
 * ```ts
 * const gql = postsClient(endpoint, { apiKey: process.env.APPSYNC_API_KEY! })
 * await gql.request(LIST_POSTS)
 * ```
 */
export function postsClient(endpoint: string, auth: PostsAuth): GraphQLClient {
  const fetch = createAuthFetch(
    'apiKey' in auth
      ? { endpoint, authMode: 'apiKey', apiKey: auth.apiKey }
      : { endpoint, authMode: 'iam', region: auth.region, credentials: auth.credentials },
  )
  return new GraphQLClient(endpoint, { fetch })
}

/**
 * Lists the posts with graphql-request, authorized by an API key or by IAM.
 *
 * @example
 * ```ts
 * const posts = await listPosts(endpoint, { region: 'eu-west-1', credentials: fromCognitoIdentityPool({ identityPoolId }) })
 * ```
 */
export async function listPosts(endpoint: string, auth: PostsAuth): Promise<Post[]> {
  const data = await postsClient(endpoint, auth).request<{ listPosts: { items: Post[] } }>(LIST_POSTS)
  return data.listPosts.items
}

/**
 * A plain `fetch` that always asks `authFetch` for `authMode`. graphql-request cannot pass
 * `authMode` itself (it travels in the fetch init, not in headers), so a client per mode wraps one
 * shared `authFetch`, which keeps one set of memoized identities.
 *
 * @example
 * ```ts
 * const authFetch = createAuthFetch({ endpoint, region, apiKey, credentials, authMode: 'apiKey' })
 * const asGuest = new GraphQLClient(endpoint, { fetch: withAuthMode(authFetch, 'iam') })
 * ```
 */
export function withAuthMode(authFetch: AuthFetch, authMode: AuthMode | readonly AuthMode[]): typeof globalThis.fetch {
  return (input, init) => authFetch(input, { ...init, authMode })
}
