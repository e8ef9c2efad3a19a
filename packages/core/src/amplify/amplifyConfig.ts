// Reads the two configuration files Amplify apps have: Gen 2 `amplify_outputs.json` (the
// `AWSAmplifyBackendOutputs` schema of aws-amplify/amplify-backend packages/client-config) and
// Gen 1 `aws-exports.js` (what the Amplify CLI writes; parsed as aws-amplify's parseAWSExports
// does). One reader for both: fromAmplifyConfig (core) and amplifyConfigWith (the browser wiring).
import type { AuthMode } from '../auth/types'
import type { ClientOptions } from '../client/options'
import { isObject, needFor, type Need } from '../identity/cognitoConfig'

/** The API's model introspection schema, as the file holds it, that `authMode: 'auto'` reads: any object, typed ones included. */
export type ModelIntrospection = object

/** Gen 2 `amplify_outputs.json` (schema 1.x), the parts this client reads: pass the parsed file as it is. */
export interface AmplifyOutputs {
  readonly version: string
  readonly data?: {
    readonly url?: string
    readonly aws_region?: string
    readonly api_key?: string
    /** `API_KEY`, `AMAZON_COGNITO_USER_POOLS`, `AWS_IAM`, `OPENID_CONNECT` or `AWS_LAMBDA`. */
    readonly default_authorization_type?: string
    readonly authorization_types?: readonly string[]
    readonly model_introspection?: object
  }
  readonly auth?: {
    readonly aws_region?: string
    readonly user_pool_id?: string
    readonly user_pool_client_id?: string
    readonly identity_pool_id?: string
    readonly unauthenticated_identities_enabled?: boolean
  }
}

/** Gen 1 `aws-exports.js` (its default export, or `amplifyconfiguration.json`), the parts this client reads. */
export interface AwsExports {
  readonly aws_appsync_graphqlEndpoint?: string
  readonly aws_appsync_region?: string
  readonly aws_appsync_authenticationType?: string
  /** Comma-separated, as the Gen 2 backend writes it into the legacy format. */
  readonly aws_appsync_additionalAuthenticationTypes?: string
  readonly aws_appsync_apiKey?: string
  readonly aws_cognito_identity_pool_id?: string
  readonly aws_cognito_region?: string
  readonly aws_user_pools_id?: string
  readonly aws_user_pools_web_client_id?: string
  /** `"enable"`: guests get no identity-pool credentials. */
  readonly aws_mandatory_sign_in?: string
  readonly modelIntrospection?: object
}

/** Either file's object. */
export type AmplifyConfig = AmplifyOutputs | AwsExports

/** The Cognito part of a file: what a browser wires into sessions and credentials. */
export interface AmplifyCognito {
  readonly region: string | undefined
  readonly userPool: { readonly userPoolId: string; readonly clientId: string } | undefined
  readonly identityPoolId: string | undefined
  /** Whether guests get identity-pool credentials. */
  readonly guests: boolean
}

/** What a file holds for `createClient` (the caller's options not applied yet), and its Cognito part. */
export interface AmplifyRead {
  readonly options: Partial<ClientOptions>
  readonly cognito: AmplifyCognito
}

// AppSync's authorization types; NONE as aws-amplify reads aws-exports.js.
const MODES: Readonly<Record<string, AuthMode>> = {
  API_KEY: 'apiKey',
  AMAZON_COGNITO_USER_POOLS: 'userPool',
  AWS_IAM: 'iam',
  OPENID_CONNECT: 'oidc',
  AWS_LAMBDA: 'lambda',
  NONE: 'none',
}

const GEN2 = 'amplify_outputs.json'
const GEN1 = 'aws-exports.js'

/**
 * Reads `config` (either file). `given` is what the caller passes: a file may lack `endpoint` or its
 * default authorization type when the caller gives `endpoint` or `authMode`.
 */
