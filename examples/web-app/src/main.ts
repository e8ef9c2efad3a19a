// The app: sign in with a Cognito user pool, stay signed in across reloads (the session is in
// localStorage) and tabs (one refresh between them), and call a user-pool-only AppSync field.
import {
  createClient,
  fromCognitoUserPool,
  isAuthmodeError,
  signInWithPassword,
  signOut,
  type Client,
  type CognitoUserPoolSession,
} from '@authmode/browser'
import { loadConfig, type AppConfig } from './config'

const MY_PROFILE = /* GraphQL */ `
  query MyProfile {
    myProfile {
      username
      groups
    }
  }
`

const element = (id: string): HTMLElement => {
  const found = document.getElementById(id)
  if (!found) throw new Error(`#${id} is missing from index.html`)
  return found
}
const status = element('status')
const output = element('output')
const signInForm = element('sign-in') as HTMLFormElement
const signedIn = element('signed-in')

const config: AppConfig = await loadConfig()
const cognito = {
  clientId: config.userPoolClientId,
  region: config.region,
  ...(config.cognitoEndpoint === undefined ? {} : { endpoint: config.cognitoEndpoint }),
}

let session: CognitoUserPoolSession = fromCognitoUserPool(cognito)
let client: Client = clientFor(session)

function clientFor(current: CognitoUserPoolSession): Client {
  const created = createClient({ endpoint: config.graphqlEndpoint, authMode: 'userPool', userPool: current })
  // The refresh token was revoked or expired: only signing in again helps.
  created.on('sessionExpired', () => {
    show('signed-out', 'Your session has ended. Please sign in again.')
  })
  return created
}

function show(state: 'signed-in' | 'signed-out', message: string): void {
  signInForm.hidden = state === 'signed-in'
  signedIn.hidden = state === 'signed-out'
  status.textContent = message
}

/** Errors say what went wrong without any token, so they can be shown as they are. */
function describe(error: unknown): string {
  if (isAuthmodeError(error)) return `${error.code}: ${error.message}`
  return error instanceof Error ? error.message : String(error)
}

async function showSession(): Promise<void> {
  const tokens = await session.currentTokens()
  if (!tokens) {
    show('signed-out', 'Not signed in.')
    return
  }
  const payload = tokens.idToken.split('.')[1] ?? ''
  const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>
  show('signed-in', `Signed in as ${String(claims['cognito:username'] ?? claims['sub'])}.`)
}

signInForm.addEventListener('submit', (event) => {
  event.preventDefault()
  const form = new FormData(signInForm)
  const field = (name: string): string => {
    const value = form.get(name)
    return typeof value === 'string' ? value : ''
  }
  status.textContent = 'Signing in…'
  void (async () => {
    try {
      const tokens = await signInWithPassword({
        ...cognito,
        username: field('username'),
        password: field('password'),
      })
      // Stored in localStorage by the session: a reload or another tab is signed in too.
      session = fromCognitoUserPool({ ...cognito, tokens })
      client = clientFor(session)
      signInForm.reset()
      output.textContent = ''
      await showSession()
    } catch (error) {
      show('signed-out', `Sign-in failed: ${describe(error)}`)
    }
  })()
})

element('load-profile').addEventListener('click', () => {
  void (async () => {
    try {
      const data = await client.request<{ myProfile: { username: string; groups: string[] | null } }>(MY_PROFILE)
      output.textContent = JSON.stringify(data.myProfile, null, 2)
    } catch (error) {
      output.textContent = describe(error)
    }
  })()
})

element('sign-out').addEventListener('click', () => {
  void (async () => {
    try {
      await signOut(session) // revokes the refresh token and clears localStorage
    } finally {
      output.textContent = ''
      show('signed-out', 'Signed out.')
    }
  })()
})

await showSession()
