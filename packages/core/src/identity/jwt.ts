/** Reads the `exp` claim (seconds) of a JWT without verifying it; undefined when not a JWT. */
export function jwtExpiration(token: string): Date | undefined {
  const payload = token.split('.')[1]
  if (payload === undefined) return undefined
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/')
    const json = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))) as unknown
    const exp = (json as { exp?: unknown } | null)?.exp
    if (typeof exp !== 'number') return undefined
    // Past the range of Date (±8.64e15 ms) an `exp` gives an Invalid Date: not a usable expiry.
    const expiration = new Date(exp * 1000)
    return Number.isNaN(expiration.getTime()) ? undefined : expiration
  } catch {
    return undefined
  }
}
