// The public surface as the built packages give it (issue 12): what apps call, the types of its
// options and results, and the errors; internals only through `@authmode/core/internal`. A change
// to these lists is a change to the public API: make it on purpose.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as browser from '@authmode/browser'
import * as core from '@authmode/core'
import * as internal from '@authmode/core/internal'
import * as node from '@authmode/node'

const ERRORS = [
  'AuthmodeError',
  'ConfigurationError',
  'CredentialsError',
  'GraphQLResponseError',
  'HttpError',
  'NetworkError',
  'NoAuthModeAvailableError',
  'NoIdentityError',
  'PlatformNotSupportedError',
  'ResponseParseError',
  'SignInError',
  'SubscriptionError',
  'TimeoutError',
  'TokenRefreshError',
  'UnauthorizedError',
  'isAuthmodeError',
]
const CORE = [
  'createAuthFetch',
  'createClient',
  'fromCognitoIdentityPool',
  'fromCognitoUserPool',
  'iamMode',
  'memoryStorage',
  'signInWithPassword',
  'signOut',
  'subscribe',
  ...ERRORS,
]
const BROWSER = ['browserRefreshLock', 'browserStorage', 'storageLeaseLock', 'webLocksLock']
const NODE = ['NodeSha256', 'lazyNodeProviderChain']

const sorted = (names: readonly string[]): string[] => [...names].sort()
const dts = (file: string): string =>
  readFileSync(new URL(`../../../packages/core/dist/${file}`, import.meta.url), 'utf8')

describe('the public surface', () => {
  it('@authmode/core: what apps call and the errors', () => {
    expect(Object.keys(core).sort()).toEqual(sorted(CORE))
  })

  it('@authmode/browser and @authmode/node: the core, plus what only their environment has', () => {
    expect(Object.keys(browser).sort()).toEqual(sorted([...CORE, ...BROWSER]))
    expect(Object.keys(node).sort()).toEqual(sorted([...CORE, ...NODE]))
  })

  it('@authmode/core/internal: what the browser and node packages need, declared against the public types', () => {
    expect(Object.keys(internal).sort()).toEqual(['AUTH_MODES', 'createSigV4Signer', 'inProcessLock'])
    // It names the public types from `@authmode/core`, so the two entries share one declaration of each.
    expect(dts('internal.d.ts')).toMatch(/^import \{[^}]+\} from '@authmode\/core';$/m)
    expect(dts('internal.d.ts')).not.toMatch(/^(?:interface|type|declare class) /m)
  })

  it("the published index.d.ts declares none of the client's internals", () => {
    const published = dts('index.d.ts')
    // How a mode is built and called back (the client's clock with its writable offset, and its
    // `emit`), identity caching, a session's sign-out step, the AWS JSON call.
    for (const name of ['ModeSetup', 'AuthStrategy', 'AuthContext', 'SkewedClock', 'emit']) {
      expect(published, name).not.toMatch(new RegExp(`\\b${name}\\b`))
    }
    for (const name of ['memoizeIdentity', 'MemoizedProvider', 'FORGET', 'AwsJsonResult', 'inProcessLock']) {
      expect(published, name).not.toMatch(new RegExp(`\\b${name}\\b`))
    }
  })
})
