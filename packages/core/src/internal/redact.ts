import type { HttpRequest } from '../auth/types'

// AppSync's signature-mismatch message quotes the canonical request (which holds the session token).
const CANONICAL = /\s*The Canonical String for this request should have been/i
// JWTs, and long opaque runs: keys, tokens, signatures and encoded header objects quoted back.
const OPAQUE = /eyJ[\w-]*\.[\w-]+\.[\w-]*|[\w+/=-]{40,}/g

/**
 * The one redaction policy, for every text an error keeps from a server (AppSync over HTTP or
 * WebSocket, Cognito): cut at a quoted canonical request, mask each of `secrets` that was sent
 * (values of 4 characters or more: shorter ones would garble the message and reveal little), then
 * any JWT or long opaque run, and cap the length at 300 characters (after masking, so that no part
 * of a secret is left at the cut).
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text.split(CANONICAL)[0] ?? ''
  for (const secret of secrets) if (secret && secret.length > 3) out = out.replaceAll(secret, '[redacted]')
  out = out.replace(OPAQUE, '[redacted]')
  return out.length > 300 ? `${out.slice(0, 300)}…` : out
}

/** A server message made safe to keep, with the credentials `sent` carried as the secrets. */
export function redactServerMessage(message: string, sent: HttpRequest | undefined): string {
  const headers = sent?.headers ?? {}
  return redact(message, [headers['authorization'], headers['x-api-key'], headers['x-amz-security-token']])
}
