// AppSync's signature-mismatch message quotes the canonical request (which holds the session token).
const CANONICAL = /\s*The Canonical String for this request should have been/i
// JWTs, and long opaque runs: keys, tokens, signatures and encoded header objects quoted back.
const OPAQUE = /eyJ[\w-]*\.[\w-]+\.[\w-]*|[\w+/=-]{40,}/g

type Secrets = readonly (string | undefined)[]

/**
 * The one redaction policy, for every text an error keeps from a server (AppSync over HTTP or
 * WebSocket, Cognito) or a platform (a fetch's own message): cut at a quoted canonical request,
 * mask each of `secrets` that was sent (values of 4 characters or more: shorter ones would garble
 * the message and reveal little), then any JWT or long opaque run, and cap the length at 300
 * characters (after masking, so that no part of a secret is left at the cut).
 */
export function redact(text: string, secrets: Secrets): string {
  const out = mask(text.split(CANONICAL)[0] ?? '', secrets).replace(OPAQUE, '[redacted]')
  return out.length > 300 ? `${out.slice(0, 300)}…` : out
}

function mask(text: string, secrets: Secrets): string {
  for (const secret of secrets) if (secret && secret.length > 3) text = text.replaceAll(secret, '[redacted]')
  return text
}

/** The credentials a request's (or a real-time header object's) headers carried: what to mask. */
export function secretsOf(headers: Readonly<Record<string, string>> = {}): Secrets {
  return [headers['authorization'], headers['x-api-key'], headers['x-amz-security-token']]
}

/**
 * `value` (parsed JSON) with every string value in it through `redact`: the `errors` a GraphQL
 * error keeps (messages, `errorInfo`, `data`). With `onlySecrets`, strings only lose the `secrets`
 * (nothing cut or masked by pattern): for the partial `data` an error keeps, the API's answer to
 * the app, in which a resolver may still have echoed a request's credential header.
 */
export function redactDeep<T>(value: T, secrets: Secrets, onlySecrets?: boolean): T {
  return value === undefined
    ? value
    : (JSON.parse(JSON.stringify(value), (_, v: unknown) =>
        typeof v === 'string' ? (onlySecrets ? mask : redact)(v, secrets) : v,
      ) as T)
}
