import { ConfigurationError } from '../errors/ConfigurationError'
import { memoizeIdentity } from '../identity/memoize'
import { wrapProviderError } from '../identity/providerError'
import type { AuthModeDefinition } from './definition'
import { eraseIdentity, type ApiKeyIdentity, type ApiKeyProvider } from './types'

const WARN_BEFORE_MS = 7 * 24 * 60 * 60 * 1000

/** The `apiKey` mode: `x-api-key: <key>`. A provider's `expiration` is honoured, so keys rotate without a redeploy. */
export const apiKeyMode: AuthModeDefinition = {
  mode: 'apiKey',
  option: 'apiKey',
  create({ options, clock, events }) {
    const source = options.apiKey
    if (source === undefined) return undefined
    if (typeof source === 'string' && source.trim() === '') {
      throw new ConfigurationError('`apiKey` is an empty string: pass the API key (da2-…) or an ApiKeyProvider.')
    }
    if (typeof source !== 'string' && typeof source !== 'function') {
      throw new ConfigurationError('`apiKey` must be a string or an ApiKeyProvider function.')
    }
    const provider: ApiKeyProvider =
      typeof source === 'string' ? () => Promise.resolve({ apiKey: source }) : wrapProviderError('apiKey', source)
    // Once per key, not per identity object: a provider may hand out the same key in a new object
    // (after a forced refresh, or when it re-reads a parameter store).
    let warnedKey: string | undefined
    const resolve = memoizeIdentity(provider, {
      clock,
      refreshWindowMs: 0,
      expiration: (identity) => identity.expiration,
    })
    const warnIfExpiring = (identity: ApiKeyIdentity): ApiKeyIdentity => {
      const expiration = identity.expiration
      if (expiration === undefined || warnedKey === identity.apiKey) return identity
      const msRemaining = expiration.getTime() - clock.now()
      if (msRemaining < WARN_BEFORE_MS) {
        warnedKey = identity.apiKey
        events.emit('apiKeyExpiring', { expiration, msRemaining })
      }
      return identity
    }
    return eraseIdentity<ApiKeyIdentity>({
      mode: 'apiKey',
      resolveIdentity: async (opts) => warnIfExpiring(await resolve(opts)),
      refreshAfterRejection: async (rejected, signal) =>
        warnIfExpiring(await resolve.refreshAfterRejection(rejected, signal)),
      authorize: (request, identity) =>
        Promise.resolve({ ...request, headers: { ...request.headers, 'x-api-key': identity.apiKey } }),
    })
  },
}
