// What a browser bundle gets for `@authmode/node`: importing works (SSR bundles may import both
// entries), calling does not. Its types are those of the real entry, so it must export every name
// the real entry does (tests/bundle/test/node-browser-stub.test.ts compares them).
import { PlatformNotSupportedError } from '@authmode/core'

export * from '@authmode/core'
// Web-standard: they work in a browser bundle too.
export { cookieStorage, requestCookies } from '@authmode/core/cookies'

function unsupported(name: string): never {
  throw new PlatformNotSupportedError(
    `@authmode/node's ${name} does not run in a browser: import from @authmode/browser instead.`,
  )
}

export function createClient(): never {
  return unsupported('createClient')
}

export function createAuthFetch(): never {
  return unsupported('createAuthFetch')
}

export function lazyNodeProviderChain(): never {
  return unsupported('lazyNodeProviderChain')
}

export class NodeSha256 {
  constructor() {
    unsupported('NodeSha256')
  }

  digest(): never {
    return unsupported('NodeSha256')
  }
}
