// The page: a guest (nobody signs in) reads public posts. Credentials come from the identity pool's
// unauthenticated role; the guest's identity id is kept in localStorage (the @authmode/browser
// default), so a reload keeps the same identity and skips GetId. Credentials stay in memory and
// are fetched again only when they near expiry.
import { createClient, fromCognitoIdentityPool, isAuthmodeError } from '@authmode/browser'
import { loadConfig } from './config'

const LIST_POSTS = /* GraphQL */ `
  query ListPosts {
    listPosts {
      items {
        id
        title
      }
    }
  }
`

interface Post {
  readonly id: string
  readonly title: string
}

const element = (id: string): HTMLElement => {
  const found = document.getElementById(id)
  if (!found) throw new Error(`#${id} is missing from index.html`)
  return found
}
const status = element('status')
const list = element('posts')
const refreshButton = element('refresh') as HTMLButtonElement

/** Errors name what went wrong without any credential, so they can be shown as they are. */
function describe(error: unknown): string {
  if (isAuthmodeError(error)) return `${error.code}: ${error.message}`
  return error instanceof Error ? error.message : String(error)
}

function render(posts: readonly Post[]): void {
  // textContent only: post titles are data, never markup.
  list.replaceChildren(
    ...posts.map((post) => {
      const item = document.createElement('li')
      item.textContent = post.title
      return item
    }),
  )
}

let loads = 0

async function start(): Promise<void> {
  const config = await loadConfig()
  const credentials = fromCognitoIdentityPool({
    identityPoolId: config.identityPoolId,
    region: config.region,
    ...(config.identityPoolEndpoint === undefined ? {} : { endpoint: config.identityPoolEndpoint }),
  })
  const client = createClient({ endpoint: config.graphqlEndpoint, region: config.region, authMode: 'iam', credentials })

  const load = async (): Promise<void> => {
    refreshButton.disabled = true
    status.textContent = 'Loading…'
    try {
      const data = await client.request<{ listPosts: { items: Post[] } }>(LIST_POSTS)
      const posts = [...data.listPosts.items].sort((a, b) => a.title.localeCompare(b.title))
      render(posts)
      status.textContent = `${String(posts.length)} public ${posts.length === 1 ? 'post' : 'posts'}, read as a guest.`
    } catch (error) {
      status.textContent = `Could not load the posts: ${describe(error)}`
    } finally {
      loads += 1
      status.dataset['loads'] = String(loads)
      refreshButton.disabled = false
    }
  }

  refreshButton.addEventListener('click', () => {
    void load()
  })
  await load()
}

start().catch((error: unknown) => {
  status.textContent = `Could not start: ${describe(error)}`
})
