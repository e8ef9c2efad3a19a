// workerd (Cloudflare's runtime): the bundle as a Worker module served by `workerd serve` on a free
// 127.0.0.1 port, its outbound network allowed to reach 127.0.0.1; stopped by pid.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const workerdBin = fileURLToPath(
  new URL('../node_modules/@cloudflare/workerd-linux-64/bin/workerd', import.meta.url),
)

/**
 * @param {string} dir Where the bundle (worker.js) is; the config is written beside it.
 * @returns {Promise<{ url: string, stop: () => Promise<void>, output: () => string }>}
 */
export async function startWorkerd(dir, { module = 'worker.js' } = {}) {
  const port = await freePort()
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${String(port)}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "${module}") ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
);
`,
  )
  const child = spawn(workerdBin, ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let said = ''
  child.stdout.on('data', (chunk) => (said += String(chunk)))
  child.stderr.on('data', (chunk) => (said += String(chunk)))
  const url = `http://127.0.0.1:${String(port)}`
  const until = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited (${String(child.exitCode)}): ${said}`)
    const up = await fetch(url).then(
      (response) => response.ok,
      () => false,
    )
    if (up) break
    if (Date.now() > until) throw new Error(`workerd did not start: ${said}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    url,
    output: () => said,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      process.kill(child.pid, 'SIGTERM')
      await exited
    },
  }
}

async function freePort() {
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  await new Promise((resolve) => server.close(resolve))
  return port
}
