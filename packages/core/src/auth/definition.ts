import type { Events } from '../client/events'
import type { SkewedClock } from '../internal/clock'
import type { AuthMode, AuthStrategy } from './types'

/** What a mode definition gets to build its strategy for one client: its own option, and the API's facts. */
export interface ModeSetup {
  /** The value of the mode's option (`apiKey`, `userPool`, …, `credentials`), unchecked. */
  readonly source: unknown
  /** The `region` option, unchecked (only `iam` needs it). */
  readonly region: unknown
  readonly endpoint: URL
  /** The client's clock; its offset is corrected from the server's answers. */
  readonly clock: SkewedClock
  readonly events: Events
}

// Modes are looked up, never switched over, so an app bundles only the modes it registers: the
// header modes come with `createClient`; `iam` (SigV4) with the browser and node packages, or
// `modes: [iamMode()]`.
/** An entry of the mode registry, e.g. `iamMode()`. */
export interface AuthModeDefinition {
  readonly mode: AuthMode
  /** @internal The client option this mode reads (its `source`), also the name used in messages. */
  readonly option: 'apiKey' | 'userPool' | 'oidc' | 'lambda' | 'credentials' | 'authMode'
  /** @internal The strategy, or undefined when the option is not set. Throws `ConfigurationError` when it is invalid. */
  create(setup: ModeSetup): AuthStrategy | undefined
}
