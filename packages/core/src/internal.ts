// `@authmode/core/internal`: what `@authmode/browser` and `@authmode/node` build on. Unstable: not
// for applications, and may change in any release.
export { clientWith } from './client/createClient'
export { authFetchWith } from './client/authFetch'
export type { ClientDefaults } from './client/config'