export function readAmplifyConfig(config: unknown, given: Partial<ClientOptions>): AmplifyRead {
  const need: Need = needFor('fromAmplifyConfig')
  const file: unknown =
    isObject(config) && !isGen1(config) && !('version' in config) && isObject((config as { default?: unknown }).default)
      ? (config as { default: unknown }).default // `import * as config from './aws-exports'`
      : config
  if (isObject(file) && isGen1(file)) return readGen1(file as Record<string, unknown>, given, need)
  const version = isObject(file) ? (file as { version?: unknown }).version : undefined
  need(
    typeof version === 'string',
    `pass the object of ${GEN2} (Gen 2: \`version\`, \`data.url\`) or of ${GEN1} (Gen 1: \`aws_appsync_graphqlEndpoint\`); this is neither.`,
  )
  need(
    version.startsWith('1'),
    `${GEN2} version ${shown(version, /^\d+(?:\.\d+)*$/)} is not supported: this client reads 1.x.`,
  )
  return readGen2(file as Record<string, unknown>, given, need)
}

/** The caller's options: an object (or nothing); a key set to undefined counts as not given. */
export function givenOptions<T extends object>(options: T | undefined): T {
  const need: Need = needFor('fromAmplifyConfig')
  need(
    options === undefined || (isObject(options) && !Array.isArray(options)),
    'the second argument must be an object of options (yours win over the file).',
  )
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined)) as T
}

// Gen 1 keys all start with `aws_` (aws-amplify tells the formats apart the same way).
function isGen1(config: object): boolean {
  return Object.keys(config).some((key) => key.startsWith('aws_'))
}

function readGen2(file: Record<string, unknown>, given: Partial<ClientOptions>, need: Need): AmplifyRead {
  const { data, auth } = file
  need(data === undefined || isObject(data), `\`data\` of ${GEN2} must be an object.`)
  need(auth === undefined || isObject(auth), `\`auth\` of ${GEN2} must be an object.`)
  const read = reader(need, GEN2)
  const section = (name: string, values: unknown) => (key: string) =>
    [`${name}.${key}`, (values as Record<string, unknown> | undefined)?.[key]] as const
  const d = section('data', data)
  const a = section('auth', auth)
  need(
    data !== undefined || given.endpoint !== undefined,
    `${GEN2} has no \`data\` (the backend defines no API): add \`defineData\` to the backend and run \`npx ampx generate outputs\`, or pass \`endpoint\`.`,
  )
  const types = d('authorization_types')
  need(types[1] === undefined || Array.isArray(types[1]), `\`data.authorization_types\` of ${GEN2} must be a list.`)
  const guests = a('unauthenticated_identities_enabled')
  need(
    guests[1] === undefined || typeof guests[1] === 'boolean',
    `\`auth.unauthenticated_identities_enabled\` of ${GEN2} must be true or false.`,
  )
  return {
    options: clientOptions(read, given, {
      endpoint: d('url'),
      region: d('aws_region'),
      apiKey: d('api_key'),
      defaultType: d('default_authorization_type'),
      types: ((types[1] as unknown[] | undefined) ?? []).map((type) => [types[0], type] as const),
      modelIntrospection: d('model_introspection'),
      regenerate: 'run `npx ampx generate outputs`',
    }),
    cognito: cognito(read, {
      region: a('aws_region'),
      userPoolId: a('user_pool_id'),
      clientId: a('user_pool_client_id'),
      identityPoolId: a('identity_pool_id'),
      guests: guests[1] === true,
    }),
  }
}

function readGen1(file: Record<string, unknown>, given: Partial<ClientOptions>, need: Need): AmplifyRead {
  const read = reader(need, GEN1)
  const key = (name: string) => [name, file[name]] as const
  const more = read(key('aws_appsync_additionalAuthenticationTypes'))
  return {
    options: clientOptions(read, given, {
      endpoint: key('aws_appsync_graphqlEndpoint'),
      region: key('aws_appsync_region'),
      apiKey: key('aws_appsync_apiKey'),
      defaultType: key('aws_appsync_authenticationType'),
      types: (more?.split(',') ?? [])
        .map((type) => type.trim())
        .filter(Boolean)
        .map((type) => ['aws_appsync_additionalAuthenticationTypes', type] as const),
      modelIntrospection: key('modelIntrospection'),
      regenerate: 'run `amplify pull` (or `amplify add api` and `amplify push` for a project without one)',
    }),
    cognito: cognito(read, {
      region: key('aws_cognito_region'),
      userPoolId: key('aws_user_pools_id'),
      clientId: key('aws_user_pools_web_client_id'),
      identityPoolId: key('aws_cognito_identity_pool_id'),
      // As aws-amplify reads it: guests unless sign-in is mandatory.
      guests: file['aws_mandatory_sign_in'] !== 'enable',
    }),
  }
}

