// Issue 19: cognito-local as a newcomer runs it signs with `iss = http://localhost:<port>/<poolId>`.
// A pool configured with its `endpoint` accepts that form (whichever loopback name the endpoint
// uses); without it the 401 names the issuer seen and those configured, never the token.
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalAppSync, type LocalAppSync } from '@authmode/local'
import { startCognitoLocal, type CognitoLocal } from '../../../tests/e2e/src/cognito-local'
import { REGION } from './helpers'

const SCHEMA = /* GraphQL */ `
  type Post @model @auth(rules: [{ allow: private }]) {
    id: ID!
    title: String!
  }
`
const PASSWORD = 'Issuer-Passw0rd!'

let cognito: CognitoLocal
let idToken: string
const servers: LocalAppSync[] = []

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) =>
    probe.close(() => {
      resolve()
    }),
  )
  return port
}

async function start(userPools: Parameters<typeof startLocalAppSync>[0]['userPools']): Promise<LocalAppSync> {
  const server = await startLocalAppSync({ schema: SCHEMA, apiKeys: false, identityPool: false, userPools })
  servers.push(server)
  return server
}

async function list(server: LocalAppSync): Promise<{ status: number; text: string }> {
  const answer = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: idToken },
    body: JSON.stringify({ query: '{ listPosts { items { id } } }' }),
  })
  return { status: answer.status, text: await answer.text() }
}

beforeAll(async () => {
  const port = await freePort()
  // cognito-local's default IssuerDomain, `http://localhost:<port>`, while it listens on 127.0.0.1.
  cognito = await startCognitoLocal({ region: REGION, port, issuerDomain: `http://localhost:${String(port)}` })
  await cognito.createUser('dana', PASSWORD)
  idToken = (await cognito.signIn('dana', PASSWORD)).idToken
}, 60_000)

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()))
  await cognito.stop()
})

describe('cognito-local issuer form', () => {
  it('its tokens carry http://localhost:<port>/<poolId>', () => {
    expect(decodeJwt(idToken).iss).toBe(`http://localhost:${String(cognito.port)}/${cognito.userPoolId}`)
  })

  it('a pool with its endpoint (127.0.0.1) and no issuer accepts them', async () => {
    const server = await start([
      { userPoolId: cognito.userPoolId, clientIds: [cognito.clientId], endpoint: cognito.endpoint },
    ])
    const answer = await list(server)
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.text)).toEqual({ data: { listPosts: { items: [] } } })
  })

  it('a pool with the issuer given explicitly (the CLI --user-pool-issuer) accepts them', async () => {
    const issuer = `http://localhost:${String(cognito.port)}/${cognito.userPoolId}`
    const server = await start([{ userPoolId: cognito.userPoolId, issuer, jwksUri: `${issuer}/.well-known/jwks.json` }])
    expect((await list(server)).status).toBe(200)
  })

  it('without the endpoint: 401 naming the issuer seen and the issuers configured, not the token', async () => {
    const server = await start([{ userPoolId: cognito.userPoolId }])
    const answer = await list(server)
    expect(answer.status).toBe(401)
    const seen = `http://localhost:${String(cognito.port)}/${cognito.userPoolId}`
    // cognito-local's pool ids are `local_…`: the region before `_` is `local`.
    const region = cognito.userPoolId.split('_')[0] ?? ''
    const configured = `https://cognito-idp.${region}.amazonaws.com/${cognito.userPoolId}`
    expect(answer.text).toContain(`unknown issuer \\"${seen}\\"`)
    expect(answer.text).toContain(`configured: ${configured}`)
    expect(answer.text).toContain('--user-pool-issuer')
    expect(answer.text).not.toContain(idToken)
    expect(answer.text).not.toContain(idToken.split('.')[2] ?? '-')
  })
})
