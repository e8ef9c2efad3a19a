// Local stand-ins for the credential endpoints of AWS compute, on 127.0.0.1, which the AWS SDK's
// own providers reach through their own variables: the ECS container credentials endpoint
// (AWS_CONTAINER_CREDENTIALS_FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN) and EC2's instance
// metadata service in its IMDSv2 form (AWS_EC2_METADATA_SERVICE_ENDPOINT).
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RoleCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  readonly expiration: Date
}

export interface MetadataServer {
  /** The base URL (IMDS) or full credentials URL (ECS). */
  readonly url: string
  readonly credentials: RoleCredentials
  /** `METHOD path (token: yes|no)` for every request, in order. */
  readonly log: string[]
  stop(): Promise<void>
}

export function newRoleCredentials(lifetimeMs = 6 * 60 * 60_000): RoleCredentials {
  return {
    accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(64).toString('base64'),
    expiration: new Date(Date.now() + lifetimeMs),
  }
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve))
  return (server.address() as AddressInfo).port
}

function stopper(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve()
      })
      server.closeAllConnections()
    })
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** ECS: `GET <path>` with `Authorization: <token>` answers the task role's credentials. */
export async function startEcsCredentialsEndpoint(authorizationToken: string): Promise<MetadataServer> {
  const credentials = newRoleCredentials()
  const log: string[] = []
  const path = `/v2/credentials/${randomBytes(8).toString('hex')}`
  const server = createServer((req: IncomingMessage, res) => {
    const authorized = req.headers.authorization === authorizationToken
    log.push(`${req.method ?? ''} ${req.url ?? ''} (token: ${authorized ? 'yes' : 'no'})`)
    if (req.method !== 'GET' || req.url !== path) {
      json(res, 404, { message: 'not found' })
      return
    }
    if (!authorized) {
      json(res, 401, { message: 'missing or wrong Authorization' })
      return
    }
    json(res, 200, {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      Token: credentials.sessionToken,
      Expiration: credentials.expiration.toISOString(),
      RoleArn: 'arn:aws:iam::123456789012:role/task-role',
    })
  })
  const port = await listen(server)
  return { url: `http://127.0.0.1:${String(port)}${path}`, credentials, log, stop: stopper(server) }
}

/** EC2 IMDSv2: a session token from `PUT /latest/api/token`, required on every GET. */
export async function startImdsV2Endpoint(roleName = 'instance-role'): Promise<MetadataServer> {
  const credentials = newRoleCredentials()
  const log: string[] = []
  const sessionToken = randomBytes(24).toString('base64url')
  const server = createServer((req, res) => {
    const hasToken = req.headers['x-aws-ec2-metadata-token'] === sessionToken
    log.push(`${req.method ?? ''} ${req.url ?? ''} (token: ${hasToken ? 'yes' : 'no'})`)
    if (req.method === 'PUT' && req.url === '/latest/api/token') {
      if (req.headers['x-aws-ec2-metadata-token-ttl-seconds'] === undefined) {
        json(res, 400, {})
        return
      }
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(sessionToken)
      return
    }
    // IMDSv2 only: v1 requests (no token) are refused, as with HttpTokens=required.
    if (!hasToken) {
      json(res, 401, {})
      return
    }
    if (req.method === 'GET' && req.url === '/latest/meta-data/iam/security-credentials/') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(roleName)
      return
    }
    if (req.method === 'GET' && req.url === `/latest/meta-data/iam/security-credentials/${roleName}`) {
      json(res, 200, {
        Code: 'Success',
        LastUpdated: new Date().toISOString(),
        Type: 'AWS-HMAC',
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: credentials.sessionToken,
        Expiration: credentials.expiration.toISOString(),
      })
      return
    }
    json(res, 404, {})
  })
  const port = await listen(server)
  return { url: `http://127.0.0.1:${String(port)}`, credentials, log, stop: stopper(server) }
}

/** Accepts connections and never answers: a metadata endpoint that hangs. */
export async function startSilentEndpoint(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer(() => {
    // Never answers.
  })
  const port = await listen(server)
  return { url: `http://127.0.0.1:${String(port)}`, stop: stopper(server) }
}

/** A 127.0.0.1 port with nothing listening (bound, read, released). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  const port = await listen(server)
  await stopper(server)()
  return port
}
