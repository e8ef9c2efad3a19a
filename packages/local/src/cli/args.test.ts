import { describe, expect, it } from 'vitest'
import { parseCliArgs } from './args'

describe('parseCliArgs', () => {
  it('fills in the defaults', () => {
    expect(parseCliArgs(['--schema', 's.graphql'], {})).toMatchObject({
      help: false,
      schemaPath: 's.graphql',
      port: 4000,
      host: '127.0.0.1',
      region: 'us-east-1',
      apiKeys: [{}],
      userPools: [],
      backendCredentials: [],
      identityPool: true,
      quiet: false,
    })
  })

  it('reads user pools, keys, backend credentials from the environment and switches', () => {
    const config = parseCliArgs(
      [
        '--schema=s.graphql',
        '--port=0',
        '--api-key',
        'da2-aaaaaaaaaaaaaaaaaaaaaaaaaa',
        '--api-key-ttl-days',
        '7',
        '--user-pool-id',
        'us-east-1_abc',
        '--user-pool-client-id',
        'one',
        '--user-pool-client-id',
        'two',
        '--user-pool-endpoint',
        'http://127.0.0.1:9229/',
        '--backend-from-env',
        '--no-identity-pool',
        '--default-auth-mode',
        'userPool',
      ],
      { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' },
    )
    expect(config).toMatchObject({
      port: 0,
      apiKeys: [{ key: 'da2-aaaaaaaaaaaaaaaaaaaaaaaaaa', ttlDays: 7 }],
      userPools: [{ userPoolId: 'us-east-1_abc', clientIds: ['one', 'two'], endpoint: 'http://127.0.0.1:9229/' }],
      backendCredentials: [{ name: 'env', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' }],
      identityPool: false,
      defaultAuthMode: 'userPool',
    })
    expect(parseCliArgs(['--schema', 's', '--no-api-key'], {}).apiKeys).toBe(false)
  })

  it.each([
    [[], /--schema <file> is required/],
    [['--schema', 's', '--port', '70000'], /--port must be/],
    [['--schema', 's', '--default-auth-mode', 'lambda'], /--default-auth-mode must be one of/],
    [['--schema', 's', '--backend-from-env'], /needs AWS_ACCESS_KEY_ID/],
    [['--schema', 's', '--what'], /Unknown option/],
  ])('%j is a ConfigurationError saying what to pass', (argv, message) => {
    expect(() => parseCliArgs(argv, {})).toThrow(message)
  })
})
