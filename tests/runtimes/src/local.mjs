// @authmode/local for the suite: its CLI as a child process on 127.0.0.1 (a free port), with a
// local user pool whose app client has a secret and static backend credentials; stopped by pid.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../node_modules/@authmode/local/dist/cli.js', import.meta.url))
const schema = fileURLToPath(new URL('./schema.graphql', import.meta.url))

/**
 * @param {string} dir A temporary folder for amplify_outputs.json.
 * @returns {Promise<{ config: Omit<import('./scenarios.mjs').Config, 'runtime'>, stop: () => Promise<void> }>}
 */
export async function startLocal(dir) {
  const secret = (bytes) => randomBytes(bytes).toString('base64url')
  const username = 'alice'
  const password = `Pw1-${secret(12)}`
  const clientSecret = secret(24)
  const backend = { accessKeyId: `AKID${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: secret(30) }
  const outputs = join(dir, 'amplify_outputs.json')
  const child = spawn(
    process.execPath,
    [
      cli,
      '--schema',
      schema,
      '--port',
      '0',
      '--quiet',
      '--user',
      `${username}:${password}`,
      '--local-client-secret',
      clientSecret,
      '--backend-from-env',
      '--outputs',
      outputs,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        AWS_ACCESS_KEY_ID: backend.accessKeyId,
        AWS_SECRET_ACCESS_KEY: backend.secretAccessKey,
      },
    },
  )
  let said = ''
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`@authmode/local did not start: ${said}`)), 15_000)
    const read = (chunk) => {
      said += String(chunk)
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(said)
      // The outputs file is written after the listening line: wait for its own line.
      if (found && /amplify_outputs\.json:/.test(said)) {
        clearTimeout(timer)
        resolve(found[1])
      }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    child.on('exit', (code) => reject(new Error(`@authmode/local exited (${String(code)}): ${said}`)))
  })
  const file = JSON.parse(readFileSync(outputs, 'utf8'))
  const hanging = await hangingServer()
  return {
    config: {
      endpoint: file.data.url,
      url,
      region: file.data.aws_region,
      apiKey: file.data.api_key,
      clientId: file.auth.user_pool_client_id,
      clientSecret,
      issuer: `${url}/${file.auth.user_pool_id}`,
      identityPoolId: file.auth.identity_pool_id,
      username,
      password,
      backend,
      hangingUrl: `http://127.0.0.1:${String(hanging.port)}/graphql`,
    },
    stop: async () => {
      hanging.close()
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      process.kill(child.pid, 'SIGTERM')
      await exited
    },
  }
}

/** A TCP server that accepts and never answers: for the abort and timeout scenarios. */
async function hangingServer() {
  const sockets = new Set()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: server.address().port,
    close: () => {
      for (const socket of sockets) socket.destroy()
      server.close()
    },
  }
}
