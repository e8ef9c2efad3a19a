// Issue 19: `server.identityPoolId` is typed as present when the identity pool is on (the
// default), and as possibly undefined only when it can be off. Checked by tsc
// (tsconfig.test.json) and at run time.
import { describe, expect, expectTypeOf, it } from 'vitest'
import { startLocalAppSync, type IdentityPoolHandler } from '@authmode/local'

const SCHEMA = 'type Query { ping: String }'

describe('identityPoolId', () => {
  it('is a string when the identity pool is on (default or options), undefined only when off', async () => {
    const byDefault = await startLocalAppSync({ schema: SCHEMA })
    const withOptions = await startLocalAppSync({ schema: SCHEMA, identityPool: { allowUnauthenticated: false } })
    const off = await startLocalAppSync({ schema: SCHEMA, identityPool: false })
    try {
      expectTypeOf(byDefault.identityPoolId).toEqualTypeOf<string>()
      expectTypeOf(byDefault.identityPool).toEqualTypeOf<IdentityPoolHandler>()
      expectTypeOf(withOptions.identityPoolId).toEqualTypeOf<string>()
      expectTypeOf(off.identityPoolId).toEqualTypeOf<string | undefined>()
      expect(byDefault.identityPoolId).toMatch(/^us-east-1:[0-9a-f-]{36}$/)
      expect(withOptions.identityPoolId).toMatch(/^us-east-1:/)
      expect(off.identityPoolId).toBeUndefined()
    } finally {
      await Promise.all([byDefault.stop(), withOptions.stop(), off.stop()])
    }
  })
})
