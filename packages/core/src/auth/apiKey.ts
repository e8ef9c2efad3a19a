import { headerMode } from './header'

const WARN_BEFORE_MS = 604_800_000 // 7 days

/**
 * The `apiKey` mode: `x-api-key: <key>`. A provider's `expiration` is honoured, so keys rotate
 * without a redeploy; a key that expires within 7 days is reported once (`apiKeyExpiring`).
 */
export const apiKeyMode: ReturnType<typeof headerMode> = headerMode({
  mode: 'apiKey',
  header: 'x-api-key',
  field: 'apiKey',
  what: 'API key (da2-…)',
  refreshWindowMs: 0,
  expiration: (identity) => identity.expiration,
  watch: (events, clock) => {
    // Once per key, not per identity object: a provider may hand out the same key in a new object.
    let warned: string | undefined
    return (identity) => {
      const { apiKey, expiration } = identity
      const msRemaining = expiration ? expiration.getTime() - clock.now() : Infinity
      if (expiration && warned !== apiKey && msRemaining < WARN_BEFORE_MS) {
        warned = apiKey
        events.emit('apiKeyExpiring', { expiration, msRemaining })
      }
      return identity
    }
  },
})
