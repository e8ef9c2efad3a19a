// A guest web app that calls AppSync and, with the same guest credentials (a Cognito identity
// pool's unauthenticated identity), an API Gateway REST API with IAM authorization and a Lambda
// function URL with `AWS_IAM` auth. `createAuthFetch(client, …)` shares the client's credentials,
// clock correction and retry; `service` says what SigV4 signs for, `origins` where the credentials
// may go (an API Gateway or Lambda URL is another origin than the AppSync endpoint).
import { createAuthFetch, createClient, fromCognitoIdentityPool, type AuthFetch, type Client } from '@authmode/browser'

export interface GuestApisConfig {
  /** The AppSync endpoint, e.g. `https://<id>.appsync-api.<region>.amazonaws.com/graphql`. */
  readonly graphqlEndpoint: string
  /** The region of the APIs; read from AWS hosts, needed here for custom domains (and local ones). */
  readonly region: string
  /** An API Gateway stage URL, e.g. `https://<api-id>.execute-api.<region>.amazonaws.com/prod`. */
  readonly restApiUrl: string
  /** A Lambda function URL, e.g. `https://<url-id>.lambda-url.<region>.on.aws`. */
  readonly functionUrl: string
  readonly identityPoolId: string
  /** The identity pool's endpoint: Cognito's unless given (a local one in tests). */
  readonly identityPoolEndpoint?: string | undefined
}

export interface GuestApis {
  /** AppSync, as a guest (`iam`). */
  readonly client: Client
  /** `fetch` for the REST API: signed for `execute-api`. */
  readonly restApi: AuthFetch
  /** `fetch` for the function URL: signed for `lambda`. */
  readonly functionUrl: AuthFetch
}

/**
 * One set of guest credentials for AppSync, API Gateway and a Lambda function URL.
 *
 * @example
 * ```ts
 * const apis = guestApis({ graphqlEndpoint, region: 'eu-west-1', restApiUrl, functionUrl, identityPoolId })
 * const items = await (await apis.restApi(`${restApiUrl}/items?limit=10`)).json()
 * ```
 */
export function guestApis(config: GuestApisConfig): GuestApis {
  const client = createClient({
    endpoint: config.graphqlEndpoint,
    region: config.region,
    authMode: 'iam',
    credentials: fromCognitoIdentityPool({
      identityPoolId: config.identityPoolId,
      ...(config.identityPoolEndpoint === undefined ? {} : { endpoint: config.identityPoolEndpoint }),
    }),
  })
  return {
    client,
    restApi: createAuthFetch(client, { origins: [config.restApiUrl], service: 'execute-api' }),
    functionUrl: createAuthFetch(client, { origins: [config.functionUrl], service: 'lambda' }),
  }
}

/** Reads a JSON answer, or throws with the status and the API's message (never a credential). */
export async function readJson<T>(response: Response): Promise<T> {
  if (!response.ok) {
    const { message } = (await response.json().catch(() => ({}))) as { message?: string }
    throw new Error(`${String(response.status)} ${message ?? response.statusText}`)
  }
  return (await response.json()) as T
}
