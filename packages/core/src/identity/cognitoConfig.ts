// Option checks shared by the Cognito providers and sign-in: one ConfigurationError per mistake,
// named for the function that was called, saying what to pass.
import { ConfigurationError } from '../errors/ConfigurationError'
import { parseEndpoint } from '../internal/checks'

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

/** The `endpoint` option, checked as the client's is (see internal/checks.ts); undefined when not given. */
export function endpointOption(value: unknown, need: Need): URL | undefined {
  return value === undefined
    ? undefined
    : parseEndpoint(
        value,
        (message) => {
          need(false, message)
        },
        'https://cognito-idp.<region>.amazonaws.com/',
      )
}

/** The public endpoint of a Cognito `service` (`cognito-idp`, `cognito-identity`) in `region`. */
export function cognitoUrl(service: string, region: string): URL {
  return new URL(`https://${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/`)
}
