'use client'
// The page goes on with the same session (from document.cookie, as the server last wrote it): a
// live subscription to new notes, and a form that creates one.
import { useEffect, useRef, useState } from 'react'
import { createClient, documentCookieStorage, fromCognitoUserPool, subscribe, type Client } from '@authmode/browser'
import type { AppConfig, Note } from '../src/config'

const ON_CREATE = 'subscription { onCreateNote { id text owner } }'
const CREATE = 'mutation Create($text: String!) { createNote(input: { text: $text }) { id } }'

export function Live({ config }: { config: AppConfig }) {
  const [live, setLive] = useState<Note[]>([])
  const [ready, setReady] = useState(false)
  const client = useRef<Client | undefined>(undefined)
  useEffect(() => {
    const session = fromCognitoUserPool({
      clientId: config.clientId,
      endpoint: config.userPoolEndpoint,
      storage: documentCookieStorage(),
    })
    client.current = createClient({ endpoint: config.graphqlUrl, authMode: 'userPool', userPool: session })
    const subscription = subscribe<{ onCreateNote: Note }>(client.current, ON_CREATE)
    void subscription.ready.then(() => {
      setReady(true)
    })
    void (async () => {
      try {
        for await (const { onCreateNote } of subscription) setLive((notes) => [...notes, onCreateNote])
      } catch {
        setReady(false)
      }
    })()
    return () => {
      subscription.unsubscribe()
    }
  }, [config])
  const create = async (form: FormData): Promise<void> => {
    await client.current?.request(CREATE, { text: field(form, 'text') })
  }
  return (
    <section>
      <p id="live-status">{ready ? 'live' : 'connecting'}</p>
      <form action={create}>
        <input name="text" aria-label="text" />
        <button type="submit">Add</button>
      </form>
      <ul id="live">
        {live.map((note) => (
          <li key={note.id}>{note.text}</li>
        ))}
      </ul>
    </section>
  )
}

function field(form: FormData, name: string): string {
  const value = form.get(name)
  return typeof value === 'string' ? value : ''
}
