// Issue 19: a NetworkError says the platform's reason, found a cause or two down Node's fetch
// (`fetch failed` → ECONNREFUSED, ENOTFOUND, a TLS code), and never the credential it sent.
// Real sockets on 127.0.0.1: a closed port, a name that cannot resolve, TLS to a plain server.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, NetworkError } from '@authmode/node'

const API_KEY = 'da2-networkerrortestkey0000000001'
let plain: Server
let plainPort: number

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

async function closedPort(): Promise<number> {
  const probe = createServer()
  const port = await listen(probe)
  await new Promise<void>((resolve) =>
    probe.close(() => {
      resolve()
    }),
  )
  return port
}

async function failure(endpoint: string): Promise<NetworkError> {
  const client = createClient({ endpoint, apiKey: API_KEY, retry: false, logger: null })
  const error = await client.request('query { ping }').then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(NetworkError)
  expect((error as Error).message).not.toContain(API_KEY)
  return error as NetworkError
}

const sockets = new Set<Socket>()

beforeAll(async () => {
  // Answers anything with plain HTTP: a TLS handshake with it fails.
  plain = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n')
  })
  plainPort = await listen(plain)
})

afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise<void>((resolve) => {
    plain.close(() => {
      resolve()
    })
  })
})

describe('NetworkError names the platform reason', () => {
  it('a closed port: ECONNREFUSED', async () => {
    const port = await closedPort()
    const error = await failure(`http://127.0.0.1:${String(port)}/graphql`)
    expect(error.message).toBe(
      `POST http://127.0.0.1:${String(port)}/graphql: network error (fetch failed: ECONNREFUSED)`,
    )
  })

  it('a name that does not resolve: its DNS code', async () => {
    const error = await failure('https://authmode-issue-19.invalid/graphql')
    // ENOTFOUND; EAI_AGAIN where no resolver answers at all.
    expect(error.message).toMatch(/network error \(fetch failed: (ENOTFOUND|EAI_AGAIN)\)$/)
  })

  it('TLS with a server that does not speak it: the TLS code', async () => {
    const error = await failure(`https://127.0.0.1:${String(plainPort)}/graphql`)
    expect(error.message).toMatch(/network error \(fetch failed: ERR_SSL_\w+\)$/)
  })
})
