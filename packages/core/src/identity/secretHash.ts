import { PlatformNotSupportedError } from '../errors/PlatformNotSupportedError'

/**
 * Cognito's `SECRET_HASH` for an app client with a secret: base64(HMAC-SHA256(clientSecret,
 * username + clientId)), computed with `@aws-crypto/sha256-js` (an HMAC when given a key), the iam
 * mode's lazily loaded chunk (auth/defaultSha256.ts): it needs no `crypto.subtle`, which some
 * runtimes lack, and is loaded only by apps that sign in with a client secret.
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
  try {
    const { Sha256 } = await import('../auth/defaultSha256')
    const hmac = new Sha256(clientSecret)
    hmac.update(username + clientId)
    // 32 bytes: few enough to spread into one call.
    return btoa(String.fromCharCode(...(await hmac.digest())))
  } catch (cause) {
    throw new PlatformNotSupportedError(
      'SECRET_HASH: HMAC-SHA256 could not be computed here (the SHA-256 chunk of @authmode/core did not load, or `btoa` is missing). Load the whole package, or sign in where these exist.',
      { cause },
    )
  }
}
