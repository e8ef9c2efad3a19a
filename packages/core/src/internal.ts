// `@authmode/core/internal`: what `@authmode/browser` and `@authmode/node` build on (and this
// repository's tests and bench). UNSTABLE and not for apps: it may change or go in any release,
// patch releases included. Apps import `@authmode/core`, `@authmode/browser` or `@authmode/node`.
export { clientWith } from './client/createClient'
export { authFetchWith } from './client/authFetch'
export type { ClientDefaults } from './client/config'
export { inProcessLock } from './identity/refreshLock'
export { endsCognitoSession } from './identity/cognitoErrors'
export { memoizeIdentity } from './identity/identityCache'
export { amplifyConfigWith } from './amplify/amplifyConfigWith'
export type { AmplifyConfigOptions, AmplifyProviders, AmplifySessionClientOptions } from './amplify/amplifyConfigWith'
export { parseCookies, serializeCookie } from './storage/cookies'
