/** Reads the `exp` claim (seconds) of a JWT without verifying it; undefined when not a JWT. */
export function jwtExpiration(token: string): Date | undefined {
  const payload = token.split('.')[1]
  if (payload === undefined) return undefined
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/')
    const json = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))) as unknown
    const exp = (json as { exp?: unknown } | null)?.exp
    return typeof exp === 'number' && Number.isFinite(exp) ? new Date(exp * 1000) : undefined
  } catch {
    return undefined
  }
}
