// What a browser bundle gets for `@authmode/node`: importing works (SSR bundles may import both
// entries), calling does not.
import { PlatformNotSupportedError, type AuthFetch, type Client, type ClientOptions } from '@authmode/core'

export * from '@authmode/core'

function unsupported(name: string): never {
  throw new PlatformNotSupportedError(`@authmode/node's ${name} does not run in a browser: import from @authmode/browser instead.`)
}

export function createClient(_options: ClientOptions): Client {
  return unsupported('createClient')
}

export function createAuthFetch(_options: ClientOptions): AuthFetch {
  return unsupported('createAuthFetch')
}

export class NodeSha256 {
  constructor() {
    unsupported('NodeSha256')
  }
}
