// The published entries of @authmode/browser, as an app's bundler and Node see them: the
// amazon-cognito-identity-js adapter is its own entry (ESM and CJS, types first), and bundles that
// don't import it don't carry it.
import { createRequire } from 'node:module'
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { bundle } from '../src/bundle'

const require = createRequire(import.meta.url)
const isAdapter = (file: string): boolean => file.endsWith('/amazon-cognito-identity-js.js')

describe('@authmode/browser entries', () => {
  it('a bundle that uses only the main entry carries neither the adapter nor the library', async () => {
    const { inputs, code } = await bundle({
      source: `import { createClient, fromCognitoUserPool } from '@authmode/browser'\nconsole.log(createClient, fromCognitoUserPool)`,
    })
    expect(
      inputs.some((file) => file.includes('@authmode/browser/dist/') || file.includes('packages/browser/dist/')),
    ).toBe(true)
    expect(inputs.filter(isAdapter)).toEqual([])
    expect(inputs.filter((file) => file.includes('node_modules/amazon-cognito-identity-js'))).toEqual([])
    expect(code).not.toContain('fromAmazonCognitoIdentityJs')
  })

  it('importing the adapter entry brings it in, without a second copy of the library', async () => {
    const { inputs } = await bundle({
      source: `import { fromAmazonCognitoIdentityJs } from '@authmode/browser/amazon-cognito-identity-js'\nconsole.log(fromAmazonCognitoIdentityJs)`,
    })
    expect(inputs.filter(isAdapter)).toHaveLength(1)
    // The adapter only describes the library's methods: the app's own copy is the one used.
    expect(inputs.filter((file) => file.includes('node_modules/amazon-cognito-identity-js'))).toEqual([])
  })

  it('the exports map lists the adapter with types first, for import and require, and both load', async () => {
    const manifestPath = require.resolve('@authmode/browser/package.json')
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      exports: Record<string, Record<string, Record<string, string>>>
      peerDependenciesMeta?: Record<string, { optional?: boolean }>
    }
    const entry = manifest.exports['./amazon-cognito-identity-js']
    expect(Object.keys(entry?.['import'] ?? {})).toEqual(['types', 'default'])
    expect(Object.keys(entry?.['require'] ?? {})).toEqual(['types', 'default'])
    expect(manifest.peerDependenciesMeta?.['amazon-cognito-identity-js']?.optional).toBe(true)

    const cjs = require('@authmode/browser/amazon-cognito-identity-js') as Record<string, unknown>
    const esm = (await import('@authmode/browser/amazon-cognito-identity-js')) as Record<string, unknown>
    expect(typeof cjs['fromAmazonCognitoIdentityJs']).toBe('function')
    expect(typeof esm['fromAmazonCognitoIdentityJs']).toBe('function')
    expect(require.resolve('@authmode/browser/amazon-cognito-identity-js')).toMatch(/\.cjs$/)
  })
})
