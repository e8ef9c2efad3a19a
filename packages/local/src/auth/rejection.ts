/** A request-level refusal, answered before any resolver runs. */
export interface Rejection {
  readonly status: 401 | 403
  /** `UnauthorizedException`, or `InvalidSignatureException` for SigV4 signature problems (as AppSync). */
  readonly errorType: 'UnauthorizedException' | 'InvalidSignatureException'
  /** Safe to send and log: never holds a key, token, secret or signature. */
  readonly message: string
}

export type Verified<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly rejection: Rejection }

export function unauthorized(message: string): { readonly ok: false; readonly rejection: Rejection } {
  return { ok: false, rejection: { status: 401, errorType: 'UnauthorizedException', message } }
}

export function invalidSignature(message: string): { readonly ok: false; readonly rejection: Rejection } {
  return { ok: false, rejection: { status: 403, errorType: 'InvalidSignatureException', message } }
}
