// Minimal consumer entries for the bundle-size table: what an app imports and calls for one job.
// Each entry does one request (or builds the object that would), so nothing is tree-shaken away.
// Ours import from `@authmode/browser`, as the README tells apps to.

const ENDPOINT = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
const QUERY = 'query GetPost($id: ID!) { getPost(id: $id) { id title } }'
const USER_POOL_CLIENT = '1example23456789'
const IDENTITY_POOL = 'us-east-1:00000000-0000-0000-0000-000000000000'

/**
 * @typedef {object} Entry
 * @property {string} id
 * @property {string} label
 * @property {'ours' | 'anchor'} group
 * @property {string | undefined} source The entry module; undefined when the thing does not exist yet.
 * @property {string} [note] What the entry uses, or why it is missing.
 * @property {string[]} [external] Left out of the bundle (not counted).
 * @property {number} [budgetGzip] The issue's min+gzip budget, in bytes (1 KB = 1024 B).
 * @property {'initial' | 'first-request'} [load] Which chunks count (bench/src/bundle.mjs): the
 *   API-key and user-pool entries count what they load at start; an entry that signs, also the
 *   chunk it loads for its first request (the default).
 */

/**
 * @param {{ coreExports: Set<string> }} available Names the built core exports.
 * @returns {Entry[]}
 */
