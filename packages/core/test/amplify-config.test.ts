// fromAmplifyConfig of the core: Gen 2 and Gen 1 sample files (test/fixtures/amplify, written from
// the documented formats) into createClient options, the caller's options winning, and one
// ConfigurationError per missing or malformed key, naming it.
import { describe, expect, it } from 'vitest'
import {
  ConfigurationError,
  createClient,
  fromAmplifyConfig,
  iamMode,
  type AmplifyConfig,
  type AmplifyOutputs,
  type AwsExports,
} from '../src/index'
import awsExports from './fixtures/amplify/aws-exports.js'
import outputs from './fixtures/amplify/amplify_outputs.json'

const GEN2_URL = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
const GEN1_URL = 'https://zyxwvutsrqponmlkjihgfedcba.appsync-api.eu-west-1.amazonaws.com/graphql'

/** The Gen 2 sample with `data` changed (a key set to undefined is removed). */
function gen2(data: Record<string, unknown>): AmplifyOutputs {
  return { ...outputs, data: { ...outputs.data, ...data } }
}

function gen1(changes: Record<string, unknown>): AwsExports {
  return { ...awsExports, ...changes }
}

function configurationError(run: () => unknown): ConfigurationError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as ConfigurationError).code).toBe('ERR_CONFIGURATION')
    return error as ConfigurationError
  }
  throw new Error('expected a ConfigurationError')
}

describe('fromAmplifyConfig: Gen 2 amplify_outputs.json', () => {
  it('reads the endpoint, region, API key and authorization types, the default type first', () => {
    const options = fromAmplifyConfig(outputs)
    expect(options).toEqual({
      endpoint: GEN2_URL,
      region: 'us-east-1',
      // default AMAZON_COGNITO_USER_POOLS, then the additional API_KEY and AWS_IAM
      authMode: ['userPool', 'apiKey', 'iam'],
      // What `auto` chooses from, kept when the caller's `authMode` replaces the list.
      apiAuthModes: ['userPool', 'apiKey', 'iam'],
      apiKey: 'da2-fakefakefakefakefakefake',
      modelIntrospection: outputs.data.model_introspection,
    })
  })

  it('keeps the model introspection schema as the file has it (for the coming authMode "auto")', () => {
    const { modelIntrospection } = fromAmplifyConfig(outputs)
    expect(modelIntrospection).toBe(outputs.data.model_introspection)
    expect(modelIntrospection).toMatchObject({ version: 1, models: { Todo: { name: 'Todo' } } })
  })

  it('maps every AppSync authorization type to its mode, each once', () => {
    const types = ['API_KEY', 'AMAZON_COGNITO_USER_POOLS', 'AWS_IAM', 'OPENID_CONNECT', 'AWS_LAMBDA']
    const options = fromAmplifyConfig(
      gen2({ default_authorization_type: 'AWS_LAMBDA', authorization_types: [...types, 'API_KEY'] }),
    )
    expect(options.authMode).toEqual(['lambda', 'apiKey', 'userPool', 'iam', 'oidc'])
  })

  it('a file whose additional types repeat the default one (as the backend writes them) lists it once', () => {
    const options = fromAmplifyConfig(gen2({ default_authorization_type: 'API_KEY', authorization_types: ['API_KEY'] }))
    expect(options.authMode).toEqual(['apiKey'])
  })

  it('leaves out what the file lacks (no API key, no additional types, no model introspection)', () => {
    const options = fromAmplifyConfig(
      gen2({ api_key: undefined, authorization_types: undefined, model_introspection: undefined }),
    )
    expect(options).toEqual({
      endpoint: GEN2_URL,
      region: 'us-east-1',
      authMode: ['userPool'],
      apiAuthModes: ['userPool'],
    })
  })

  it('accepts every 1.x schema version, as aws-amplify does', () => {
    for (const version of ['1', '1.1', '1.3', '1.5']) {
      expect(fromAmplifyConfig({ ...outputs, version }).endpoint).toBe(GEN2_URL)
    }
  })
})

