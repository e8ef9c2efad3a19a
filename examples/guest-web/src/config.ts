/** What the page needs; none of it is a secret (guests get their credentials from the identity pool). */
export interface GuestConfig {
  /** The AppSync GraphQL endpoint. */
  readonly graphqlEndpoint: string
  readonly region: string
  /** `<region>:<uuid>` of a Cognito identity pool that allows unauthenticated identities. */
  readonly identityPoolId: string
  /** Only for a local identity-pool endpoint; AWS's is derived from `region`. */
  readonly identityPoolEndpoint?: string
}

const REQUIRED = ['graphqlEndpoint', 'region', 'identityPoolId'] as const
const OPTIONAL = ['identityPoolEndpoint'] as const

/**
 * `config.json` next to the page, with any field overridden by the query string
 * (`?graphqlEndpoint=…&region=…&identityPoolId=…&identityPoolEndpoint=…`), so one build runs
 * against any backend. When the query string names all required fields, `config.json` is not read.
 */
export async function loadConfig(search: string = location.search): Promise<GuestConfig> {
  const query = new URLSearchParams(search)
  const fromQuery: Record<string, string> = {}
  for (const key of [...REQUIRED, ...OPTIONAL]) {
    const value = query.get(key)
    if (value) fromQuery[key] = value
  }
  let fromFile: Record<string, unknown> = {}
  if (!REQUIRED.every((key) => key in fromQuery)) {
    const response = await fetch('./config.json', { cache: 'no-store' })
    if (!response.ok) {
      throw new Error(
        `config.json: HTTP ${String(response.status)}; put ${REQUIRED.join(', ')} in config.json or the query string.`,
      )
    }
    fromFile = (await response.json()) as Record<string, unknown>
  }
  const merged: Record<string, unknown> = { ...fromFile, ...fromQuery }
  for (const key of REQUIRED) {
    if (typeof merged[key] !== 'string' || merged[key] === '') {
      throw new Error(`"${key}" is missing: put it in config.json or the query string.`)
    }
  }
  const optional = merged['identityPoolEndpoint']
  return {
    graphqlEndpoint: merged['graphqlEndpoint'] as string,
    region: merged['region'] as string,
    identityPoolId: merged['identityPoolId'] as string,
    ...(typeof optional === 'string' && optional !== '' ? { identityPoolEndpoint: optional } : {}),
  }
}
