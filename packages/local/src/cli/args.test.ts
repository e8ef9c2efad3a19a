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
      outputsPath: undefined,
      quiet: false,
    })
    expect(parseCliArgs(['--schema', 's.graphql', '--outputs', 'web/amplify_outputs.json'], {}).outputsPath).toBe(
      'web/amplify_outputs.json',
    )
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
        '--user-pool-issuer',
        'http://localhost:9229/us-east-1_abc',
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
      userPools: [
        {
          userPoolId: 'us-east-1_abc',
          clientIds: ['one', 'two'],
          endpoint: 'http://127.0.0.1:9229/',
          issuer: 'http://localhost:9229/us-east-1_abc',
        },
      ],
      backendCredentials: [{ name: 'env', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' }],
      identityPool: false,
      defaultAuthMode: 'userPool',
    })
    expect(parseCliArgs(['--schema', 's', '--no-api-key'], {}).apiKeys).toBe(false)
  })

  it('--user-pool-issuer and --user-pool-endpoint without --user-pool-id say what is missing', () => {
    for (const flag of ['--user-pool-issuer', '--user-pool-endpoint']) {
      expect(() => parseCliArgs(['--schema', 's', flag, 'http://localhost:9229/x_y'], {})).toThrow(
        `${flag} needs --user-pool-id`,
      )
    }
  })

  it('--user runs a local user pool; --local-* set its id, app client, secret and rotation', () => {
    expect(parseCliArgs(['--schema', 's'], {}).userPool).toBeUndefined()
    const config = parseCliArgs(
      [
        '--schema',
        's',
        '--user',
        'alice:Pass:word1!:Admin,Editors',
        '--user',
        'bob:pw',
        '--user',
        'carol:with:colon:',
        '--local-pool-id',
        'us-east-1_Local1',
        '--local-client-id',
        'app1',
        '--local-client-secret',
        'shh',
        '--local-rotation',
        '10',
      ],
      {},
    )
    expect(config.userPool).toEqual({
      userPoolId: 'us-east-1_Local1',
      users: [
        { username: 'alice', password: 'Pass:word1!', groups: ['Admin', 'Editors'] },
        { username: 'bob', password: 'pw', groups: [] },
        { username: 'carol', password: 'with:colon', groups: [] },
      ],
      clients: [{ clientId: 'app1', clientSecret: 'shh', refreshTokenRotation: { retryGracePeriodSeconds: 10 } }],
    })
  })

  it.each([
    [['--schema', 's', '--user', 'alice'], /--user must be <name>:<password>/],
    [['--schema', 's', '--user', ':pw'], /--user must be/],
    [['--schema', 's', '--local-rotation', '5'], /--local-rotation needs at least one --user/],
    [['--schema', 's', '--user', 'a:b', '--local-rotation', '61'], /--local-rotation must be/],
    [[], /--schema <file> is required/],
    [['--schema', 's', '--port', '70000'], /--port must be/],
    [['--schema', 's', '--default-auth-mode', 'lambda'], /--default-auth-mode must be one of/],
    [['--schema', 's', '--backend-from-env'], /needs AWS_ACCESS_KEY_ID/],
    [['--schema', 's', '--what'], /Unknown option/],
  ])('%j is a ConfigurationError saying what to pass', (argv, message) => {
    expect(() => parseCliArgs(argv, {})).toThrow(message)
  })
})
