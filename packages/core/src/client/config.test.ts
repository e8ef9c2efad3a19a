import { describe, it, expect } from 'vitest'
import { apiRegion, iamMode } from '../auth/iam'
import type { AuthModeDefinition } from '../auth/definition'
import { ConfigurationError } from '../errors/ConfigurationError'
import { createClient } from './createClient'
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, resolveConfig } from './config'
import type { ClientOptions } from './options'

const ENDPOINT = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }

function resolve(options: Partial<ClientOptions>) {
  return resolveConfig({ endpoint: ENDPOINT, apiKey: 'da2-key', logger: null, ...options })
}

/** The ConfigurationError thrown by `run`; fails the test when it throws nothing or something else. */
function configurationError(run: () => unknown): ConfigurationError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    return error as ConfigurationError
  }
  throw new Error('expected a ConfigurationError, nothing was thrown')
}

describe('apiRegion (the iam mode)', () => {
  it.each([
    ['https://abc123.appsync-api.us-east-1.amazonaws.com/graphql', 'us-east-1'],
    ['https://abc123.appsync-api.eu-central-1.amazonaws.com/graphql', 'eu-central-1'],
    ['https://abc123.appsync-api.ap-southeast-2.amazonaws.com/graphql', 'ap-southeast-2'],
    ['https://abc123.appsync-api.us-gov-west-1.amazonaws.com/graphql', 'us-gov-west-1'],
    ['https://abc123.appsync-api.cn-north-1.amazonaws.com.cn/graphql', 'cn-north-1'],
    ['https://abc123.appsync-api.cn-northwest-1.amazonaws.com.cn/graphql', 'cn-northwest-1'],
    ['https://ABC123.APPSYNC-API.US-WEST-2.AMAZONAWS.COM/graphql', 'us-west-2'],
  ])('reads the region of %s', (endpoint, region) => {
    expect(apiRegion(undefined, new URL(endpoint))).toBe(region)
  })

  it.each([
    'https://api.example.com/graphql',
    'https://abc123.appsync-api.us-east-1.amazonaws.com.evil.example/graphql',
    'https://abc123.appsync-realtime-api.us-east-1.amazonaws.com/graphql',
    'http://localhost:20002/graphql',
  ])('leaves the region of %s undefined', (endpoint) => {
    expect(apiRegion(undefined, new URL(endpoint))).toBeUndefined()
  })

  it('prefers the region given', () => {
    expect(apiRegion('eu-west-1', new URL('https://api.example.com/graphql'))).toBe('eu-west-1')
    expect(apiRegion('eu-west-1', new URL(ENDPOINT))).toBe('eu-west-1')
  })

  it.each(['', 'US-EAST-1', 'useast1', 'us-east', 'us_east_1', ' us-east-1', 'us-east-1/'])(
    'rejects the region %j',
    (region) => {
      expect(configurationError(() => apiRegion(region, new URL(ENDPOINT))).message).toMatch(/`region`/)
      const iam = { apiKey: undefined, credentials: CREDENTIALS, modes: [iamMode()], region }
      expect(configurationError(() => resolve(iam)).message).toMatch(/`region`/)
    },
  )

  it('rejects a region that is not a string', () => {
    expect(configurationError(() => apiRegion(1, new URL(ENDPOINT))).message).toMatch(/`region`/)
  })
})

describe('resolveConfig: endpoint', () => {
  it('accepts a string or a URL', () => {
    expect(resolve({}).endpoint.href).toBe(ENDPOINT)
    expect(resolve({ endpoint: new URL(ENDPOINT) }).endpoint.href).toBe(ENDPOINT)
    expect(resolve({ endpoint: 'http://localhost:20002/graphql' }).endpoint.host).toBe('localhost:20002')
  })

  it.each([undefined, null, ''])('requires an endpoint (%j)', (endpoint) => {
    const error = configurationError(() => resolve({ endpoint: endpoint as unknown as string }))
    expect(error.message).toMatch(/`endpoint` is required/)
  })

  it('rejects a relative URL', () => {
    expect(configurationError(() => resolve({ endpoint: '/graphql' })).message).toMatch(/absolute URL/)
    expect(
      configurationError(() => resolve({ endpoint: 'abc.appsync-api.us-east-1.amazonaws.com/graphql' })).message,
    ).toMatch(/absolute URL/)
  })

  it.each(['ftp://example.com/graphql', 'ws://example.com/graphql', 'file:///graphql', 'javascript:alert(1)'])(
    'rejects the scheme of %s',
    (endpoint) => {
      expect(configurationError(() => resolve({ endpoint })).message).toMatch(/http\(s\) URL/)
    },
  )

  it('rejects a user name or password in the URL, without repeating them', () => {
    for (const endpoint of ['https://user:secret-pass@example.com/graphql', 'https://user@example.com/graphql']) {
      const error = configurationError(() => resolve({ endpoint }))
      expect(error.message).toMatch(/user name or password/)
      expect(error.message).not.toContain('secret-pass')
    }
  })

  it('needs an options object', () => {
    configurationError(() => resolveConfig(undefined as unknown as ClientOptions))
    configurationError(() => resolveConfig(null as unknown as ClientOptions))
  })
})

