// A page built from @authmode/browser (bundled by esbuild in the tests): signs in against
// cognito-local, keeps the session in localStorage, and calls the AppSync simulator. The tests
// drive it through `window.app`. It never logs or returns a token: only claims and digests.
import {
  browserRefreshLock,
  createClient,
  fromCognitoUserPool,
  signInWithPassword,
  signOut,
  storageLeaseLock,
  type CognitoUserPoolSession,
} from '@authmode/browser'

export interface PageConfig {
  readonly clientId: string
  /** cognito-local, through the tests' counting proxy (another origin than the page's). */
  readonly cognitoEndpoint: string
  readonly region: string
  /** The AppSync simulator's /graphql (another origin too). */
  readonly graphqlEndpoint?: string
  /**
   * false: refresh under `browserRefreshLock()` without a fallback, which where there are no Web
   * Locks is in-process only (tabs do not exclude each other); default: the page's shared lock.
   */
  readonly sharedLock?: boolean
}

export interface TokenSummary {
  readonly tokenUse: unknown
  readonly username: unknown
  readonly exp: unknown
  /** First 16 hex digits of the token's SHA-256: tells tokens apart without revealing them. */
  readonly digest: string
}

export interface PageApi {
  readonly lockKind: string
  /** The kind of the lock used with `sharedLock: false`. */
  readonly unsharedLockKind: string
  /** Makes the session from what storage holds; true when someone is signed in. */
  restore(config: PageConfig): Promise<boolean>
  signIn(config: PageConfig, username: string, password: string): Promise<void>
  /** Asks the session for its token (refreshing it if needed), at `startAt` (ms since epoch) if given. */
  token(startAt?: number): Promise<TokenSummary>
  /** `count` GraphQL requests at once, at `startAt` if given; the usernames AppSync saw. */
  request(query: string, count?: number, startAt?: number): Promise<unknown[]>
  /** Whether localStorage holds something under the session's key. */
  stored(clientId: string): boolean
  signOut(): Promise<void>
}

declare global {
  interface Window {
    app: PageApi
  }
}

let session: CognitoUserPoolSession | undefined
let endpoint: string | undefined

const waitUntil = async (startAt: number | undefined): Promise<void> => {
  if (startAt !== undefined) await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())))
}

const summarize = async (token: string): Promise<TokenSummary> => {
  const claims = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as Record<
    string,
    unknown
  >
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)))
  return {
    tokenUse: claims['token_use'],
    username: claims['cognito:username'] ?? claims['username'],
    exp: claims['exp'],
    digest: Array.from(hash.slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join(''),
  }
}

const current = (): CognitoUserPoolSession => {
  if (!session) throw new Error('no session: call restore() or signIn() first')
  return session
}

// Web Locks where the browser has them (as by default); without them (an insecure context), the
// opt-in localStorage lease instead of the default in-process lock.
const lock = browserRefreshLock({ fallback: storageLeaseLock({ storage: localStorage }) })
const unsharedLock = browserRefreshLock()
const lockFor = (config: PageConfig) => (config.sharedLock === false ? unsharedLock : lock)

window.app = {
  lockKind: lock.kind,
  unsharedLockKind: unsharedLock.kind,
  async restore(config) {
    endpoint = config.graphqlEndpoint
    session = fromCognitoUserPool({
      clientId: config.clientId,
      region: config.region,
      endpoint: config.cognitoEndpoint,
      lock: lockFor(config),
    })
    return (await session.currentTokens()) !== undefined
  },
  async signIn(config, username, password) {
    endpoint = config.graphqlEndpoint
    const tokens = await signInWithPassword({
      clientId: config.clientId,
      region: config.region,
      endpoint: config.cognitoEndpoint,
      username,
      password,
    })
    session = fromCognitoUserPool({
      clientId: config.clientId,
      region: config.region,
      endpoint: config.cognitoEndpoint,
      tokens,
      lock: lockFor(config),
    })
    await session.currentTokens()
  },
  async token(startAt) {
    const s = current()
    await waitUntil(startAt)
    return summarize((await s()).token)
  },
  async request(query, count = 1, startAt) {
    if (endpoint === undefined) throw new Error('no graphqlEndpoint in the config')
    const client = createClient({ endpoint, region: 'us-east-1', authMode: 'userPool', userPool: current() })
    await waitUntil(startAt)
    return Promise.all(Array.from({ length: count }, () => client.request(query)))
  },
  stored(clientId) {
    return localStorage.getItem(`CognitoIdentityServiceProvider.${clientId}.LastAuthUser`) !== null
  },
  async signOut() {
    await signOut(current())
  },
}
