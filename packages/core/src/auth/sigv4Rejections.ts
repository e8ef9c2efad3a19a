import type { Events } from '../client/events'
import type { SkewedClock } from '../internal/clock'
import type { Answer } from './authorizer'

const SKEW = /Signature (expired|not yet current)|RequestTimeTooSkewed/i
// AppSync's message carries the server time when the answer has no Date header (a proxy dropped it).
const SERVER_TIME = /\((\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z [-+] 5 min\.?\)/

/**
 * For a SigV4 mode: on a signature-time rejection, sets the clock offset from the server's time
 * (the `Date` header, else the message) and says to sign again; false when the answer is
 * something else or does not tell the time.
 */
export function correctClockSkew(clock: SkewedClock, events: Events): (answer: Answer) => boolean {
  return ({ status, headers, text = '' }) => {
    const serverTime =
      [400, 401, 403].includes(status ?? 0) &&
      SKEW.test(text + (headers?.get('x-amzn-errortype') ?? '')) &&
      (Date.parse(headers?.get('date') ?? '') ||
        Date.parse(SERVER_TIME.exec(text)?.[0].replace(SERVER_TIME, '$1-$2-$3T$4:$5:$6Z') ?? ''))
    // Not a signature-time rejection, or NaN: neither tells the time.
    if (!serverTime) return false
    clock.offsetMs = serverTime - (clock.now() - clock.offsetMs)
    events.emit('clockSkewCorrected', { offsetMs: clock.offsetMs })
    return true
  }
}

// How AWS services other than AppSync (API Gateway, …) refuse the credentials themselves: a 403
// with `{"message": "The security token included in the request is expired"}` (or `invalid`), never
// AppSync's `UnauthorizedException`: new ones may pass.
const REFUSED = /security token/i

/** For a SigV4 mode: whether `answer` refused the credentials it was signed with (see `classifyAnswer`). */
export function credentialsRefused({ status, text = '' }: Answer): boolean {
  return status === 403 && REFUSED.test(text)
}