/**
 * A value for a message: quoted when it has the shape of what was expected (a mistyped name), else
 * only its type, since a value in the wrong key may be a secret (an API key pasted there).
 */
function shown(value: unknown, expected: RegExp): string {
  return typeof value === 'string' && expected.test(value) ? JSON.stringify(value) : `a ${typeof value}`
}

/** A key of the file, with the value it holds. */
type Entry = readonly [key: string, value: unknown]

/** A string value of the file; undefined when absent or empty (Gen 1 files hold `""` for what a project lacks). */
type Read = (entry: Entry) => string | undefined

function reader(need: Need, file: string): Read {
  return ([key, value]) => {
    need(value == null || typeof value === 'string', `\`${key}\` of ${file} must be a string.`)
    return value === '' ? undefined : (value ?? undefined)
  }
}

interface ApiEntries {
  readonly endpoint: Entry
  readonly region: Entry
  readonly apiKey: Entry
  readonly defaultType: Entry
  readonly types: readonly Entry[]
  readonly modelIntrospection: Entry
  /** How to get a complete file again. */
  readonly regenerate: string
}

function clientOptions(read: Read, given: Partial<ClientOptions>, api: ApiEntries): AmplifyRead['options'] {
  const need: Need = needFor('fromAmplifyConfig')
  const endpoint = read(api.endpoint)
  need(
    endpoint !== undefined || given.endpoint !== undefined,
    `\`${api.endpoint[0]}\` (the GraphQL endpoint) is missing: ${api.regenerate}, or pass \`endpoint\`.`,
  )
  const mode = ([key, type]: Entry): AuthMode => {
    // Own keys only: "toString" is no authorization type.
    const found = typeof type === 'string' && Object.hasOwn(MODES, type) ? MODES[type] : undefined
    need(
      found !== undefined,
      `\`${key}\` holds ${shown(type, /^[A-Za-z][\w]{0,39}$/)}, not an AppSync authorization type (${Object.keys(MODES).join(', ')}).`,
    )
    return found
  }
  const hasDefault = read(api.defaultType) !== undefined
  need(
    hasDefault || given.authMode !== undefined || endpoint === undefined,
    `\`${api.defaultType[0]}\` (the API's default authorization type) is missing: ${api.regenerate}, or pass \`authMode\`.`,
  )
  // The default type first, then the additional ones, each once.
  const modes = [...new Set([...(hasDefault ? [api.defaultType] : []), ...api.types].map(mode))]
  const region = read(api.region)
  const apiKey = read(api.apiKey)
  const [introspectionKey, modelIntrospection] = api.modelIntrospection
  need(
    modelIntrospection == null || (isObject(modelIntrospection) && !Array.isArray(modelIntrospection)),
    `\`${introspectionKey}\` must be an object (the model introspection schema).`,
  )
  return {
    ...(endpoint !== undefined && { endpoint }),
    ...(region !== undefined && { region }),
    ...(modes.length > 0 && { authMode: modes, apiAuthModes: modes }),
    ...(apiKey !== undefined && { apiKey }),
    ...(modelIntrospection != null && { modelIntrospection }),
  }
}

interface CognitoEntries {
  readonly region: Entry
  readonly userPoolId: Entry
  readonly clientId: Entry
  readonly identityPoolId: Entry
  readonly guests: boolean
}

function cognito(read: Read, entries: CognitoEntries): AmplifyCognito {
  const userPoolId = read(entries.userPoolId)
  const clientId = read(entries.clientId)
  // A session needs both: one without the other is a damaged file.
  if ((userPoolId === undefined) !== (clientId === undefined)) {
    const [missing] = userPoolId === undefined ? entries.userPoolId : entries.clientId
    const need: Need = needFor('fromAmplifyConfig')
    need(false, `\`${missing}\` is missing beside the user pool's other id: regenerate the file.`)
  }
  return {
    region: read(entries.region),
    userPool: userPoolId !== undefined && clientId !== undefined ? { userPoolId, clientId } : undefined,
    identityPoolId: read(entries.identityPoolId),
    guests: entries.guests,
  }
}
