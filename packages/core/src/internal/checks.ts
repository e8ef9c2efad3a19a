// The one check of each kind of option value, for the client's options and the Cognito providers'
// alike. `fail` throws the caller's ConfigurationError (it names the function that was called).

const APPSYNC_EXAMPLE = 'https://<id>.appsync-api.<region>.amazonaws.com/graphql'

/** A finite number of at least `min`: a duration in milliseconds, or a size in bytes. */
export function isDuration(value: unknown, min = 0): value is number {
  return typeof value === 'number' && value >= min && value < Infinity
}

/**
 * The `endpoint` option: an absolute http(s) URL without a user name or password, or `fail` says
 * what is wrong, with `example` (an AppSync API's URL by default) as what to pass.
 */
export function parseEndpoint(
  value: unknown,
  fail: (message: string) => never,
  example: string = APPSYNC_EXAMPLE,
): URL {
  const text = value instanceof URL ? value.href : typeof value === 'string' ? value : ''
  if (!text) fail(`\`endpoint\` is required, e.g. ${example}.`)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    fail(`\`endpoint\` is not an absolute URL (${JSON.stringify(text.slice(0, 80))}): use ${example}.`)
  }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password)
    fail('`endpoint` must be an http(s) URL without a user name or password.')
  return url
}