describe('fromAmplifyConfig: Gen 1 aws-exports.js', () => {
  it('reads the endpoint, region, API key and authentication type', () => {
    expect(fromAmplifyConfig(awsExports)).toEqual({
      endpoint: GEN1_URL,
      region: 'eu-west-1',
      authMode: ['apiKey'],
      apiAuthModes: ['apiKey'],
      apiKey: 'da2-fakefakefakefakefakefake',
    })
  })

  it('the module namespace (`import * as config`) works as its default export does', async () => {
    const namespace = await import('./fixtures/amplify/aws-exports.js')
    expect(fromAmplifyConfig(namespace as unknown as AmplifyConfig)).toEqual(fromAmplifyConfig(awsExports))
  })

  it('additional types (comma-separated, as the Gen 2 backend writes the legacy format) follow the default', () => {
    const options = fromAmplifyConfig(
      gen1({
        aws_appsync_authenticationType: 'AWS_IAM',
        aws_appsync_additionalAuthenticationTypes: 'API_KEY, AMAZON_COGNITO_USER_POOLS,AWS_IAM',
      }),
    )
    expect(options.authMode).toEqual(['iam', 'apiKey', 'userPool'])
  })

  it('empty values (what the CLI writes for a resource the project lacks) count as absent', () => {
    const options = fromAmplifyConfig(gen1({ aws_appsync_apiKey: '', aws_cognito_identity_pool_id: '' }))
    expect(options).not.toHaveProperty('apiKey')
  })

  it('a model introspection schema in the file is kept', () => {
    const modelIntrospection = { version: 1, models: {} }
    expect(fromAmplifyConfig(gen1({ modelIntrospection })).modelIntrospection).toBe(modelIntrospection)
  })
})

describe('fromAmplifyConfig: your options win', () => {
  it('the second argument overrides the file, as spreading the result would', () => {
    const fetch = (() => Promise.reject(new Error('unused'))) as typeof globalThis.fetch
    const options = fromAmplifyConfig(outputs, { authMode: 'apiKey', apiKey: 'da2-mine', fetch })
    expect(options).toMatchObject({ endpoint: GEN2_URL, authMode: 'apiKey', apiKey: 'da2-mine', fetch })
    expect({ ...fromAmplifyConfig(outputs), authMode: 'apiKey', apiKey: 'da2-mine', fetch }).toMatchObject(options)
  })

  it('a key you set to undefined is not given: the file keeps its value', () => {
    expect(fromAmplifyConfig(outputs, { apiKey: undefined }).apiKey).toBe('da2-fakefakefakefakefakefake')
  })

  it('with your endpoint and authMode, a file may lack them', () => {
    const noUrl = gen2({ url: undefined, default_authorization_type: undefined })
    expect(fromAmplifyConfig(noUrl, { endpoint: GEN1_URL, authMode: 'iam' })).toMatchObject({
      endpoint: GEN1_URL,
      authMode: 'iam',
    })
    const noData = { version: '1.4', auth: outputs.auth }
    expect(fromAmplifyConfig(noData, { endpoint: GEN1_URL, apiKey: 'da2-mine' })).toEqual({
      endpoint: GEN1_URL,
      apiKey: 'da2-mine',
    })
  })
})

describe('a client from the options', () => {
  it('sends requests to the file’s endpoint with its API key (Gen 1, API_KEY)', async () => {
    const seen: { url: string; apiKey: string | null }[] = []
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init)
      seen.push({ url: request.url, apiKey: request.headers.get('x-api-key') })
      return Promise.resolve(Response.json({ data: { ping: 'pong' } }))
    }) as typeof globalThis.fetch
    const client = createClient({ ...fromAmplifyConfig(awsExports), fetch, logger: null })
    await expect(client.request('{ ping }')).resolves.toEqual({ ping: 'pong' })
    expect(seen).toEqual([{ url: GEN1_URL, apiKey: 'da2-fakefakefakefakefakefake' }])
  })

  it('Gen 2 with user pools first: nobody signed in, so the API key goes (the list skips userPool)', async () => {
    const keys: (string | null)[] = []
    const fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      keys.push(new Request(input, init).headers.get('x-api-key'))
      return Promise.resolve(Response.json({ data: { ping: 'pong' } }))
    }) as typeof globalThis.fetch
    // The bare core registers no SigV4: the file lists AWS_IAM, so it needs iamMode() (the environment packages add it).
    const client = createClient({ ...fromAmplifyConfig(outputs), modes: [iamMode()], fetch, logger: null })
    await client.request('{ ping }')
    expect(keys).toEqual(['da2-fakefakefakefakefakefake'])
  })
})