export function bundleEntries({ coreExports }) {
  const hasUserPool = coreExports.has('fromCognitoUserPool')
  const hasIdentityPool = coreExports.has('fromCognitoIdentityPool')

  const userPoolImport = hasUserPool ? 'fromCognitoUserPool' : undefined
  const userPoolValue = hasUserPool
    ? `fromCognitoUserPool({ clientId: '${USER_POOL_CLIENT}', region: 'us-east-1', tokens: { idToken: 'eyJ.id', accessToken: 'eyJ.access', refreshToken: 'refresh' } })`
    : `async () => ({ token: await fetch('/token').then((r) => r.text()) })`
  const guestCredentials = hasIdentityPool
    ? `fromCognitoIdentityPool({ identityPoolId: '${IDENTITY_POOL}' })`
    : `{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' }`

  const providerImports = `${hasUserPool ? ', fromCognitoUserPool' : ''}${hasIdentityPool ? ', fromCognitoIdentityPool' : ''}`
  // The all-modes client and its two requests (after the import line): shared by two entries.
  const allModes = `const client = createClient({
  endpoint: '${ENDPOINT}',
  authMode: ['userPool', 'iam'],
  apiKey: 'da2-example',
  userPool: ${userPoolValue},
  oidc: async () => ({ token: 'oidc' }),
  lambda: 'lambda-token',
  credentials: ${guestCredentials},
})
client.request('${QUERY}', { id: '1' }).then(console.log)
client.request('${QUERY}', { id: '1' }, { authMode: 'apiKey' }).then(console.log)`

  // aws-appsync-auth-link with IAM: one entry text, measured without and with the `url` polyfill.
  const authLinkSource = `import { createAuthLink } from 'aws-appsync-auth-link'
const link = createAuthLink({ url: '${ENDPOINT}', region: 'us-east-1', auth: { type: 'AWS_IAM', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' } } })
console.log(link)`

  return [
    {
      id: 'browser-apikey',
      label: 'authmode: API key only',
      group: 'ours',
      budgetGzip: 7.5 * 1024,
      load: 'initial',
      note: 'what it loads at start: no SigV4 code (`iam` is registered, its signer a chunk loaded on the first `iam` request)',
      source: `import { createClient } from '@authmode/browser'
const client = createClient({ endpoint: '${ENDPOINT}', authMode: 'apiKey', apiKey: 'da2-example' })
client.request('${QUERY}', { id: '1' }).then(console.log)`,
    },
    {
      id: 'browser-userpool',
      label: 'authmode: user pool with refresh',
      group: 'ours',
      budgetGzip: 11 * 1024,
      load: 'initial',
      note: '`fromCognitoUserPool` (refresh over `InitiateAuth`, `localStorage`, one refresh across tabs); what it loads at start',
      source: `import { createClient${userPoolImport ? `, ${userPoolImport}` : ''} } from '@authmode/browser'
const client = createClient({ endpoint: '${ENDPOINT}', authMode: 'userPool', userPool: ${userPoolValue} })
client.request('${QUERY}', { id: '1' }).then(console.log)`,
    },
    {
      id: 'browser-guest-iam',
      label: 'authmode: guest IAM',
      group: 'ours',
      budgetGzip: 14 * 1024,
      note: '`fromCognitoIdentityPool` (guest) and our SigV4 signer hashing with `@aws-crypto/sha256-js`, the chunk it loads for its first request included',
      source: `import { createClient${hasIdentityPool ? ', fromCognitoIdentityPool' : ''} } from '@authmode/browser'
const client = createClient({ endpoint: '${ENDPOINT}', authMode: 'iam', credentials: ${guestCredentials} })
client.request('${QUERY}', { id: '1' }).then(console.log)`,
    },
    {
      id: 'browser-all',
      label: 'authmode: all HTTP modes, mode lists',
      group: 'ours',
      budgetGzip: 16.5 * 1024,
      note: `\`createClient\` of \`@authmode/browser\` with apiKey, ${hasUserPool ? '`fromCognitoUserPool`' : 'a TokenProvider'}, oidc, lambda and ${hasIdentityPool ? '`fromCognitoIdentityPool`' : 'static'} credentials; \`['userPool', 'iam']\``,
      source: `import { createClient${providerImports} } from '@authmode/browser'
${allModes}`,
    },
    {
      id: 'browser-all-subscriptions',
      label: 'authmode: all of that + subscriptions',
      group: 'ours',
      budgetGzip: 19 * 1024,
      note: 'the all-modes entry above plus `subscribe` (real-time WebSocket: connection, reconnects, per-subscription modes)',
      // The browser-all entry, the same text, plus one subscription.
      source: `import { createClient, subscribe${providerImports} } from '@authmode/browser'
${allModes}
const onCreate = subscribe(client, 'subscription OnCreatePost { onCreatePost { id title } }', {}, { authMode: 'apiKey' })
onCreate.ready.then(async () => { for await (const event of onCreate) console.log(event) })`,
    },
    {
      id: 'amplify',
      label: 'Amplify v6: `generateClient` + `Amplify.configure`',
      group: 'anchor',
      note: '`aws-amplify` + `aws-amplify/api`, API key configured (the bundle is the same whatever the mode)',
      source: `import { Amplify } from 'aws-amplify'
import { generateClient } from 'aws-amplify/api'
Amplify.configure({ API: { GraphQL: { endpoint: '${ENDPOINT}', region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: 'da2-example' } } })
const client = generateClient()
client.graphql({ query: '${QUERY}', variables: { id: '1' } }).then(console.log)`,
    },
    {
      id: 'appsync-auth-link',
      label: 'aws-appsync-auth-link (no `url` polyfill)',
      group: 'anchor',
      note: "`createAuthLink` with IAM; `@apollo/client`, `graphql`, `rxjs` and Node's `url` left out (not counted)",
      external: ['@apollo/client', '@apollo/client/*', 'graphql', 'graphql/*', 'rxjs', 'rxjs/*', 'url'],
      source: authLinkSource,
    },
    {
      id: 'appsync-auth-link-url',
      label: 'aws-appsync-auth-link + `url` polyfill',
      group: 'anchor',
      note: "as above, with the npm `url` package bundled for Node's `url` (what webpack 4 did by itself); Apollo still not counted",
      external: ['@apollo/client', '@apollo/client/*', 'graphql', 'graphql/*', 'rxjs', 'rxjs/*'],
      source: authLinkSource,
    },
    {
      id: 'aws4fetch',
      label: 'aws4fetch: `AwsClient`',
      group: 'anchor',
      note: 'signs with `crypto.subtle`; no credential sources',
      source: `import { AwsClient } from 'aws4fetch'
const aws = new AwsClient({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session', service: 'appsync', region: 'us-east-1' })
aws.fetch('${ENDPOINT}', { method: 'POST', body: JSON.stringify({ query: '${QUERY}' }) }).then(console.log)`,
    },
    {
      id: 'smithy-signer',
      label: '`@smithy/signature-v4` + `@aws-crypto/sha256-js` alone',
      group: 'anchor',
      note: 'the AWS SDK’s signer (what `iamMode()` signed with before our own signer), without any client around it',
      source: `import { SignatureV4 } from '@smithy/signature-v4'
import { Sha256 } from '@aws-crypto/sha256-js'
const signer = new SignatureV4({ credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' }, region: 'us-east-1', service: 'appsync', sha256: Sha256 })
signer.sign({ method: 'POST', protocol: 'https:', hostname: 'example.com', path: '/graphql', headers: { host: 'example.com' }, body: '{}' }).then(console.log)`,
    },
    {
      id: 'graphql-request',
      label: 'graphql-request: `GraphQLClient`',
      group: 'anchor',
      note: 'API key header; bundles the `graphql` parser (its `gql`/document handling)',
      source: `import { GraphQLClient } from 'graphql-request'
const client = new GraphQLClient('${ENDPOINT}', { headers: { 'x-api-key': 'da2-example' } })
client.request('${QUERY}', { id: '1' }).then(console.log)`,
    },
  ]
}
