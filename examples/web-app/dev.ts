// Runs the app against @authmode/local on 127.0.0.1 (the API and its own Cognito user pool on one
// server, see local.ts), with one user, `demo`, whose password you choose:
//
//   DEMO_PASSWORD='choose-one' pnpm --filter @authmode/example-web-app dev
//
// Prints the app's URL (never the password); Ctrl+C stops everything.
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildWebApp } from './build'
import { startLocalBackend } from './local'

const password = process.env['DEMO_PASSWORD']
if (!password) {
  console.error("Set DEMO_PASSWORD to the password the demo user should have, e.g. DEMO_PASSWORD='…' pnpm dev")
  process.exit(1)
}

const dist = join(fileURLToPath(new URL('.', import.meta.url)), 'dist')
await buildWebApp(dist)
const backend = await startLocalBackend([{ username: 'demo', password }])
const config = JSON.stringify(backend.config)
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' }
const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
  if (path === '/config.json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(config)
    return
  }
  const file = path === '/' ? 'index.html' : path.slice(1)
  if (!/^[\w.-]+$/.test(file)) {
    res.writeHead(404).end()
    return
  }
  readFile(join(dist, file)).then(
    (body) =>
      res.writeHead(200, { 'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'text/plain' }).end(body),
    () => res.writeHead(404).end(),
  )
})
server.listen({ port: Number(process.env['PORT'] ?? 5173), host: '127.0.0.1' }, () => {
  const { port } = server.address() as AddressInfo
  console.log(`web-app: http://127.0.0.1:${String(port)}/ (user "demo", password from DEMO_PASSWORD); Ctrl+C stops`)
})

let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  server.close()
  server.closeAllConnections()
  void backend.stop().finally(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
