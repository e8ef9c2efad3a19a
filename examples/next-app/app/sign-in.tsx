'use client'
// Signs in in the page, against the user pool, keeping the session in document.cookie (Amplify's
// layout), so that the server renders as this user from the next request on.
import { useState } from 'react'
import { documentCookieStorage, fromCognitoUserPool, signInWithPassword } from '@authmode/browser'
import type { AppConfig } from '../src/config'

export function SignIn({ config }: { config: AppConfig }) {
  const [error, setError] = useState('')
  const submit = async (form: FormData): Promise<void> => {
    const { clientId, userPoolEndpoint: endpoint } = config
    try {
      const tokens = await signInWithPassword({
        clientId,
        endpoint,
        username: field(form, 'username'),
        password: field(form, 'password'),
      })
      await fromCognitoUserPool({ clientId, endpoint, tokens, storage: documentCookieStorage() }).currentTokens()
      window.location.reload()
    } catch (caught) {
      setError(caught instanceof Error ? caught.name : 'Error')
    }
  }
  return (
    <form action={submit}>
      <input name="username" aria-label="username" />
      <input name="password" type="password" aria-label="password" />
      <button type="submit">Sign in</button>
      {error && <p role="alert">{error}</p>}
    </form>
  )
}

function field(form: FormData, name: string): string {
  const value = form.get(name)
  return typeof value === 'string' ? value : ''
}
