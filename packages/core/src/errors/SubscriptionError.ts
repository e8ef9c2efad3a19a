import { AuthmodeError } from './AuthmodeError'

/** A subscription's connection was refused, lost for good or broke down, or it fell `maxBuffered` behind. */
export class SubscriptionError extends AuthmodeError {
  static readonly code = 'ERR_SUBSCRIPTION'
  declare readonly code: 'ERR_SUBSCRIPTION'
  /** @internal */ override readonly name: string = 'SubscriptionError'
}
