// Both peers together, as the tests and the demo use them: cognito-local with a pool, an app
// client and users; the simulator pointed at that pool; and IAM credentials the simulator treats
// as the authenticated role. Every secret is random per run and never printed.
import { randomBytes } from 'node:crypto'
import { startCognitoLocal, type CognitoLocal } from './cognito-local'
import { startSimulator, type RunningSimulator } from './simulator'

export interface TestUser {
  readonly username: string
  readonly password: string
  readonly groups: readonly string[]
}

export interface StaticCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
}

export interface Peers {
  readonly cognito: CognitoLocal
  readonly simulator: RunningSimulator
  readonly credentials: StaticCredentials
  readonly users: Readonly<Record<string, TestUser>>
  /** Stops the simulator, then cognito-local; both are attempted even if one fails. Idempotent. */
  stop(): Promise<void>
}

export const REGION = 'us-east-1'

/** Starts both peers; whatever started is stopped again if a later step fails. */
export async function startPeers(users: readonly { username: string; groups?: readonly string[] }[]): Promise<Peers> {
  const started: { stop(): Promise<void> }[] = []
  const stop = async (): Promise<void> => {
    const errors: unknown[] = []
    for (const peer of started.splice(0).reverse()) {
      try {
        await peer.stop()
      } catch (error) {
        errors.push(error)
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'stopping the peers failed')
  }
  try {
    const cognito = await startCognitoLocal({ region: REGION })
    started.push(cognito)
    const created: Record<string, TestUser> = {}
    for (const user of users) {
      const testUser = { username: user.username, password: randomPassword(), groups: user.groups ?? [] }
      await cognito.createUser(testUser.username, testUser.password, testUser.groups)
      created[user.username] = testUser
    }
    const credentials: StaticCredentials = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
    }
    const simulator = await startSimulator({
      userPool: { userPoolId: cognito.userPoolId, clientId: cognito.clientId },
      iamAuthAccessKeyId: credentials.accessKeyId,
    })
    started.push(simulator)
    return { cognito, simulator, credentials, users: created, stop }
  } catch (error) {
    await stop().catch(() => undefined)
    throw error
  }
}

function randomPassword(): string {
  return `Pw-${randomBytes(12).toString('base64url')}-aA1!`
}
