/** The payload (claims) of a JWT, decoded without verifying it; undefined when not a JWT. */
export function jwtClaims(token: unknown): Record<string, unknown> | undefined {
  try {
    // atob takes base64 without its padding; anything but a string with a payload part throws.
    const binary = atob(((token as string).split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))
    // Claims are UTF-8 (user names, custom attributes): decode the bytes, not the Latin-1 string.
    const json = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))) as unknown
    return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** A numeric date claim (`exp`, `iat`; seconds) in milliseconds; NaN when absent or out of Date's range. */
export function jwtTime(claims: Record<string, unknown> | undefined, name: string): number {
  const seconds = claims?.[name]
  // Past ±8.64e12 s a claim gives an Invalid Date: not a usable time.
  return typeof seconds === 'number' && Math.abs(seconds) <= 8.64e12 ? seconds * 1000 : NaN
}

/**
 * When a token expires: `given` (a provider's), else its JWT `exp` claim (read without verifying
 * it); undefined with neither. Judged on arrival (`now`), a JWT that by this clock is already
 * expired or not yet issued says the clock is off (hours, with no server time to correct it): its
 * lifetime then counts from its `iat` as now, so that such a clock cannot make every request
 * fetch the token again.
 *
 * @example
 * ```ts
 * const expiration = jwtExpiration(idToken) // a Date, or undefined
 * ```
 */
export function jwtExpiration(token: string, given?: Date, now?: number): Date | undefined {
  const claims = jwtClaims(token)
  const exp = given ? +given : jwtTime(claims, 'exp')
  const iat = jwtTime(claims, 'iat')
  const at = now ?? NaN
  return exp ? new Date(iat < exp && (at >= exp || at < iat) ? exp + at - iat : exp) : undefined
}
