// A Cognito user pool with refresh-token rotation, on 127.0.0.1, for the cross-tab race tests:
// cognito-local does not rotate refresh tokens. It answers what a page's session calls:
// InitiateAuth USER_PASSWORD_AUTH (any password), GetTokensFromRefreshToken (and REFRESH_TOKEN_AUTH,
// which Cognito itself refuses on rotating clients), and RevokeToken, with
// CORS. A refresh token works once: each refresh returns a new one, and a used one is refused with
// RefreshTokenReuseException, as Cognito does with rotation on. Tokens are unsigned JWTs (the
// client never verifies them). It records each call's operation, flow and status (never a body).
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { listen, type CognitoCall, type RunningServer } from './servers'

export interface RotatingCognitoOptions {
  /** The ID and access tokens' lifetime. */
  readonly lifetimeS: number
}

export interface RotatingCognito extends RunningServer {
  /** The URL to use as the Cognito `endpoint`. */
  readonly endpoint: string
  readonly calls: readonly CognitoCall[]
  /** How long a successful refresh, and a refused reuse, take to answer. */
  delays: { refreshMs: number; reuseMs: number }
  reset(): void
}

const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST' }

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

export async function startRotatingCognito({ lifetimeS }: RotatingCognitoOptions): Promise<RotatingCognito> {
  const calls: CognitoCall[] = []
  // Refresh tokens: unused ones map to their user; used or revoked ones stay, refused.
  const unused = new Map<string, string>()
  const spent = new Set<string>()
  const delays = { refreshMs: 0, reuseMs: 0 }

  const issue = (username: string, clientId: string): Record<string, string> => {
    const iat = Math.floor(Date.now() / 1000)
    const claims = {
      sub: `sub-${username}`,
      iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_rotating',
      iat,
      exp: iat + lifetimeS,
      auth_time: iat,
      // Tells tokens issued in the same second apart.
      jti: randomBytes(8).toString('hex'),
    }
    const jwt = (extra: object): string =>
      `${base64url({ alg: 'RS256', kid: 'rotating' })}.${base64url({ ...claims, ...extra })}.unsigned`
    const refreshToken = randomBytes(24).toString('base64url')
    unused.set(refreshToken, username)
    return {
      IdToken: jwt({ aud: clientId, token_use: 'id', 'cognito:username': username }),
      AccessToken: jwt({ client_id: clientId, token_use: 'access', username }),
      RefreshToken: refreshToken,
    }
  }

  const answer = (body: Record<string, unknown>): [number, unknown] => {
    const parameters = (body['AuthParameters'] ?? {}) as Record<string, string>
    const clientId = String(body['ClientId'])
    if (body['AuthFlow'] === 'USER_PASSWORD_AUTH') {
      return [
        200,
        { AuthenticationResult: { ...issue(String(parameters['USERNAME']), clientId), ExpiresIn: lifetimeS } },
      ]
    }
    const token = String(body['RefreshToken'] ?? parameters['REFRESH_TOKEN'] ?? '')
    const username = unused.get(token)
    if (username === undefined) {
      return spent.has(token)
        ? [400, { __type: 'RefreshTokenReuseException', message: 'Refresh token has already been used' }]
        : [400, { __type: 'NotAuthorizedException', message: 'Invalid Refresh Token' }]
    }
    unused.delete(token)
    spent.add(token)
    return [200, { AuthenticationResult: { ...issue(username, clientId), ExpiresIn: lifetimeS } }]
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (req.method === 'OPTIONS') {
        const asked = req.headers['access-control-request-headers']
        res.writeHead(204, { ...CORS, 'access-control-allow-headers': asked ?? '' }).end()
        return
      }
      const target = req.headers['x-amz-target']
      const operation = (typeof target === 'string' ? target : '').split('.').pop() ?? ''
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>
      let status = 200
      let json: unknown = {}
      let delayMs = 0
      if (operation === 'InitiateAuth' || operation === 'GetTokensFromRefreshToken') {
        ;[status, json] = answer(body)
        if (body['AuthFlow'] !== 'USER_PASSWORD_AUTH') delayMs = status === 200 ? delays.refreshMs : delays.reuseMs
      } else if (operation === 'RevokeToken') {
        const token = String(body['Token'])
        unused.delete(token)
        spent.add(token)
      } else {
        status = 400
        json = { __type: 'UnknownOperationException', message: operation }
      }
      const authFlow = typeof body['AuthFlow'] === 'string' ? body['AuthFlow'] : undefined
      setTimeout(() => {
        calls.push({ operation, authFlow, origin: req.headers.origin, status })
        res.writeHead(status, { ...CORS, 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(json))
      }, delayMs)
    })
  })
  const running = await listen(server)
  return {
    ...running,
    endpoint: `${running.origin}/`,
    calls,
    delays,
    reset: () => {
      calls.length = 0
    },
  }
}
