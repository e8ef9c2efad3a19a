// A server component: the signed-in user's notes (owner rule), with the session from the
// request's cookies (refreshed by proxy.ts when due, so there is nothing to refresh here).
import { cookies } from 'next/headers'
import { cookieStorage, createClient, fromCognitoUserPool } from '@authmode/node'
import { appConfig, type Note } from '../src/config'
import { Live } from './live'
import { SignIn } from './sign-in'

export const dynamic = 'force-dynamic'

const LIST = 'query { listNotes { items { id text owner } } }'

export default async function Page() {
  const config = appConfig()
  // Next's cookie store is a jar as it is. A server component cannot set cookies: were a refresh
  // due here after all, its tokens would be used for this render only (the proxy stores them).
  const storage = cookieStorage(await cookies())
  const session = fromCognitoUserPool({ clientId: config.clientId, endpoint: config.userPoolEndpoint, storage })
  const tokens = await session.currentTokens()
  if (!tokens) return <SignIn config={config} />
  const client = createClient({ endpoint: config.graphqlUrl, authMode: 'userPool', userPool: session, logger: null })
  const { listNotes } = await client.request<{ listNotes: { items: Note[] } }>(LIST)
  return (
    <main>
      <h1>Notes</h1>
      <ul id="notes">
        {listNotes.items.map((note) => (
          <li key={note.id}>{note.text}</li>
        ))}
      </ul>
      <Live config={config} />
    </main>
  )
}
