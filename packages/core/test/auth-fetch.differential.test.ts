// createAuthFetch with `service` (issue 14, decision 3) against the AWS SDK's signer: the random
// requests of the SigV4 differential test (test/differential/requests.ts) go through
// createAuthFetch for their service, and the request it hands to `fetch` must carry the
// authorization header @smithy/signature-v4 computes for that same request, in the region AWS
// expects: the host's for an API Gateway or Lambda function URL host, else the client's.
import { describe, expect, it } from 'vitest'
import { ConfigurationError, createAuthFetch, iamMode, type HttpRequest } from '../src/index'
import { referenceHeaders } from './differential/compare'
import { generateRequests, SIGNING_DATE, type GeneratedRequest, type Service } from './differential/requests'

const PER_SERVICE = 5_000
const SEED = 0x3e7ec

// Written out here, not read with the code under test: the hosts of the generator with a region.
const HOST_REGION: Readonly<Record<string, string>> = {
  'a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com': 'eu-west-2',
  'xyz.lambda-url.us-west-2.on.aws': 'us-west-2',
}
const SIGV4_HEADERS = ['authorization', 'x-amz-date', 'x-amz-security-token']

interface Result {
  readonly checked: number
  readonly refused: number
  readonly hostRegions: number
  readonly disagreements: readonly string[]
}

async function throughAuthFetch(service: Service, requests: readonly GeneratedRequest[]): Promise<Result> {
  let checked = 0
  let refused = 0
  let hostRegions = 0
  const disagreements: string[] = []
  for (const [index, generated] of requests.entries()) {
    const { request, credentials, region } = generated
    let sent: HttpRequest | undefined
    const authFetch = createAuthFetch(
      {
        endpoint: 'https://abc123.appsync-api.us-east-1.amazonaws.com/graphql',
        region,
        authMode: 'iam',
        credentials,
        modes: [iamMode()],
        clock: { now: () => +SIGNING_DATE },
        logger: null,
        fetch: (input, init) => {
          sent = {
            method: init?.method ?? 'GET',
            url: new URL(input instanceof Request ? input.url : input),
            headers: init?.headers as Record<string, string>,
            body: init?.body as string | Uint8Array | undefined,
          }
          return Promise.resolve(new Response('{}'))
        },
      },
      { service, origins: [request.url.origin] },
    )
    const init: RequestInit = { method: request.method, headers: request.headers }
    if (request.body !== undefined) init.body = request.body as string | Uint8Array<ArrayBuffer>
    try {
      await authFetch(request.url, init)
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error
      // Only a query no signer can decode is refused; the AWS SDK's refuses it too.
      const theirs = await referenceHeaders(generated).then(
        () => 'signed',
        (e: unknown) => (e instanceof URIError ? 'refused' : e),
      )
      if (theirs !== 'refused') disagreements.push(`${String(index)}: refused by createAuthFetch only`)
      refused++
      continue
    }
    if (!sent) throw new Error('nothing was sent')
    const expectedRegion = HOST_REGION[request.url.host] ?? region
    if (expectedRegion !== region) hostRegions++
    const unsigned = Object.fromEntries(Object.entries(sent.headers).filter(([name]) => !SIGV4_HEADERS.includes(name)))
    const reference = await referenceHeaders({
      ...generated,
      region: expectedRegion,
      request: { ...sent, headers: unsigned },
    })
    if (sent.headers['authorization'] !== reference['authorization']) {
      disagreements.push(`${String(index)}: ${sent.method} ${sent.url.pathname}${sent.url.search}`)
    }
    checked++
  }
  return { checked, refused, hostRegions, disagreements }
}

describe('createAuthFetch signs as @smithy/signature-v4 for every service', () => {
  it.each(['execute-api', 'lambda', 's3', 'appsync'] as const)(
    `on ${String(PER_SERVICE)} random requests for %s`,
    async (service) => {
      const result = await throughAuthFetch(service, generateRequests(service, PER_SERVICE, SEED))
      expect(result.disagreements).toEqual([])
      expect(result.checked + result.refused).toBe(PER_SERVICE)
      // Nearly every request was signed and checked; some of them in their host's region.
      expect(result.checked).toBeGreaterThan(PER_SERVICE * 0.9)
      if (service === 'execute-api' || service === 'lambda') expect(result.hostRegions).toBeGreaterThan(100)
    },
    60_000,
  )
})
