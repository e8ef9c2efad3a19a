import type { AuthMode } from '../auth/types'
import type { SkippedMode } from '../errors/NoAuthModeAvailableError'
import type { ResolvedConfig } from './config'

/**
 * Skips `mode` of a mode list, for requests and the real-time header alike: a mode without a
 * strategy (not configured), or one whose identity failed with `error`, which must let the next
 * mode be tried (`tryNext`: any other error is thrown again). The reason goes into `reasons` (what
 * `NoAuthModeAvailableError` lists) and out as `authModeSkipped`, once per mode: the attempts of
 * one call share `reasons`, so a retry that skips the mode again says nothing new.
 */
export function skipMode(config: ResolvedConfig, reasons: SkippedMode[], mode: AuthMode, error?: unknown): void {
  let reason = `\`${config.definitions.get(mode)?.option ?? mode}\` is not configured`
  if (config.strategies.has(mode)) {
    if ((error as { tryNext?: unknown } | null)?.tryNext !== true || !(error instanceof Error)) throw error
    reason = error.message
  }
  if (!reasons.some((skipped) => skipped.mode == mode)) {
    reasons.push({ mode, reason })
    config.events.emit('authModeSkipped', { mode, reason })
  }
}
