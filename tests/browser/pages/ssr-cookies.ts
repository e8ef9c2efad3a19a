// A page served by the server-rendering app of tests/e2e/src/ssr.ts: it signs in against
// @authmode/local's user pool with its session in document.cookie (documentCookieStorage), so that
// the server's requests carry it, and later goes on with the session the server refreshed. The
// tests drive it through `window.ssr`; it never returns a token, only cookie names and owners.
import { createClient, documentCookieStorage, fromCognitoUserPool, signInWithPassword } from '@authmode/browser'

export interface SsrPageConfig {
  readonly clientId: string
  readonly userPoolEndpoint: string
  readonly graphqlUrl: string
}

export interface SsrPageApi {
  signIn(username: string, password: string): Promise<void>
  /** The names of the cookies the page can read. */
  cookieNames(): string[]
  /** Creates a note from the page, with the session in the cookies; the owner the API recorded. */
  createNote(text: string): Promise<string>
  /** The `cognito:username` and `iat` of the ID token the session in the cookies has now. */
  idTokenClaims(): Promise<{ username: unknown; iat: unknown } | undefined>
}

const config = (globalThis as unknown as { SSR_CONFIG: SsrPageConfig }).SSR_CONFIG
const { clientId, userPoolEndpoint: endpoint, graphqlUrl } = config
// Made anew on each call: what the cookies hold now (the server may have refreshed them).
const session = () => fromCognitoUserPool({ clientId, endpoint, storage: documentCookieStorage() })

const api: SsrPageApi = {
  async signIn(username, password) {
    const tokens = await signInWithPassword({ clientId, endpoint, username, password })
    await fromCognitoUserPool({ clientId, endpoint, tokens, storage: documentCookieStorage() }).currentTokens()
  },
  cookieNames: () =>
    document.cookie
      .split(';')
      .map((pair) => pair.split('=')[0]?.trim() ?? '')
      .filter(Boolean),
  async createNote(text) {
    const client = createClient({ endpoint: graphqlUrl, authMode: 'userPool', userPool: session() })
    const data = await client.request<{ createNote: { owner: string } }>(
      'mutation Create($text: String!) { createNote(input: { text: $text }) { owner } }',
      { text },
    )
    return data.createNote.owner
  },
  async idTokenClaims() {
    const token = (await session().currentTokens())?.idToken
    if (!token) return undefined
    const claims = JSON.parse(atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'))) as Record<
      string,
      unknown
    >
    return { username: claims['cognito:username'], iat: claims['iat'] }
  },
}
declare global {
  interface Window {
    ssr: SsrPageApi
  }
}
window.ssr = api