describe('resolveConfig: auth modes', () => {
  it('rejects an unknown mode', () => {
    const error = configurationError(() => resolve({ authMode: 'cognito' as never }))
    expect(error.message).toMatch(/unknown auth mode "cognito"/)
    expect(error.message).toMatch(/apiKey, userPool, oidc, lambda, iam, none/)
  })

  it('rejects an unknown mode in a list', () => {
    expect(configurationError(() => resolve({ authMode: ['apiKey', 'API_KEY'] as never })).message).toMatch(/"API_KEY"/)
  })

  it('rejects an empty mode list', () => {
    expect(configurationError(() => resolve({ authMode: [] })).message).toMatch(/empty list/)
  })

  it('rejects credentials when the iam mode is not registered, and says what to do', () => {
    const error = configurationError(() => resolve({ apiKey: undefined, credentials: CREDENTIALS }))
    expect(error.message).toMatch(/`credentials` needs the iam mode/)
    expect(error.message).toMatch(/@authmode\/browser or @authmode\/node/)
    expect(error.message).toMatch(/modes: \[iamMode\(\)\]/)
  })

  it('rejects authMode iam when the iam mode is not registered', () => {
    expect(configurationError(() => resolve({ authMode: 'iam' })).message).toMatch(/iam mode is not registered/)
  })

  it('accepts credentials once the iam mode is registered', () => {
    const config = resolve({ apiKey: undefined, credentials: CREDENTIALS, modes: [iamMode()] })
    expect(config.defaultModes).toEqual(['iam'])
    expect(config.strategies.has('iam')).toBe(true)
  })

  it('needs a region for iam on a custom domain', () => {
    const options = {
      endpoint: 'https://api.example.com/graphql',
      apiKey: undefined,
      credentials: CREDENTIALS,
      modes: [iamMode()],
    }
    expect(configurationError(() => resolve(options)).message).toMatch(/`region` is required/)
    expect(resolve({ ...options, region: 'eu-west-1' }).strategies.has('iam')).toBe(true)
  })

  it('needs authMode when several providers are configured', () => {
    const error = configurationError(() => resolve({ userPool: 'token' }))
    expect(error.message).toMatch(/Several auth modes are configured \(apiKey, userPool\)/)
    expect(error.message).toMatch(/`authMode`/)
  })

  it('takes the only provider as the default mode', () => {
    expect(resolve({}).defaultModes).toEqual(['apiKey'])
    expect(resolve({ apiKey: undefined, userPool: 'token' }).defaultModes).toEqual(['userPool'])
    expect(resolve({ apiKey: undefined, lambda: () => Promise.resolve({ token: 't' }) }).defaultModes).toEqual([
      'lambda',
    ])
  })

  it('takes the authMode given, one mode or a list', () => {
    expect(resolve({ userPool: 'token', authMode: 'userPool' }).defaultModes).toEqual(['userPool'])
    expect(resolve({ userPool: 'token', authMode: ['userPool', 'apiKey'] }).defaultModes).toEqual([
      'userPool',
      'apiKey',
    ])
  })

  it('needs at least one provider', () => {
    expect(configurationError(() => resolve({ apiKey: undefined })).message).toMatch(/No auth mode is configured/)
  })

  it('accepts authMode none without any provider', () => {
    expect(resolve({ apiKey: undefined, authMode: 'none' }).defaultModes).toEqual(['none'])
  })

  it('rejects an authMode whose provider is not set, naming the option', () => {
    expect(configurationError(() => resolve({ authMode: 'userPool' })).message).toMatch(/needs `userPool`/)
  })

  it('rejects empty or mistyped providers', () => {
    expect(configurationError(() => resolve({ apiKey: '  ' })).message).toMatch(/`apiKey`/)
    expect(configurationError(() => resolve({ apiKey: undefined, userPool: '' })).message).toMatch(/`userPool`/)
    expect(configurationError(() => resolve({ apiKey: 42 as unknown as string })).message).toMatch(/`apiKey`/)
  })

  it('lets a registered definition replace a built-in one', () => {
    const custom: AuthModeDefinition = {
      mode: 'apiKey',
      option: 'apiKey',
      create: () => ({
        mode: 'apiKey',
        resolveIdentity: () => Promise.resolve('custom'),
        refreshAfterRejection: () => Promise.resolve('custom'),
        authorize: (request) => Promise.resolve(request),
      }),
    }
    expect(resolve({ modes: [custom] }).definitions.get('apiKey')).toBe(custom)
  })
})

