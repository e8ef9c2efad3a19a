// createAuthFetch's `service` (issue 14, decision 3): what `iam` signs for and in which region, the
// one refresh and retry after a 401 and the clock correction for such calls, and that
// `client.request` and other functions keep signing for AppSync. The transport is injected and
// records what was sent; the signatures themselves are checked against the AWS SDK's signer in
// auth-fetch.differential.test.ts and against @authmode/local in packages/local.
import { describe, expect, it } from 'vitest'
import {
  ConfigurationError,
  createAuthFetch,
  createClient,
  iamMode,
  type AwsCredentialIdentity,
  type ClientOptions,
} from '../src/index'
import { manualClock, MINUTE, amzDate } from './msw/clock'

const T0 = Date.parse('2026-11-26T04:00:00Z')
const APPSYNC = 'https://abc123.appsync-api.us-east-1.amazonaws.com/graphql'
const API_GATEWAY = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com'
const LAMBDA_URL = 'https://fn0123456789abcdef.lambda-url.ap-southeast-2.on.aws'
const KEYS = [1, 2].map((n) => ({
  accessKeyId: `ASIASERVICE000000${String(n)}`,
  secretAccessKey: `service-secret-access-key-00000000000${String(n)}`,
  sessionToken: `service-session-token-${String(n)}`,
}))

interface Sent {
  readonly url: string
  readonly method: string
  readonly headers: Headers
}

/** A transport that records each request and answers with the next of `answers` (then 200 `{}`). */
function transport(answers: (() => Response)[] = []): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = []
  return {
    sent,
    fetch: (input, init) => {
      sent.push({ url: String(input), method: init?.method ?? 'GET', headers: new Headers(init?.headers) })
      return Promise.resolve(answers.shift()?.() ?? Response.json({ data: { ok: true } }))
    },
  }
}

/** The credential scope of a sent request: `<date>/<region>/<service>/aws4_request`. */
const scopeOf = (sent: Sent | undefined): string =>
  /Credential=[^/]+\/([^,]+),/.exec(sent?.headers.get('authorization') ?? '')?.[1] ?? ''

function options(fetchLike: typeof fetch, extra: Partial<ClientOptions> = {}): ClientOptions {
  return {
    endpoint: APPSYNC,
    authMode: 'iam',
    credentials: KEYS[0],
    modes: [iamMode()],
    clock: manualClock(T0),
    logger: null,
    fetch: fetchLike,
    ...extra,
  }
}

