// Option checks shared by the Cognito providers and sign-in: one ConfigurationError per mistake,
// named for the function that was called, saying what to pass.
import { ConfigurationError } from '../errors/ConfigurationError'

/** Throws a `ConfigurationError` with `message` unless `ok`. */
export type Need = (ok: unknown, message: string) => asserts ok

/** A `Need` whose messages start with `where` (the function the options were given to). */
export function needFor(where: string): Need {
  return (ok, message) => {
    if (!ok) throw new ConfigurationError(`${where}: ${message}`)
  }
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/

/** An AWS region name such as `us-east-1`. */
export function isRegion(value: unknown): value is string {
  return typeof value === 'string' && REGION.test(value)
}

export function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null
}

/** A duration option: a finite number of milliseconds, at least `min`. */
export function isDuration(value: unknown, min: number): boolean {
  return typeof value === 'number' && value >= min && value < Infinity
}

/** The `endpoint` option checked: an absolute http(s) URL without a user name or password. */
export function endpointOption(value: unknown, need: Need): URL | undefined {
  if (value === undefined) return undefined
  let url: URL | undefined
  try {
    url = new URL(value as string)
  } catch {
    // Not a URL: said below.
  }
  need(
    url && /^https?:$/.test(url.protocol) && !url.username && !url.password,
    '`endpoint` must be an http(s) URL without a user name or password.',
  )
  return url
}

/** The public endpoint of a Cognito `service` (`cognito-idp`, `cognito-identity`) in `region`. */
export function cognitoUrl(service: string, region: string): URL {
  return new URL(`https://${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`)
}