describe('resolveConfig: headers', () => {
  it.each(['authorization', 'Authorization', 'X-Api-Key', 'x-amz-security-token', 'X-Amz-Date'])(
    'rejects the credential header %s',
    (name) => {
      const error = configurationError(() => resolve({ headers: { [name]: 'value' } }))
      expect(error.message).toContain(name.toLowerCase())
      expect(error.message).not.toContain('value')
    },
  )

  it('keeps other headers, with lower-case names', () => {
    expect(resolve({ headers: { 'X-Trace-Id': 'abc' } }).headers).toEqual({ 'x-trace-id': 'abc' })
  })
})

describe('resolveConfig: retry and timeout', () => {
  it('fills in defaults', () => {
    const config = resolve({})
    expect(config.retry).toEqual(DEFAULT_RETRY)
    expect(config.timeoutMs).toBe(DEFAULT_TIMEOUT_MS)
  })

  it('merges partial retry options over the defaults, and accepts false', () => {
    expect(resolve({ retry: { limit: 0 } }).retry).toEqual({ ...DEFAULT_RETRY, limit: 0 })
    expect(resolve({ retry: { limit: 10, mutations: true } }).retry).toEqual({
      ...DEFAULT_RETRY,
      limit: 10,
      mutations: true,
    })
    expect(resolve({ retry: false }).retry).toBe(false)
  })

  it.each([-1, 1.5, 11, Number.NaN, Number.POSITIVE_INFINITY, '2'])('rejects retry.limit %j', (limit) => {
    const error = configurationError(() => resolve({ retry: { limit: limit as number } }))
    expect(error.message).toMatch(/`retry.limit`/)
  })

  it('rejects negative or non-finite delays and timeouts', () => {
    expect(configurationError(() => resolve({ retry: { baseDelayMs: -1 } })).message).toMatch(/`retry.baseDelayMs`/)
    expect(configurationError(() => resolve({ retry: { maxDelayMs: Number.NaN } })).message).toMatch(
      /`retry.maxDelayMs`/,
    )
    expect(configurationError(() => resolve({ timeoutMs: -5 })).message).toMatch(/`timeoutMs`/)
    expect(resolve({ timeoutMs: 0 }).timeoutMs).toBe(0)
  })
})

describe('resolveConfig: subscriptions, resolved at createClient', () => {
  it('fills in the real-time defaults', () => {
    const WebSocket = { load: () => Promise.reject(new Error('not loaded in this test')) }
    expect(resolve({ webSocket: WebSocket }).realtime).toEqual({
      query: false,
      reconnect: { limit: 5, mutations: false, baseDelayMs: 1000, maxDelayMs: 30_000 },
      webSocket: WebSocket,
    })
    expect(resolve({ realtime: { auth: 'query', reconnect: false } }).realtime).toMatchObject({
      query: true,
      reconnect: { limit: 0 },
    })
    expect(resolve({ realtime: { reconnect: { attempts: 100, maxDelayMs: 5 } } }).realtime.reconnect).toEqual({
      limit: 100,
      mutations: false,
      baseDelayMs: 1000,
      maxDelayMs: 5,
    })
  })

  it.each<[string, ClientOptions['realtime'], RegExp]>([
    ['an unknown auth form', { auth: 'header' as never }, /`realtime.auth` must be "subprotocol" or "query"/],
    ['a negative number of attempts', { reconnect: { attempts: -1 } }, /`realtime.reconnect.attempts`.*0 to 100/],
    ['too many attempts', { reconnect: { attempts: 101 } }, /`realtime.reconnect.attempts`/],
    ['a negative delay', { reconnect: { baseDelayMs: -1 } }, /`realtime.reconnect.baseDelayMs`/],
    ['an endless delay', { reconnect: { maxDelayMs: Infinity } }, /`realtime.reconnect.maxDelayMs`/],
  ])('%s is a ConfigurationError at createClient, before any subscription', (_, realtime, message) => {
    expect(configurationError(() => createClient({ endpoint: ENDPOINT, apiKey: 'da2-key', realtime })).message).toMatch(
      message,
    )
  })
})

describe('createClient', () => {
  it('validates through resolveConfig', () => {
    expect(() => createClient({ endpoint: 'ftp://example.com/graphql', apiKey: 'da2-key' })).toThrow(ConfigurationError)
    expect(() => createClient({ endpoint: ENDPOINT, apiKey: 'da2-key', userPool: 'token' })).toThrow(ConfigurationError)
  })

  it('builds a client from valid options', () => {
    const client = createClient({ endpoint: ENDPOINT, apiKey: 'da2-key', logger: null })
    expect(typeof client.request).toBe('function')
    expect(client.clockOffsetMs).toBe(0)
  })
})
