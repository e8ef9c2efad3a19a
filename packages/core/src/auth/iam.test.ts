// The iam mode as a registry entry: what it checks at createClient, and its SigV4 chunk (loaded on
// the first request; a failed load is a NetworkError and is tried again on the next request).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createClient } from '../client/createClient'
import { ConfigurationError } from '../errors/ConfigurationError'
import { CredentialsError } from '../errors/CredentialsError'
import { iamMode } from './iam'

const ENDPOINT = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET }
const ANSWER = JSON.stringify({ data: { ok: true } })

/** A client whose fetch answers every request and records its `authorization` header. */
function iamClient(credentials: unknown = CREDENTIALS, endpoint = ENDPOINT) {
  const seen: (string | null)[] = []
  const client = createClient({
    endpoint,
    authMode: 'iam',
    credentials: credentials as typeof CREDENTIALS,
    modes: [iamMode()],
    retry: false,
    logger: null,
    fetch: (_input, init) => {
      seen.push(new Headers(init?.headers).get('authorization'))
      return Promise.resolve(new Response(ANSWER, { headers: { 'content-type': 'application/json' } }))
    },
  })
  return { client, seen }
}

afterEach(() => {
  vi.doUnmock('./iamSigning')
  vi.resetModules()
})

describe('iamMode: checked at createClient', () => {
  it.each([
    ['a string', 'AKIDEXAMPLE'],
    ['a number', 42],
    ['null', null],
  ])('static credentials that are %s are a ConfigurationError at createClient', (_name, credentials) => {
    expect(() => iamClient(credentials)).toThrow(ConfigurationError)
  })

  it('credentials without a key id or secret are a CredentialsError that shows neither', async () => {
    const { client, seen } = iamClient({ accessKeyId: '', secretAccessKey: SECRET })
    const error: unknown = await client.request('{ ok }').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialsError)
    expect((error as Error).message).not.toContain(SECRET)
    expect(seen).toEqual([])
  })
})

describe('iamMode: what the signer refuses', () => {
  it('a query with a `%` that encodes no UTF-8: a ConfigurationError that says what to do, nothing sent', async () => {
    const { client, seen } = iamClient(CREDENTIALS, `${ENDPOINT}?a=%E2%82`)
    const error: unknown = await client.request('{ ok }').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toContain('encodeURIComponent')
    expect(seen).toEqual([])
  })
})

describe('iamMode: SigV4 is a chunk loaded on the first iam request', () => {
  it('signs once loaded', async () => {
    const { client, seen } = iamClient()
    await expect(client.request('{ ok }')).resolves.toEqual({ ok: true })
    expect(seen[0]).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//)
  })

  it('a chunk that fails to load is a NetworkError that names it, sends nothing, and is loaded again on the next request', async () => {
    vi.resetModules()
    vi.doMock('./iamSigning', () => {
      throw new TypeError('Failed to fetch dynamically imported module: https://app.example/assets/iamSigning-x.js')
    })
    const { createClient: create } = await import('../client/createClient')
    const { iamMode: iam } = await import('./iam')
    const { NetworkError: LoadedNetworkError } = await import('../errors/NetworkError')
    const seen: (string | null)[] = []
    const client = create({
      endpoint: ENDPOINT,
      authMode: 'iam',
      credentials: CREDENTIALS,
      modes: [iam()],
      retry: false,
      logger: null,
      fetch: (_input, init) => {
        seen.push(new Headers(init?.headers).get('authorization'))
        return Promise.resolve(new Response(ANSWER, { headers: { 'content-type': 'application/json' } }))
      },
    })
    const error: unknown = await client.request('{ ok }').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(LoadedNetworkError)
    expect((error as Error).message).toContain('SigV4 signer')
    expect(seen).toEqual([])

    vi.doUnmock('./iamSigning')
    await expect(client.request('{ ok }')).resolves.toEqual({ ok: true })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatch(/^AWS4-HMAC-SHA256 /)
  })
})
