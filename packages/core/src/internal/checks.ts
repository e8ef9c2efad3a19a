// The one check of each kind of option value, for the client's options and the Cognito providers'
// alike. `fail` throws the caller's ConfigurationError (it names the function that was called).

const APPSYNC_EXAMPLE = 'https://<id>.appsync-api.<region>.amazonaws.com/graphql'

/** A finite number of at least `min`: a duration in milliseconds, or a size in bytes. */
export function isDuration(value: unknown, min = 0): value is number {
  return typeof value === 'number' && value >= min && value < Infinity
}

/**
 * A URL option (`name`, default `endpoint`): absolute, of the scheme of `example` (an AppSync API's
 * URL by default: http(s); a `wss:` example: ws(s)), without a user name or password; else `fail`
 * says what is wrong, with `example` as what to pass.
 */
export function parseEndpoint(
  value: unknown,
  fail: (message: string) => never,
  example: string = APPSYNC_EXAMPLE,
  name = 'endpoint',
): URL {
  const text = value instanceof URL ? value.href : typeof value === 'string' ? value : ''
  if (!text) fail(`\`${name}\` is required, e.g. ${example}.`)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    fail(`\`${name}\` is not an absolute URL (${JSON.stringify(text.slice(0, 80))}): use ${example}.`)
  }
  // `http` or `ws`, with or without the `s`.
  const scheme = example.slice(0, example.indexOf(':') - 1)
  if (![`${scheme}:`, `${scheme}s:`].includes(url.protocol) || url.username || url.password)
    fail(`\`${name}\` must be an absolute ${scheme}(s) URL without a user name or password.`)
  return url
}
