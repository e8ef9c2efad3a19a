// The local user pool's options, checked once and resolved into the pool the handler serves.
import { randomBytes } from 'node:crypto'
import { ConfigurationError } from '@authmode/core'

/** A user of the local pool: signs in with `USER_PASSWORD_AUTH`. */
export interface LocalUser {
  readonly username: string
  readonly password: string
  /** Cognito groups: the tokens' `cognito:groups`. */
  readonly groups?: readonly string[] | undefined
  /** Standard or custom attributes (`email`, `custom:tenant`): claims of the ID token. */
  readonly attributes?: Readonly<Record<string, string>> | undefined
  /** Default: a random UUID. */
  readonly sub?: string | undefined
}

/** An app client of the local pool. */
export interface LocalAppClient {
  /** Default: 26 random lower-case letters and digits, as Cognito's. */
  readonly clientId?: string | undefined
  /**
   * A client secret: then `SECRET_HASH` (InitiateAuth) or `ClientSecret` (GetTokensFromRefreshToken,
   * RevokeToken) is required. `true` generates one (see `clients` on the result).
   */
  readonly clientSecret?: string | true | undefined
  /**
   * Refresh-token rotation (Cognito's `RefreshTokenRotation`): each `GetTokensFromRefreshToken`
   * returns a new refresh token, the old one stays valid `retryGracePeriodSeconds` (0–60, default
   * 0) and is then refused with `RefreshTokenReuseException`; `REFRESH_TOKEN_AUTH` is refused, as
   * Cognito refuses it on such clients. Default off.
   */
  readonly refreshTokenRotation?: boolean | { readonly retryGracePeriodSeconds?: number | undefined } | undefined
  /** Default 3600 (Cognito's default; it allows 300 s to 1 day). */
  readonly idTokenValiditySeconds?: number | undefined
  readonly accessTokenValiditySeconds?: number | undefined
  /** From sign-in, kept through rotation (default 30 days, as Cognito's). */
  readonly refreshTokenValiditySeconds?: number | undefined
  /**
   * Default true, as for Cognito's new app clients: an unknown user name is `NotAuthorizedException`
   * "Incorrect username or password.", like a wrong password; false reveals `UserNotFoundException`.
   */
  readonly preventUserExistenceErrors?: boolean | undefined
}

/** The Cognito user pool the local server runs (InitiateAuth, GetTokensFromRefreshToken, RevokeToken, GlobalSignOut). */
export interface LocalUserPoolOptions {
  readonly users: readonly LocalUser[]
  /** Default: one app client without a secret and without rotation. */
  readonly clients?: readonly LocalAppClient[] | undefined
  /** Default `<region>_` and 9 random letters and digits, as Cognito's. */
  readonly userPoolId?: string | undefined
}

export interface ResolvedClient {
  readonly clientId: string
  readonly clientSecret: string | undefined
  readonly rotation: boolean
  readonly gracePeriodMs: number
  readonly idTokenSeconds: number
  readonly accessTokenSeconds: number
  readonly refreshTokenSeconds: number
  readonly preventUserExistenceErrors: boolean
}

export interface ResolvedUser {
  readonly username: string
  readonly password: string
  readonly sub: string
  readonly groups: readonly string[]
  readonly attributes: Readonly<Record<string, string>>
}

export interface ResolvedPool {
  readonly userPoolId: string
  readonly region: string
  readonly users: ReadonlyMap<string, ResolvedUser>
  readonly clients: ReadonlyMap<string, ResolvedClient>
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'
const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/
const CLIENT_ID = /^[\w+]{1,128}$/
// Claims the pool sets itself: an attribute may not replace them.
const RESERVED = new Set(['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'jti', 'origin_jti', 'event_id', 'token_use'])

function random(length: number, alphabet = ALNUM): string {
  let text = ''
  for (const byte of randomBytes(length)) text += alphabet[byte % alphabet.length] ?? 'a'
  return text
}

function fail(message: string): never {
  throw new ConfigurationError(`userPool: ${message}`)
}

function seconds(value: unknown, name: string, fallback: number, [min, max]: readonly [number, number]): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`\`${name}\` must be a whole number of seconds from ${String(min)} to ${String(max)}.`)
  }
  return value
}

