// The conformance suite: the same scenarios in every runtime, through the SDK entry that runtime's
// apps import (`sdk`: @authmode/node or @authmode/browser), against @authmode/local on 127.0.0.1.
// Plain JavaScript with web APIs only, so that every runtime runs this very file (or its bundle).

/**
 * @typedef {object} Config What the runner started (src/run.mjs).
 * @property {string} runtime The runtime's name, for unique titles.
 * @property {string} endpoint GraphQL URL.
 * @property {string} url The server's base URL (user pool and identity pool endpoints).
 * @property {string} region
 * @property {string} apiKey
 * @property {string} clientId The local user pool's app client (with a secret).
 * @property {string} clientSecret
 * @property {string} issuer The user pool's issuer URL.
 * @property {string} identityPoolId
 * @property {string} username
 * @property {string} password
 * @property {{ accessKeyId: string, secretAccessKey: string }} backend Static IAM credentials.
 * @property {string} hangingUrl A URL that accepts connections and never answers.
 * @property {string} [break] A scenario to break on purpose (the runner's own test).
 */

const CREATE = 'mutation Create($input: CreatePostInput!) { createPost(input: $input) { id title } }'
const LIST = '{ listPosts { items { id } } }'
const ON_CREATE = 'subscription { onCreatePost { id title } }'
const SCENARIO_MS = 10_000

/** The scenarios' names, in order: every runtime must report each of them. */
export const SCENARIOS = [
  'apiKey request',
  'userPool sign-in (secret hash) and request',
  'iam static credentials',
  'iam guest (identity pool)',
  'iam identity-pool credentials of a signed-in user',
  'denied call: typed error',
  'subscription apiKey',
  'subscription userPool',
  'subscription iam',
  'abort',
  'timeout',
]

/**
 * Runs every scenario; never throws.
 * @param {any} sdk The SDK entry's module.
 * @param {Config} config
 * @returns {Promise<{ name: string, ok: boolean, error?: string }[]>}
 */
export async function runScenarios(sdk, config) {
  const { createClient, subscribe, signInWithPassword, fromCognitoUserPool, fromCognitoIdentityPool } = sdk
  const base = { endpoint: config.endpoint, region: config.region, retry: false, logger: null }
  const tag = `${config.runtime}-${Math.random().toString(36).slice(2, 8)}`
  let n = 0
  const title = () => `${tag} ${String(++n)}`
  const create = async (client, options) => {
    const t = title()
    const data = await client.request(CREATE, { input: { title: t } }, options)
    check(data.createPost.title === t, `created ${JSON.stringify(data)}`)
    return t
  }

  // Shared sign-in, made lazily by the scenarios that need it.
  let signedIn
  const session = () =>
    (signedIn ??= signInWithPassword({
      endpoint: config.url,
      region: config.region,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      username: config.username,
      password: config.password,
    }).then((tokens) =>
      fromCognitoUserPool({
        endpoint: config.url,
        region: config.region,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        tokens,
      }),
    ))
  const issuerKey = config.issuer.replace(/^https?:\/\//, '')
  const identityPool = (user) =>
    fromCognitoIdentityPool({
      identityPoolId: config.identityPoolId,
      region: config.region,
      endpoint: config.url,
      ...(user && {
        logins: async () => {
          const tokens = await user.currentTokens()
          return tokens ? { [issuerKey]: tokens.idToken } : undefined
        },
      }),
    })

  /** Subscribes, creates a post with `creator`, and waits for its event. */
  const live = async (client, options, creator, creatorOptions) => {
    const subscription = subscribe(client, ON_CREATE, undefined, options)
    try {
      await subscription.ready
      const t = await create(creator, creatorOptions)
      for await (const event of subscription) if (event.onCreatePost?.title === t) return
      throw new Error('the subscription ended before its event')
    } finally {
      subscription.unsubscribe()
    }
  }

  const apiKeyClient = createClient({ ...base, authMode: 'apiKey', apiKey: config.apiKey })
  const iamClient = createClient({ ...base, authMode: 'iam', credentials: config.backend })

  /** @type {Record<string, () => Promise<void>>} */
  const scenarios = {
    'apiKey request': async () => {
      const data = await apiKeyClient.request(LIST)
      check(Array.isArray(data.listPosts.items), 'listPosts.items')
    },
    'userPool sign-in (secret hash) and request': async () => {
      const client = createClient({ ...base, authMode: 'userPool', userPool: await session() })
      await create(client)
    },
    'iam static credentials': async () => {
      await create(iamClient)
    },
    'iam guest (identity pool)': async () => {
      const client = createClient({ ...base, authMode: 'iam', credentials: identityPool() })
      const data = await client.request(LIST)
      check(Array.isArray(data.listPosts.items), 'listPosts.items')
    },
    'iam identity-pool credentials of a signed-in user': async () => {
      const client = createClient({ ...base, authMode: 'iam', credentials: identityPool(await session()) })
      await create(client)
    },
    'denied call: typed error': async () => {
      const error = await apiKeyClient.request('{ listNotes { items { id } } }').then(
        () => undefined,
        (e) => e,
      )
      check(sdk.isAuthmodeError(error), `an AuthmodeError, got ${describe(error)}`)
      check(error instanceof sdk.GraphQLResponseError, `a GraphQLResponseError, got ${describe(error)}`)
      check(
        error.errors[0]?.errorType === 'Unauthorized',
        `errorType Unauthorized, got ${JSON.stringify(error.errors)}`,
      )
    },
    'subscription apiKey': () => live(apiKeyClient, undefined, apiKeyClient),
    'subscription userPool': async () => {
      const client = createClient({ ...base, authMode: 'userPool', userPool: await session() })
      await live(client, undefined, client)
    },
    'subscription iam': () => live(iamClient, undefined, iamClient),
    abort: async () => {
      const client = createClient({ ...base, endpoint: config.hangingUrl, apiKey: config.apiKey })
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 50)
      const error = await client.request(LIST, undefined, { signal: controller.signal }).then(
        () => undefined,
        (e) => e,
      )
      check(error?.name === 'AbortError', `an AbortError, got ${describe(error)}`)
    },
    timeout: async () => {
      const client = createClient({ ...base, endpoint: config.hangingUrl, apiKey: config.apiKey, timeoutMs: 200 })
      const error = await client.request(LIST).then(
        () => undefined,
        (e) => e,
      )
      check(error instanceof sdk.TimeoutError, `a TimeoutError, got ${describe(error)}`)
    },
  }

  const results = []
  for (const name of SCENARIOS) {
    try {
      if (config.break === name) throw new Error('broken on purpose (the runner test)')
      await withTimeout(scenarios[name](), name)
      results.push({ name, ok: true })
    } catch (error) {
      results.push({ name, ok: false, error: describe(error) })
    }
  }
  return results
}

function check(condition, what) {
  if (!condition) throw new Error(`expected ${what}`)
}

function describe(error) {
  if (!(error instanceof Error)) return String(error)
  return `${error.name}${error.code ? ` ${error.code}` : ''}: ${error.message}`
}

function withTimeout(promise, name) {
  let timer
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name}: no result in ${String(SCENARIO_MS)} ms`)), SCENARIO_MS)
    }),
  ]).finally(() => clearTimeout(timer))
}
