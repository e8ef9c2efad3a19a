/**
 * Cognito's `SECRET_HASH` for an app client with a secret: base64(HMAC-SHA256(clientSecret,
 * username + clientId)), computed with WebCrypto (browsers, Node ≥ 20, workers).
 *
 * @example
 * ```ts
 * const hash = await cognitoSecretHash({ clientSecret, username: 'alice', clientId })
 * ```
 */
export async function cognitoSecretHash(input: {
  readonly clientSecret: string
  readonly username: string
  readonly clientId: string
}): Promise<string> {
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(input.clientSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(input.username + input.clientId)))
  let binary = ''
  for (const byte of mac) binary += String.fromCharCode(byte)
  return btoa(binary)
}