describe('fromAmplifyConfig: a file it cannot use is a ConfigurationError naming the key', () => {
  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a string (the file name, not its content)', './amplify_outputs.json'],
    ['an Amplify v5 Amplify.configure object', { API: { GraphQL: { endpoint: GEN2_URL } } }],
    ['an empty object', {}],
  ])('neither file: %s', (_, config) => {
    const error = configurationError(() => fromAmplifyConfig(config as unknown as AmplifyConfig))
    expect(error.message).toMatch(/^fromAmplifyConfig: /)
    expect(error.message).toContain('amplify_outputs.json')
    expect(error.message).toContain('aws-exports.js')
    expect(error.message).toContain('`aws_appsync_graphqlEndpoint`')
  })

  it('a schema version it does not know', () => {
    expect(configurationError(() => fromAmplifyConfig({ ...outputs, version: '2' })).message).toMatch(
      /version "2" is not supported/,
    )
  })

  it('Gen 2 without `data`: says to define the API or pass `endpoint`', () => {
    const error = configurationError(() => fromAmplifyConfig({ version: '1.4', auth: outputs.auth }))
    expect(error.message).toMatch(/has no `data`/)
    expect(error.message).toMatch(/`npx ampx generate outputs`, or pass `endpoint`/)
  })

  it('Gen 2 without `data.url`', () => {
    const error = configurationError(() => fromAmplifyConfig(gen2({ url: undefined })))
    expect(error.message).toMatch(/`data\.url` \(the GraphQL endpoint\) is missing: .*or pass `endpoint`/)
  })

  it('Gen 2 without `data.default_authorization_type`', () => {
    const error = configurationError(() => fromAmplifyConfig(gen2({ default_authorization_type: undefined })))
    expect(error.message).toMatch(/`data\.default_authorization_type` .* is missing: .*or pass `authMode`/)
  })

  it('Gen 1 without `aws_appsync_graphqlEndpoint` (a project with auth only)', () => {
    const error = configurationError(() => fromAmplifyConfig(gen1({ aws_appsync_graphqlEndpoint: undefined })))
    expect(error.message).toMatch(
      /`aws_appsync_graphqlEndpoint` \(the GraphQL endpoint\) is missing: .*or pass `endpoint`/,
    )
  })

  it('Gen 1 without `aws_appsync_authenticationType`', () => {
    const error = configurationError(() => fromAmplifyConfig(gen1({ aws_appsync_authenticationType: undefined })))
    expect(error.message).toMatch(/`aws_appsync_authenticationType` .* is missing/)
  })

  it.each([
    [gen2({ default_authorization_type: 'COGNITO' }), /`data\.default_authorization_type` holds "COGNITO"/],
    [gen2({ authorization_types: ['API_KEY', 'AWS_SIGV4'] }), /`data\.authorization_types` holds "AWS_SIGV4"/],
    [gen2({ authorization_types: [42] }), /`data\.authorization_types` holds a number/],
    [gen2({ authorization_types: ['toString'] }), /`data\.authorization_types` holds "toString"/],
    [gen1({ aws_appsync_authenticationType: 'apiKey' }), /`aws_appsync_authenticationType` holds "apiKey"/],
  ])('an authorization type that is not AppSync’s: %#', (config, message) => {
    const error = configurationError(() => fromAmplifyConfig(config))
    expect(error.message).toMatch(message)
    expect(error.message).toContain('API_KEY, AMAZON_COGNITO_USER_POOLS, AWS_IAM, OPENID_CONNECT, AWS_LAMBDA')
  })

  it.each([
    [gen2({ url: 42 }), /`data\.url` of amplify_outputs\.json must be a string/],
    [gen2({ api_key: { key: 'x' } }), /`data\.api_key` of amplify_outputs\.json must be a string/],
    [gen2({ authorization_types: 'API_KEY' }), /`data\.authorization_types` of amplify_outputs\.json must be a list/],
    [gen2({ model_introspection: 'models' }), /`data\.model_introspection` must be an object/],
    [{ ...outputs, data: 'https://x' }, /`data` of amplify_outputs\.json must be an object/],
    [{ ...outputs, auth: { ...outputs.auth, unauthenticated_identities_enabled: 'true' } }, /must be true or false/],
    [gen1({ aws_appsync_region: ['eu-west-1'] }), /`aws_appsync_region` of aws-exports\.js must be a string/],
  ])('a value of the wrong type: %#', (config, message) => {
    expect(configurationError(() => fromAmplifyConfig(config as AmplifyConfig)).message).toMatch(message)
  })

  it('a user pool id without its app client id (or the reverse)', () => {
    const noClient = { ...outputs, auth: { ...outputs.auth, user_pool_client_id: undefined } } as AmplifyConfig
    expect(configurationError(() => fromAmplifyConfig(noClient)).message).toMatch(
      /`auth\.user_pool_client_id` is missing/,
    )
    expect(configurationError(() => fromAmplifyConfig(gen1({ aws_user_pools_id: '' }))).message).toMatch(
      /`aws_user_pools_id` is missing/,
    )
  })

  it('options that are not an object', () => {
    const error = configurationError(() => fromAmplifyConfig(outputs, 'apiKey' as never))
    expect(error.message).toMatch(/second argument must be an object/)
  })

  it('no message quotes the API key, even one pasted into another key', () => {
    const key = outputs.data.api_key
    for (const config of [
      gen2({ url: undefined }),
      gen2({ default_authorization_type: 'X' }),
      gen2({ url: 1 }),
      gen2({ default_authorization_type: key }),
      gen2({ authorization_types: ['API_KEY', key] }),
      { ...outputs, version: key },
      gen1({ aws_appsync_authenticationType: key }),
    ]) {
      expect(configurationError(() => fromAmplifyConfig(config)).message).not.toContain('da2-')
    }
  })
})
