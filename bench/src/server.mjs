// A loopback GraphQL endpoint for the requests-per-second section, run as its own process so that
// it does not share the client's event loop. Prints `{"port":N}` once listening on 127.0.0.1.
// Answers every POST that carries an x-api-key or authorization header with a canned result
// (401 otherwise). Exits when its parent closes stdin, on SIGTERM, or after 10 minutes at most.
import { createServer } from 'node:http'

const ANSWER = JSON.stringify({ data: { getPost: { id: '1', title: 'hello' } } })
const UNAUTHORIZED = JSON.stringify({ errors: [{ errorType: 'UnauthorizedException', message: 'no credentials' }] })

const server = createServer((req, res) => {
  let length = 0
  req.on('data', (/** @type {Buffer} */ chunk) => {
    length += chunk.length
  })
  req.on('end', () => {
    const authorized = req.headers['x-api-key'] !== undefined || req.headers.authorization !== undefined
    const body = req.method === 'POST' && length > 0 && authorized ? ANSWER : UNAUTHORIZED
    res.writeHead(body === ANSWER ? 200 : 401, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(body),
    })
    res.end(body)
  })
})
server.keepAliveTimeout = 60_000

const stop = () => {
  server.closeAllConnections()
  server.close()
  process.exit(0)
}
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
setTimeout(stop, 10 * 60 * 1000).unref()

server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`)
})
