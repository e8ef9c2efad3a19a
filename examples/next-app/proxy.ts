// Next.js middleware ("proxy" since Next 16, on Node): refreshes the session when it is due and
// writes the new cookies. In the App Router a server component may read cookies but not set them
// (only Server Actions, Route Handlers and middleware may), so a refresh there could not be stored,
// and with a rotating refresh token the browser would keep one Cognito has already replaced. Here
// the new cookies go on the response, and on the request the page is rendered for, so that its
// server component reads the fresh tokens and has nothing to refresh.
import { NextResponse, type NextRequest } from 'next/server'
import { cookieStorage, fromCognitoUserPool, requestCookies } from '@authmode/node'
import { appConfig } from './src/config'

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { clientId, userPoolEndpoint } = appConfig()
  // Per request: this request's cookies, and a session over them alone.
  const cookies = requestCookies(request)
  const session = fromCognitoUserPool({ clientId, endpoint: userPoolEndpoint, storage: cookieStorage(cookies) })
  if (await session.currentTokens()) {
    try {
      await session() // refreshes when the token is due, storing the new tokens in `cookies`
    } catch {
      // Refused or unreachable: the page shows what it can (a refused session is signed out).
    }
  }
  if (cookies.setCookieHeaders().length === 0) return NextResponse.next()
  const headers = new Headers(request.headers)
  headers.set('cookie', cookies.cookieHeader())
  const response = NextResponse.next({ request: { headers } })
  cookies.applyTo(response.headers)
  return response
}

export const config = { matcher: ['/'] }
