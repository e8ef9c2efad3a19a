// A small server-rendering app on Web `Request`/`Response` (as a Route Handler, Remix, Hono or Bun
// would run it), served by node:http: the README's per-request pattern. Each request gets its own
// cookie jar, session and client, made from that request's cookies; nothing about a user outlives
// the request. Routes:
//   POST /sign-in  {username, password} -> the session's cookies (Amplify's layout)
//   GET  /notes    -> the signed-in user's notes (owner rule), refreshing the session when due
//   POST /notes    {text} -> creates a note as that user
//   GET  /         -> an HTML page listing the notes (server-rendered), when `page` is given
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  cookieStorage,
  createClient,
  fromCognitoUserPool,
  requestCookies,
  signInWithPassword,
  type Clock,
  type CognitoUserPoolSession,
} from '@authmode/node'

export interface SsrAppOptions {
  readonly graphqlUrl: string
  readonly userPoolEndpoint: string
  readonly clientId: string
  readonly clock?: Clock
  /** The page `GET /` serves around the server-rendered notes (a script tag, say). */
  readonly page?: (notes: readonly Note[]) => string
}

export interface Note {
  readonly id: string
  readonly text: string
  readonly owner: string
}

const LIST = 'query { listNotes { items { id text owner } } }'
const CREATE = 'mutation Create($text: String!) { createNote(input: { text: $text }) { id text owner } }'

/** The app as a Web handler: `(request) => response`. */
export function ssrApp(options: SsrAppOptions): (request: Request) => Promise<Response> {
  const { graphqlUrl, userPoolEndpoint: endpoint, clientId, clock } = options
  return async (request) => {
    // Per request: the jar of this request's cookies, and a session and client over it alone.
    const cookies = requestCookies(request)
    const storage = cookieStorage(cookies)
    const session = (tokens?: Awaited<ReturnType<typeof signInWithPassword>>): CognitoUserPoolSession =>
      fromCognitoUserPool({ clientId, endpoint, storage, tokens, clock })
    const client = (user: CognitoUserPoolSession) =>
      createClient({ endpoint: graphqlUrl, authMode: 'userPool', userPool: user, clock, logger: null })
    const { pathname } = new URL(request.url)
    let response: Response
    try {
      if (request.method === 'POST' && pathname === '/sign-in') {
        const { username, password } = (await request.json()) as { username: string; password: string }
        const user = session(await signInWithPassword({ clientId, endpoint, username, password }))
        await user.currentTokens() // stores the tokens: the cookies to set
        response = Response.json({ signedIn: username })
      } else if (pathname === '/notes' || (pathname === '/' && options.page)) {
        const user = session()
        if (!(await user.currentTokens())) {
          response = Response.json({ error: 'signed out' }, { status: 401 })
        } else if (request.method === 'POST') {
          const { text } = (await request.json()) as { text: string }
          const data = await client(user).request<{ createNote: Note }>(CREATE, { text })
          response = Response.json(data.createNote)
        } else {
          const data = await client(user).request<{ listNotes: { items: Note[] } }>(LIST)
          const notes = data.listNotes.items
          response =
            pathname === '/' && options.page
              ? new Response(options.page(notes), { headers: { 'content-type': 'text/html; charset=utf-8' } })
              : Response.json(notes)
        }
      } else {
        response = new Response('not found', { status: 404 })
      }
    } catch (error) {
      response = Response.json({ error: (error as Error).name }, { status: 500 })
    }
    // The session's writes (a sign-in, a refresh), to this request's response only.
    cookies.applyTo(response)
    return response
  }
}

export interface ServedApp {
  readonly origin: string
  close(): Promise<void>
}

/** Serves a Web handler with node:http on 127.0.0.1 (extra routes, such as a page's script, first). */
export async function serve(
  handler: (request: Request) => Promise<Response>,
  files: Readonly<Record<string, { type: string; body: string }>> = {},
): Promise<ServedApp> {
  const server = createServer((req, res) => {
    void respond(req, res)
  })
  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
    const file = files[url.pathname]
    if (file) {
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body)
      return
    }
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value)
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? null : Buffer.concat(chunks)
    const response = await handler(new Request(url, { method: req.method ?? 'GET', headers, body }))
    res.statusCode = response.status
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') res.setHeader(name, value)
    })
    const setCookies = response.headers.getSetCookie()
    if (setCookies.length > 0) res.setHeader('set-cookie', setCookies)
    res.end(Buffer.from(await response.arrayBuffer()))
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}
