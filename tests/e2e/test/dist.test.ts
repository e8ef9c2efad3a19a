// The e2e tests import @authmode/node and @authmode/core as a user would: through their package
// exports, which point at the built dist (ESM for import, CJS for require). This checks that is
// what happens, and that both builds expose the contract.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as core from '@authmode/core'
import * as node from '@authmode/node'

const require = createRequire(import.meta.url)
const packages = fileURLToPath(new URL('../../../packages/', import.meta.url))

const CONTRACT = [
  'createClient',
  'createAuthFetch',
  'AuthmodeError',
  'ConfigurationError',
  'NoAuthModeAvailableError',
  'TokenRefreshError',
  'CredentialsError',
  'UnauthorizedError',
  'NetworkError',
  'TimeoutError',
  'HttpError',
  'GraphQLResponseError',
  'ResponseParseError',
] as const

describe('the built packages', () => {
  it('resolve to dist through their package exports', () => {
    expect(require.resolve('@authmode/node')).toBe(`${packages}node/dist/index.cjs`)
    expect(require.resolve('@authmode/core')).toBe(`${packages}core/dist/index.cjs`)
    expect(require.resolve('@authmode/core/internal')).toBe(`${packages}core/dist/internal.cjs`)
    for (const file of ['node/dist/index.js', 'node/dist/index.d.ts', 'core/dist/index.js', 'core/dist/index.d.ts']) {
      expect(existsSync(`${packages}${file}`), file).toBe(true)
    }
  })

  it('ESM: @authmode/node exposes the contract and re-exports the core error classes themselves', () => {
    for (const name of CONTRACT) {
      expect(typeof node[name], name).toBe('function')
      expect(typeof core[name], name).toBe('function')
    }
    expect(node.GraphQLResponseError).toBe(core.GraphQLResponseError)
    expect(node.UnauthorizedError).toBe(core.UnauthorizedError)
    // The six modes, as the built client knows them (no longer exported as AUTH_MODES).
    expect(() => node.createClient({ endpoint: 'http://127.0.0.1:1/graphql', authMode: 'bogus' as never })).toThrow(
      '`authMode`: unknown auth mode "bogus"; expected one of apiKey, userPool, oidc, lambda, iam, none.',
    )
    expect('AUTH_MODES' in node).toBe(false)
    // Node's entry registers the iam mode; the bare core does not.
    expect(() =>
      node.createClient({
        endpoint: 'http://127.0.0.1:1/graphql',
        region: 'us-east-1',
        credentials: { accessKeyId: 'A', secretAccessKey: 'B' },
      }),
    ).not.toThrow()
    expect(() =>
      core.createClient({
        endpoint: 'http://127.0.0.1:1/graphql',
        region: 'us-east-1',
        credentials: { accessKeyId: 'A', secretAccessKey: 'B' },
      }),
    ).toThrow(core.ConfigurationError)
  })

  it('CJS: require() loads the same contract', () => {
    const cjs = require('@authmode/node') as Record<string, unknown>
    for (const name of CONTRACT) expect(typeof cjs[name], name).toBe('function')
    const cjsCore = require('@authmode/core') as Record<string, unknown>
    expect(cjs['GraphQLResponseError']).toBe(cjsCore['GraphQLResponseError'])
  })
})
