import type { Clock } from '../internal/clock'
import type { Answer } from './authorizer'

/** The authorization modes of an AppSync API, as this client names them. */
export type AuthMode = 'apiKey' | 'userPool' | 'oidc' | 'lambda' | 'iam' | 'none'

export const AUTH_MODES: readonly AuthMode[] = ['apiKey', 'userPool', 'oidc', 'lambda', 'iam', 'none']

export interface ResolveIdentityOptions {
  /** Skip any cached value and fetch a fresh identity. */
  readonly forceRefresh?: boolean | undefined
  readonly signal?: AbortSignal | undefined
}

export interface TokenIdentity {
  /** The raw token, sent as the `authorization` header (no `Bearer ` prefix). */
  readonly token: string
  /** When the token stops being valid; when absent, read from a JWT's `exp` claim. */
  readonly expiration?: Date | undefined
}

/** Resolves the token of the `userPool`, `oidc` or `lambda` mode. */
export type TokenProvider = (options?: ResolveIdentityOptions) => Promise<TokenIdentity>

/** What a client passes to a provider that keeps its own session (`SessionTokenProvider`). */
export interface SessionResolveOptions extends ResolveIdentityOptions {
  /** The client's clock, corrected by the offset it learned from the server: for expiry checks. */
  readonly clock?: Clock | undefined
  /** With `forceRefresh`: the rejected token (a session holding a newer one returns that instead). */
  readonly rejectedToken?: string | undefined
  /** With `forceRefresh`, after the server rejected an identity: that identity (any mode). */
  readonly rejected?: unknown
}

/**
 * A token provider that keeps its own session (mark yours `keepsSession: true`): asked on every
 * request, never cached, so a sign-out (`NoIdentityError`) or another user's token takes effect at
 * once, and `authMode: 'auto'` forgets what it learned. README: "Your own session".
 */
export interface SessionTokenProvider {
  (options?: SessionResolveOptions): Promise<TokenIdentity>
  readonly keepsSession: true
}

export interface ApiKeyIdentity {
  readonly apiKey: string
  /** When the key expires: a new one is fetched once it has passed. */
  readonly expiration?: Date | undefined
}

/** Resolves the API key; lets keys rotate without a redeploy. */
export type ApiKeyProvider = (options?: ResolveIdentityOptions) => Promise<ApiKeyIdentity>

// Declared here, not imported from `@smithy/types`, whose declarations need Node's types.
/** AWS credentials, structurally the AWS SDK v3 `AwsCredentialIdentity`. */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
  readonly credentialScope?: string | undefined
  readonly accountId?: string | undefined
  /** When they stop working; they are refreshed 5 minutes before. */
  readonly expiration?: Date | undefined
}

/** Resolves AWS credentials: any AWS SDK v3 provider fits (`fromNodeProviderChain()`, …). */
export type AwsCredentialIdentityProvider = (properties?: Record<string, unknown>) => Promise<AwsCredentialIdentity>

/** The request as hooks and signers see it: a plain value, signed over the exact bytes sent. */
export interface HttpRequest {
  readonly method: string
  readonly url: URL
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  /** The exact body: a string as its UTF-8 bytes, a `Uint8Array` (a `createAuthFetch` binary body) as it is. */
  readonly body: string | Uint8Array | undefined
}

export interface AuthContext {
  /** Skew-corrected time. */
  readonly clock: Clock
  readonly signal?: AbortSignal | undefined
  /**
   * SigV4's scope for a `createAuthFetch` with a `service` (`execute-api`, `lambda`, …), and the
   * region where the request's host tells it (API Gateway, Lambda URLs); otherwise `appsync` and
   * the client's region.
   */
  readonly signing?: SigningScope | undefined
}

export interface SigningScope {
  readonly service: string
  readonly region?: string
}

/** Erases a strategy's identity type for the registry; the strategy only ever sees its own identities. */
export function eraseIdentity<TIdentity>(strategy: AuthStrategy<TIdentity>): AuthStrategy {
  return strategy as AuthStrategy
}

/** One configured mode of one client: how to obtain its identity and how to apply it. */
export interface AuthStrategy<TIdentity = unknown> {
  readonly mode: AuthMode
  resolveIdentity(options: ResolveIdentityOptions): Promise<TIdentity>
  /**
   * After the server rejected `rejected`: a different identity (one shared refresh). Absent when
   * no refresh can change it (a static key or token): a rejection then moves on, nothing resent.
   */
  readonly refreshAfterRejection?: ((rejected: TIdentity, signal?: AbortSignal) => Promise<TIdentity>) | undefined
  authorize(request: HttpRequest, identity: TIdentity, context: AuthContext): Promise<HttpRequest>
  /**
   * Looks at a rejected answer and mends what the mode can (SigV4: the clock offset, from a
   * signature-time rejection); true when the request should be authorized and sent again (once).
   */
  mend?(answer: Answer): boolean
  /**
   * The mode's own reading of a rejection, beside `classifyAnswer`'s: true when `answer` refused the
   * identity it was sent with (SigV4: an AWS service's 403 naming the security token).
   */
  refused?(answer: Answer): boolean
}
