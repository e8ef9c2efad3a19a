/** What the app reads from `config.json` at start-up, so one build runs against any backend. */
export interface AppConfig {
  readonly region: string
  /** The Cognito user pool app client (no secret: browsers cannot keep one). */
  readonly userPoolClientId: string
  /** The AppSync GraphQL endpoint. */
  readonly graphqlEndpoint: string
  /** Only for a local Cognito emulator; AWS's endpoint is derived from `region`. */
  readonly cognitoEndpoint?: string
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('./config.json', { cache: 'no-store' })
  if (!response.ok) throw new Error(`config.json: HTTP ${String(response.status)}`)
  const value = (await response.json()) as Partial<AppConfig>
  for (const key of ['region', 'userPoolClientId', 'graphqlEndpoint'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') throw new Error(`config.json: "${key}" is missing`)
  }
  return value as AppConfig
}
