import { ConfigurationError, type Clock } from '@authmode/core'
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose'
import { usernameOf, type Caller, type Claims } from './caller'
import { unauthorized, type Verified } from './rejection'

/**
 * A Cognito user pool whose tokens the endpoint accepts (AppSync's AMAZON_COGNITO_USER_POOLS).
 *
 * @example
 * ```ts
 * // cognito-local serves the JWKS at <endpoint>/<poolId>/.well-known/jwks.json
 * { userPoolId: 'us-east-1_abc', clientIds: [clientId], endpoint: 'http://127.0.0.1:9229/' }
 * ```
 */
export interface UserPoolConfig {
  readonly userPoolId: string
  /** Accepted app clients (`aud` of ID tokens, `client_id` of access tokens). Absent: any client of the pool. */
  readonly clientIds?: readonly string[] | undefined
  /** Default: the region before `_` in the pool id. */
  readonly region?: string | undefined
  /**
   * Default: `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` and, with `endpoint`, also
   * cognito-local's `<endpoint>/<userPoolId>` (`localhost` and `127.0.0.1` alike).
   */
  readonly issuer?: string | undefined
  /** Where the pool's keys are. Default: from `endpoint`, else `<issuer>/.well-known/jwks.json`. */
  readonly jwksUri?: string | undefined
  /** A Cognito emulator's base URL (cognito-local): the JWKS is `<endpoint>/<userPoolId>/.well-known/jwks.json`. */
  readonly endpoint?: string | undefined
}

/** An OpenID Connect provider (AppSync's OPENID_CONNECT). */
export interface OidcConfig {
  readonly issuer: string
  /** Accepted audiences (`aud`). Absent: any. */
  readonly clientIds?: readonly string[] | undefined
  /** Default: `<issuer>/.well-known/jwks.json`. */
  readonly jwksUri?: string | undefined
}

interface Provider {
  readonly mode: 'userPool' | 'oidc'
  /** Accepted `iss` values; the first is the provider's own (callers see it). */
  readonly issuers: readonly [string, ...string[]]
  readonly clientIds: readonly string[] | undefined
  readonly keys: ReturnType<typeof createRemoteJWKSet>
  /** `Logins` key in the identity pool API: the issuer without `https://`. */
  readonly providerName: string
}

export type TokenCaller = Extract<Caller, { mode: 'userPool' | 'oidc' }>

/** Verifies Cognito and OIDC JWTs with jose: signature (RS256 from the JWKS), `exp` (required of user pools), `iss`, `token_use`, client. */
export class JwtVerifier {
  readonly #providers: Provider[] = []
  readonly #clock: Clock

  constructor(options: { userPools: readonly UserPoolConfig[]; oidc: readonly OidcConfig[]; clock: Clock }) {
    this.#clock = options.clock
    for (const pool of options.userPools) this.#providers.push(userPoolProvider(pool))
    for (const oidc of options.oidc) this.#providers.push(oidcProvider(oidc))
  }

  /** Trusts one more user pool (the local one, whose issuer is known once the server listens). */
  addUserPool(pool: UserPoolConfig): void {
    this.#providers.push(userPoolProvider(pool))
  }

  /** The identity-pool `Logins` keys of the configured user pools. */
  loginProviders(): readonly string[] {
    return this.#providers.filter((p) => p.mode === 'userPool').map((p) => p.providerName)
  }

  has(mode: 'userPool' | 'oidc'): boolean {
    return this.#providers.some((p) => p.mode === mode)
  }

  /**
   * Is `token` a JWT whose `iss` is a configured user pool or OIDC provider? Such a token is
   * verified as one (AppSync hands it to no Lambda authorizer), whatever its signature.
   */
  issued(token: string): boolean {
    try {
      const { iss } = decodeJwt(token)
      return this.#providers.some((p) => accepts(p, iss))
    } catch {
      return false
    }
  }

  /** Verifies an `authorization` token (no `Bearer ` prefix, as AppSync). */
  async verify(token: string): Promise<Verified<TokenCaller>> {
    let unverified: JWTPayload
    try {
      unverified = decodeJwt(token)
    } catch {
      return unauthorized('Invalid JWT token: not a JWT.')
    }
    const provider = this.#providers.find((p) => accepts(p, unverified.iss))
    if (!provider) return unauthorized(`Invalid JWT token: ${this.#unknownIssuer(unverified.iss)}`)
    const checked = await this.#check(provider, token)
    if (!checked.ok) return checked
    const claims = checked.value
    return {
      ok: true,
      value: {
        mode: provider.mode,
        issuer: provider.issuers[0],
        claims,
        sub: typeof claims['sub'] === 'string' ? claims['sub'] : undefined,
        username: usernameOf(claims),
      },
    }
  }

  /**
   * For the identity-pool endpoint: verifies an ID token given under `Logins[providerName]`
   * (`cognito-idp.<region>.amazonaws.com/<poolId>`) and resolves to its claims.
   */
  verifyLogin = async (providerName: string, token: string): Promise<Claims> => {
    const provider = this.#providers.find((p) => p.mode === 'userPool' && p.providerName === providerName)
    if (!provider) throw new Error(`Invalid login token: ${providerName} is not a configured user pool.`)
    const checked = await this.#check(provider, token)
    if (!checked.ok) throw new Error(checked.rejection.message)
    if (checked.value['token_use'] !== 'id') throw new Error('Invalid login token: an ID token is required.')
    return checked.value
  }

