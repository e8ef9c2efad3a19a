import type { AuthMode } from '../auth/types'
import { AuthmodeError } from './AuthmodeError'

export interface SkippedMode {
  readonly mode: AuthMode
  readonly reason: string
}

/** No mode of the request's mode list could be used; `reasons` says why for each one. */
export class NoAuthModeAvailableError extends AuthmodeError {
  static readonly code = 'ERR_NO_AUTH_MODE'
  declare readonly code: 'ERR_NO_AUTH_MODE'
  /** @internal */ override readonly name: string = 'NoAuthModeAvailableError'
  declare readonly reasons: readonly SkippedMode[]

  constructor(reasons: readonly SkippedMode[]) {
    super(`No authorization mode is available: ${reasons.map((r) => `${r.mode}: ${r.reason}`).join('; ')}`, {
      recoverySuggestion: 'Configure one of these modes, sign a user in, or pass another `authMode`.',
    })
    this.reasons = reasons
  }
}