export function resolveUserPool(options: LocalUserPoolOptions, region: string): ResolvedPool {
  if (typeof options !== 'object' || (options as unknown) === null) fail('pass `{ users: [...] }`.')
  const userPoolId =
    options.userPoolId ??
    `${region}_${random(1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}${random(8, `${ALNUM}ABCDEFGHIJKLMNOPQRSTUVWXYZ`)}`
  if (typeof userPoolId !== 'string' || !POOL_ID.test(userPoolId)) {
    fail('`userPoolId` must be a user pool id such as "us-east-1_AbC123".')
  }
  const users = new Map<string, ResolvedUser>()
  const list: unknown = options.users
  if (!Array.isArray(list)) fail('`users` must be a list of `{ username, password, groups? }`.')
  for (const user of options.users) {
    if (typeof user.username !== 'string' || user.username === '') fail('every user needs a `username`.')
    if (typeof user.password !== 'string' || user.password === '') {
      fail(`user ${JSON.stringify(user.username)} needs a \`password\`.`)
    }
    if (users.has(user.username)) fail(`user ${JSON.stringify(user.username)} is listed twice.`)
    const groups: unknown = user.groups ?? []
    if (!Array.isArray(groups) || groups.some((g: unknown) => typeof g !== 'string' || g === '')) {
      fail(`user ${JSON.stringify(user.username)}: \`groups\` must be group names.`)
    }
    const attributes = user.attributes ?? {}
    for (const [name, value] of Object.entries(attributes)) {
      if (RESERVED.has(name) || name.startsWith('cognito:') || typeof value !== 'string') {
        fail(`user ${JSON.stringify(user.username)}: attribute ${name} is reserved or not a string.`)
      }
    }
    users.set(user.username, {
      username: user.username,
      password: user.password,
      sub: user.sub ?? crypto.randomUUID(),
      groups: [...(groups as string[])],
      attributes: { ...attributes },
    })
  }
  const clients = new Map<string, ResolvedClient>()
  for (const client of options.clients ?? [{}]) {
    const clientId = client.clientId ?? random(26)
    if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) fail('`clientId` must be 1–128 word characters.')
    if (clients.has(clientId)) fail(`app client ${clientId} is listed twice.`)
    const secret =
      client.clientSecret === true ? randomBytes(39).toString('base64url').slice(0, 51) : client.clientSecret
    if (secret !== undefined && (typeof secret !== 'string' || secret === '')) {
      fail(`app client ${clientId}: \`clientSecret\` must be a non-empty string or true.`)
    }
    const rotation = client.refreshTokenRotation ?? false
    const grace = typeof rotation === 'object' ? rotation.retryGracePeriodSeconds : undefined
    clients.set(clientId, {
      clientId,
      clientSecret: secret,
      rotation: rotation !== false,
      gracePeriodMs: seconds(grace, 'retryGracePeriodSeconds', 0, [0, 60]) * 1000,
      idTokenSeconds: seconds(client.idTokenValiditySeconds, 'idTokenValiditySeconds', 3600, [1, 86_400]),
      accessTokenSeconds: seconds(client.accessTokenValiditySeconds, 'accessTokenValiditySeconds', 3600, [1, 86_400]),
      refreshTokenSeconds: seconds(client.refreshTokenValiditySeconds, 'refreshTokenValiditySeconds', 30 * 86_400, [
        60,
        3650 * 86_400,
      ]),
      preventUserExistenceErrors: client.preventUserExistenceErrors ?? true,
    })
  }
  if (clients.size === 0) fail('`clients` must list at least one app client (or be left out for one default client).')
  return { userPoolId, region: userPoolId.split('_')[0] ?? region, users, clients }
}
