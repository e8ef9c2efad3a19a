import type { HttpRequest } from '../auth/types'

const MAX_MESSAGE = 300

/**
 * Makes a server message safe to keep on an error: AppSync's signature-mismatch message quotes
 * the canonical request (which holds the session token), so it is cut there, and any credential
 * value that was sent is masked wherever it appears.
 */
export function redactServerMessage(message: string, sent: HttpRequest | undefined): string {
  let text = message.split(/\s*The Canonical String for this request should have been/i)[0] ?? ''
  for (const secret of credentialValues(sent)) text = text.split(secret).join('[redacted]')
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text
}

function credentialValues(request: HttpRequest | undefined): string[] {
  if (!request) return []
  const values: string[] = []
  for (const name of ['authorization', 'x-api-key', 'x-amz-security-token']) {
    const value = request.headers[name]
    if (value === undefined) continue
    values.push(value)
    // A SigV4 authorization header: its signature on its own too.
    const signature = /Signature=([0-9a-f]+)/.exec(value)?.[1]
    if (signature) values.push(signature)
  }
  return values.filter((value) => value.length >= 8)
}
