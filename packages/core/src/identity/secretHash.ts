/**
 * Cognito's `SECRET_HASH` for an app client with a secret: base64(HMAC-SHA256(clientSecret,
 * username + clientId)), computed with WebCrypto (browsers, Node ≥ 20, workers).
 *
 * @example
 * ```ts
 * const hash = await cognitoSecretHash({ clientSecret, username: 'alice', clientId })
 * ```
 */
export async function cognitoSecretHash({
  clientSecret,
  username,
  clientId,
}: {
  readonly clientSecret: string
  readonly username: string
  readonly clientId: string
}): Promise<string> {
  const bytes = (text: string) => new TextEncoder().encode(text)
  const { subtle } = crypto
  const key = await subtle.importKey('raw', bytes(clientSecret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  // 32 bytes: few enough to spread into one call.
  return btoa(String.fromCharCode(...new Uint8Array(await subtle.sign('HMAC', key, bytes(username + clientId)))))
}