describe('createAuthFetch `service`', () => {
  it('signs for the service, in the region of an API Gateway or Lambda URL host, else the client’s', async () => {
    const { fetch, sent } = transport()
    const restApi = createAuthFetch(options(fetch), {
      service: 'execute-api',
      origins: [API_GATEWAY, 'https://api.example.com'],
    })
    const functionUrl = createAuthFetch(options(fetch), { service: 'lambda', origins: [LAMBDA_URL] })
    await restApi(`${API_GATEWAY}/prod/items?limit=10`)
    await restApi('https://api.example.com/items', { method: 'PUT', body: new Uint8Array([0, 1, 2]) })
    await functionUrl(`${LAMBDA_URL}/`, { method: 'POST', body: '{}' })
    expect(sent.map(scopeOf)).toEqual([
      '20261126/eu-west-1/execute-api/aws4_request',
      // A custom domain: the client's region (here read from its AppSync endpoint).
      '20261126/us-east-1/execute-api/aws4_request',
      '20261126/ap-southeast-2/lambda/aws4_request',
    ])
  })

  it('is appsync by default, and for client.request and other createAuthFetch functions of the same client', async () => {
    const { fetch, sent } = transport()
    const client = createClient(options(fetch))
    const restApi = createAuthFetch(client, { service: 'execute-api', origins: [API_GATEWAY] })
    await restApi(`${API_GATEWAY}/prod/items`)
    await client.request('{ ok }')
    await createAuthFetch(client)(APPSYNC, { method: 'POST', body: '{"query":"{ ok }"}' })
    expect(sent.map(scopeOf)).toEqual([
      '20261126/eu-west-1/execute-api/aws4_request',
      '20261126/us-east-1/appsync/aws4_request',
      '20261126/us-east-1/appsync/aws4_request',
    ])
  })

  it('the endpoint may be the API Gateway URL itself: its region is read from the host when `region` is absent', async () => {
    const { fetch, sent } = transport()
    const restApi = createAuthFetch(options(fetch, { endpoint: `${API_GATEWAY}/prod` }), { service: 'execute-api' })
    await restApi(`${API_GATEWAY}/prod/items`)
    expect(scopeOf(sent[0])).toBe('20261126/eu-west-1/execute-api/aws4_request')
    // A custom domain still needs `region`.
    expect(() =>
      createAuthFetch(options(fetch, { endpoint: 'https://api.example.com/prod' }), { service: 'execute-api' }),
    ).toThrow(/`region` is required for iam on a custom domain/)
  })

  it('a 401 refreshes the credentials once and the retry is signed for the same service with the new ones', async () => {
    const calls: (boolean | undefined)[] = []
    const credentials = (properties?: Record<string, unknown>): Promise<AwsCredentialIdentity> => {
      calls.push(properties?.['forceRefresh'] as boolean | undefined)
      return Promise.resolve(KEYS[calls.length - 1] ?? KEYS[1]!)
    }
    const { fetch, sent } = transport([() => Response.json({ message: 'Unauthorized' }, { status: 401 })])
    const restApi = createAuthFetch(options(fetch, { credentials }), { service: 'execute-api', origins: [API_GATEWAY] })
    const response = await restApi(`${API_GATEWAY}/prod/items`, { method: 'POST', body: '{"a":1}' })
    expect(response.status).toBe(200)
    expect(calls).toEqual([false, true])
    expect(sent.map(scopeOf)).toEqual([
      '20261126/eu-west-1/execute-api/aws4_request',
      '20261126/eu-west-1/execute-api/aws4_request',
    ])
    expect(sent.map((s) => /Credential=([^/]+)/.exec(s.headers.get('authorization') ?? '')?.[1])).toEqual(
      KEYS.map((key) => key.accessKeyId),
    )
  })

  it('API Gateway’s 403 "Signature expired" corrects the clock from its Date header; the retry is signed at server time', async () => {
    const serverTime = T0 + 20 * MINUTE
    const { fetch, sent } = transport([
      () =>
        Response.json(
          {
            message: `Signature expired: ${amzDate(T0)} is now earlier than ${amzDate(serverTime - 5 * MINUTE)} (${amzDate(serverTime)} - 5 min.)`,
          },
          {
            status: 403,
            headers: { 'x-amzn-errortype': 'InvalidSignatureException', date: new Date(serverTime).toUTCString() },
          },
        ),
    ])
    const restApi = createAuthFetch(options(fetch), { service: 'execute-api', origins: [API_GATEWAY] })
    expect((await restApi(`${API_GATEWAY}/prod/items`)).status).toBe(200)
    expect(sent.map((s) => s.headers.get('x-amz-date'))).toEqual([amzDate(T0), amzDate(serverTime)])
    expect(new Set(sent.map(scopeOf))).toEqual(new Set(['20261126/eu-west-1/execute-api/aws4_request']))
  })

  it('refuses a `service` that is no AWS service name as SigV4 scopes it, with a ConfigurationError', () => {
    const { fetch } = transport()
    for (const service of ['', 'Lambda', 'execute api', 'a/b', '-x', 'appsync\n', 1, null]) {
      expect(() => createAuthFetch(options(fetch), { service: service as string })).toThrow(ConfigurationError)
    }
    expect(() => createAuthFetch(options(fetch), { service: 'Lambda' })).toThrow(
      /`service` must be an AWS service name as SigV4 scopes it, in lower case, e\.g\. "execute-api" or "lambda"/,
    )
    for (const service of ['execute-api', 'lambda', 's3', 'appsync', 's3-object-lambda', 'es']) {
      expect(() => createAuthFetch(options(fetch), { service })).not.toThrow()
    }
  })
})
