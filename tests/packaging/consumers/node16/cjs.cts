import {
  createAuthFetch,
  createClient,
  GraphQLResponseError,
  isAuthmodeError,
  type AuthmodeErrorCode,
} from '@authmode/node'

const endpoint = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
const client = createClient({
  endpoint,
  authMode: ['userPool', 'apiKey'],
  apiKey: 'da2-x',
  userPool: async () => ({ token: 't' }),
})
const data: Promise<{ getPost: { id: string } }> = client.request<{ getPost: { id: string } }, { id: string }>(
  'query Q($id: ID!) { getPost(id: $id) { id } }',
  { id: '1' },
  { authMode: 'apiKey', timeoutMs: 1000 },
)
const fetchLike: (input: string, init?: RequestInit) => Promise<Response> = createAuthFetch({
  endpoint,
  apiKey: 'da2-x',
})
export function describe(error: unknown): string {
  if (isAuthmodeError(error)) {
    const code: AuthmodeErrorCode = error.code
    return error instanceof GraphQLResponseError ? `${code}: ${String(error.errors.length)}` : code
  }
  return 'other'
}
export { data, fetchLike }