  // Issuers are public URLs: naming the one seen and those configured is what makes the error fixable.
  #unknownIssuer(iss: unknown): string {
    const seen = typeof iss === 'string' ? JSON.stringify(iss.slice(0, 200)) : 'none'
    const configured = this.#providers.flatMap((p) => p.issuers).join(', ') || 'none'
    return `unknown issuer ${seen} (configured: ${configured}). For cognito-local, give the pool's \`endpoint\` or \`issuer\` (CLI: --user-pool-endpoint, --user-pool-issuer).`
  }

  async #check(provider: Provider, token: string): Promise<Verified<Claims>> {
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(token, provider.keys, {
        issuer: [...provider.issuers],
        algorithms: ['RS256'],
        currentDate: new Date(this.#clock.now()),
        // Cognito always sets exp; a pool token without one never expires, so it is not Cognito's.
        ...(provider.mode === 'userPool' ? { requiredClaims: ['exp'] } : {}),
      }))
    } catch (error) {
      return unauthorized(`Invalid JWT token: ${describeJoseError(error)}`)
    }
    if (provider.mode === 'userPool') {
      const use = payload['token_use']
      if (use !== 'id' && use !== 'access')
        return unauthorized('Invalid JWT token: token_use must be "id" or "access".')
      const client = use === 'id' ? payload.aud : payload['client_id']
      if (provider.clientIds && !matchesClient(client, provider.clientIds)) {
        return unauthorized('Invalid JWT token: issued to an app client this API does not accept.')
      }
    } else if (provider.clientIds && !matchesClient(payload.aud, provider.clientIds)) {
      return unauthorized('Invalid JWT token: audience not accepted.')
    }
    return { ok: true, value: payload }
  }
}

function accepts(provider: Provider, iss: unknown): boolean {
  return typeof iss === 'string' && provider.issuers.includes(iss)
}

function matchesClient(value: unknown, accepted: readonly string[]): boolean {
  const values = Array.isArray(value) ? value : [value]
  return values.some((v) => typeof v === 'string' && accepted.includes(v))
}

// jose's messages name the failed check and never quote the token.
function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'token has expired.'
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature verification failed.'
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not allowed (RS256 only).'
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the issuer matches the token (kid).'
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `claim "${error.claim}" check failed (${error.reason}).`
  if (error instanceof joseErrors.JOSEError) return `${error.code}.`
  return 'the issuer keys could not be loaded.'
}

function userPoolProvider(pool: UserPoolConfig): Provider {
  if (typeof pool.userPoolId !== 'string' || !/^[\w-]+_[0-9a-zA-Z]+$/.test(pool.userPoolId)) {
    throw new ConfigurationError('`userPools[].userPoolId` must be a user pool id such as "us-east-1_AbC123".')
  }
  const region = pool.region ?? pool.userPoolId.split('_')[0] ?? 'us-east-1'
  const issuer = pool.issuer ?? `https://cognito-idp.${region}.amazonaws.com/${pool.userPoolId}`
  const issuers: [string, ...string[]] = [issuer]
  if (pool.issuer === undefined && pool.endpoint !== undefined) {
    issuers.push(...emulatorIssuers(parseUrl(pool.endpoint, 'userPools[].endpoint'), pool.userPoolId))
  }
  const jwksUri =
    pool.jwksUri ??
    (pool.endpoint === undefined
      ? `${issuer}/.well-known/jwks.json`
      : new URL(`${pool.userPoolId}/.well-known/jwks.json`, withSlash(pool.endpoint)).href)
  return {
    mode: 'userPool',
    issuers,
    clientIds: pool.clientIds,
    keys: createRemoteJWKSet(parseUrl(jwksUri, 'userPools[].jwksUri')),
    providerName: issuer.replace(/^https?:\/\//, ''),
  }
}

function oidcProvider(oidc: OidcConfig): Provider {
  const issuer = oidc.issuer
  parseUrl(issuer, 'oidc[].issuer')
  return {
    mode: 'oidc',
    issuers: [issuer],
    clientIds: oidc.clientIds,
    keys: createRemoteJWKSet(parseUrl(oidc.jwksUri ?? `${issuer}/.well-known/jwks.json`, 'oidc[].jwksUri')),
    providerName: issuer.replace(/^https?:\/\//, ''),
  }
}

// cognito-local signs with `iss = <IssuerDomain>/<poolId>`, its IssuerDomain by default
// `http://localhost:<port>`, whichever loopback spelling the endpoint uses.
function emulatorIssuers(endpoint: URL, userPoolId: string): string[] {
  const base = `${endpoint.origin}${endpoint.pathname.replace(/\/+$/, '')}`
  const loopback = /^(localhost|127\.0\.0\.1)$/.test(endpoint.hostname)
  const spellings = loopback ? ['localhost', '127.0.0.1'].map((h) => base.replace(endpoint.hostname, h)) : [base]
  return spellings.map((b) => `${b}/${userPoolId}`)
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`
}

function parseUrl(value: string, option: string): URL {
  try {
    return new URL(value)
  } catch (error) {
    throw new ConfigurationError(`\`${option}\` must be an absolute URL.`, { cause: error })
  }
}
