import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '@authmode/core'
import { resolveUserPool, type LocalUserPoolOptions } from './config'

const alice = { username: 'alice', password: 'pw' }

describe('resolveUserPool', () => {
  it('defaults: one app client without a secret or rotation, Cognito-style ids and lifetimes', () => {
    const pool = resolveUserPool({ users: [{ ...alice, groups: ['Admin'] }] }, 'eu-west-1')
    expect(pool.userPoolId).toMatch(/^eu-west-1_[A-Z][0-9A-Za-z]{8}$/)
    expect(pool.region).toBe('eu-west-1')
    const [client] = [...pool.clients.values()]
    expect(client).toMatchObject({
      clientSecret: undefined,
      rotation: false,
      gracePeriodMs: 0,
      idTokenSeconds: 3600,
      accessTokenSeconds: 3600,
      refreshTokenSeconds: 30 * 86_400,
      preventUserExistenceErrors: true,
    })
    expect(client?.clientId).toMatch(/^[a-z0-9]{26}$/)
    expect(pool.users.get('alice')).toMatchObject({ groups: ['Admin'], sub: expect.stringMatching(/^[0-9a-f-]{36}$/) })
  })

  it('rotation with a grace period; a generated secret', () => {
    const pool = resolveUserPool(
      {
        users: [alice],
        clients: [{ clientId: 'c1', clientSecret: true, refreshTokenRotation: { retryGracePeriodSeconds: 60 } }],
      },
      'us-east-1',
    )
    expect(pool.clients.get('c1')).toMatchObject({ rotation: true, gracePeriodMs: 60_000 })
    expect(pool.clients.get('c1')?.clientSecret).toMatch(/^[\w-]{40,}$/)
  })

  it.each<[string, LocalUserPoolOptions]>([
    ['users missing', {} as LocalUserPoolOptions],
    ['no password', { users: [{ username: 'a', password: '' }] }],
    ['a user twice', { users: [alice, alice] }],
    ['groups not names', { users: [{ ...alice, groups: [''] }] }],
    ['a reserved attribute', { users: [{ ...alice, attributes: { sub: 'x' } }] }],
    ['a cognito: attribute', { users: [{ ...alice, attributes: { 'cognito:groups': 'x' } }] }],
    [
      'a grace period over 60 s',
      { users: [alice], clients: [{ refreshTokenRotation: { retryGracePeriodSeconds: 61 } }] },
    ],
    ['a bad pool id', { users: [alice], userPoolId: 'pool' }],
    ['a bad client id', { users: [alice], clients: [{ clientId: 'no spaces' }] }],
    ['no app client', { users: [alice], clients: [] }],
    ['an empty secret', { users: [alice], clients: [{ clientSecret: '' }] }],
  ])('refuses %s with a ConfigurationError naming userPool', (_, options) => {
    expect(() => resolveUserPool(options, 'us-east-1')).toThrow(ConfigurationError)
    expect(() => resolveUserPool(options, 'us-east-1')).toThrow(/^userPool: /)
  })
})
