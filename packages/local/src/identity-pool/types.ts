// The seam between the identity-pool endpoint (which issues temporary credentials) and the GraphQL
// endpoint's SigV4 verifier (which looks them up and maps them to @auth rules).

/** Who a set of AWS credentials stands for. */
export type IamPrincipal =
  /** An unauthenticated identity-pool identity: `public` rules with provider `iam`. */
  | { readonly kind: 'guest'; readonly identityPoolId: string; readonly identityId: string }
  /** An identity-pool identity signed in with a user pool ID token: `private` rules with provider `iam`. */
  | {
      readonly kind: 'authenticated'
      readonly identityPoolId: string
      readonly identityId: string
      /** The verified claims of the login token (sub, cognito:groups, …). */
      readonly claims: Readonly<Record<string, unknown>>
    }
  /** Configured backend credentials (Lambda, EC2, ECS roles): full access, like Amplify's admin roles. */
  | { readonly kind: 'backend'; readonly name: string }

export interface IssuedCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string | undefined
  /** Absent for long-lived backend keys. */
  readonly expiration: Date | undefined
  readonly principal: IamPrincipal
}

/** Every AWS credential the local endpoint knows, issued or configured. */
export interface CredentialStore {
  /** New temporary credentials (access key id `ASIA…`) for a principal, valid `lifetimeSeconds`. */
  issue(principal: IamPrincipal, lifetimeSeconds: number): IssuedCredentials
  /** Registers backend credentials (e.g. those a Lambda gets from its environment). */
  addBackend(
    name: string,
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date },
  ): IssuedCredentials
  lookup(accessKeyId: string): IssuedCredentials | undefined
}

/**
 * Verifies a login token given to GetId/GetCredentialsForIdentity under `Logins`; resolves to its
 * claims, or rejects when it is not valid for that provider (signature, exp, iss, token_use, aud).
 * `providerName` is the `Logins` key, e.g. `cognito-idp.us-east-1.amazonaws.com/us-east-1_abc`.
 */
export type VerifyLoginToken = (providerName: string, token: string) => Promise<Readonly<Record<string, unknown>>>

/** A Web-standard handler; the server adapts Node's http to it. */
export type WebHandler = (request: Request) => Promise<Response>
