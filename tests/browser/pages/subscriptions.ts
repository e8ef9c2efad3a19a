// A page built from @authmode/browser (bundled by esbuild in the tests): subscribes to the AppSync
// simulator's `onPublicNote` over the browser's own WebSocket (API key, legacy query-string
// authorization) and posts notes through `client.request`. The tests drive it through
// `window.realtime`; it never returns the API key, only notes and error names.
import { createClient, subscribe, type Client, type Subscription } from '@authmode/browser'

export interface RealtimeConfig {
  /** The simulator's /graphql (another origin than the page's). */
  readonly endpoint: string
  readonly apiKey: string
}

export interface Note {
  readonly id: string
  readonly text: string
  readonly authType: string
}

export interface RealtimePageApi {
  /** Subscribes to `onPublicNote` and resolves once AppSync acknowledged it (`ready`). */
  subscribe(config: RealtimeConfig): Promise<void>
  /** Runs `postPublicNote` through `client.request`; the note AppSync returned. */
  post(text: string): Promise<Note>
  /** Every `onPublicNote` event received so far, in order. */
  readonly events: Note[]
  /** `'ended'` once the iteration finished, or the name of the error it ended with. */
  readonly outcome: string | undefined
  /** Unsubscribes; resolves with `outcome` once the iteration ended. */
  unsubscribe(): Promise<string>
}

declare global {
  interface Window {
    realtime: RealtimePageApi
  }
}

const ON_PUBLIC_NOTE = 'subscription OnPublicNote { onPublicNote { id text authType } }'
const POST_NOTE = 'mutation PostNote($text: String!) { postPublicNote(text: $text) { id text authType } }'

let client: Client | undefined
let subscription: Subscription<{ onPublicNote: Note }> | undefined
let iterated: Promise<void> | undefined
const events: Note[] = []

/** Reads the subscription in the background, as an app's `for await` loop would. */
async function iterate(running: Subscription<{ onPublicNote: Note }>): Promise<void> {
  try {
    for await (const { onPublicNote } of running) events.push(onPublicNote)
    state.outcome = 'ended'
  } catch (error) {
    state.outcome = error instanceof Error ? error.name : 'non-error'
  }
}

const state: { outcome: string | undefined } = { outcome: undefined }

window.realtime = {
  events,
  get outcome() {
    return state.outcome
  },
  async subscribe(config) {
    client = createClient({
      endpoint: config.endpoint,
      authMode: 'apiKey',
      apiKey: config.apiKey,
      realtime: { auth: 'query' },
      logger: null,
    })
    subscription = subscribe<{ onPublicNote: Note }>(client, ON_PUBLIC_NOTE)
    iterated = iterate(subscription)
    await subscription.ready
  },
  async post(text) {
    if (!client) throw new Error('call subscribe() first')
    const { postPublicNote } = await client.request<{ postPublicNote: Note }>(POST_NOTE, { text })
    return postPublicNote
  },
  async unsubscribe() {
    if (!subscription || !iterated) throw new Error('call subscribe() first')
    subscription.unsubscribe()
    await iterated
    return state.outcome ?? 'running'
  },
}
