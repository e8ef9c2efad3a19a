import { AuthmodeError } from './AuthmodeError'

/**
 * A subscription failed outside GraphQL: the real-time connection was refused (`connection_error`),
 * lost for good (reconnects used up), the protocol broke down (no `connection_ack` or `start_ack`
 * in time), or the loop reading it fell more than `maxBuffered` events behind. GraphQL errors of a
 * subscription are `GraphQLResponseError`s instead.
 */
export class SubscriptionError extends AuthmodeError {
  static readonly code = 'ERR_SUBSCRIPTION'
  declare readonly code: 'ERR_SUBSCRIPTION'
  /** @internal */ override readonly name: string = 'SubscriptionError'
}
