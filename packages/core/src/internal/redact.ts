import type { HttpRequest } from '../auth/types'

/**
 * Makes a server message safe to keep on an error: AppSync's signature-mismatch message quotes
 * the canonical request (which holds the session token), so it is cut there, and any credential
 * value that was sent (and a SigV4 signature on its own) is masked wherever it appears.
 */
export function redactServerMessage(message: string, sent: HttpRequest | undefined): string {
  let text = message.split(/\s*The Canonical String for this request should have been/i)[0] ?? ''
  const headers = sent?.headers ?? {}
  const auth = headers['authorization']
  for (const value of [
    auth,
    /Signature=(\w+)/.exec(auth ?? '')?.[1],
    headers['x-api-key'],
    headers['x-amz-security-token'],
  ]) {
    if (value && value.length >= 8) text = text.split(value).join('[redacted]')
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}
