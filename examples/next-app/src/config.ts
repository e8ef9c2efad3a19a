// Where the backend is, from the environment at run time (the test starts @authmode/local on
// ports it picks): AUTHMODE_CLIENT_ID, AUTHMODE_USER_POOL_ENDPOINT, AUTHMODE_GRAPHQL_URL. Against
// Cognito and AppSync, the endpoint is `https://cognito-idp.<region>.amazonaws.com/`.
export interface AppConfig {
  readonly clientId: string
  readonly userPoolEndpoint: string
  readonly graphqlUrl: string
}

export function appConfig(): AppConfig {
  const { AUTHMODE_CLIENT_ID, AUTHMODE_USER_POOL_ENDPOINT, AUTHMODE_GRAPHQL_URL } = process.env
  if (!AUTHMODE_CLIENT_ID || !AUTHMODE_USER_POOL_ENDPOINT || !AUTHMODE_GRAPHQL_URL)
    throw new Error('Set AUTHMODE_CLIENT_ID, AUTHMODE_USER_POOL_ENDPOINT and AUTHMODE_GRAPHQL_URL.')
  return {
    clientId: AUTHMODE_CLIENT_ID,
    userPoolEndpoint: AUTHMODE_USER_POOL_ENDPOINT,
    graphqlUrl: AUTHMODE_GRAPHQL_URL,
  }
}

export interface Note {
  readonly id: string
  readonly text: string
  readonly owner: string
}
