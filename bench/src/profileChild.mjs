// One process of the per-step profile (bench/src/profile.mjs): runs one candidate of the
// requests-per-second section against the loopback server, one request at a time, first timed
// without the profiler, then under V8's sampling profiler (through node:inspector), and prints one
// JSON line: the times per request and each step's share of the profiled time.
//   node --expose-gc profileChild.mjs <candidate id> <server url> <warm-up requests> <requests> <interval µs>
import { Session } from 'node:inspector/promises'
import { attribute } from './profile.mjs'
import { rpsCandidates } from './rps.mjs'
import { collectGarbage } from './stats.mjs'

const [id, url, warmupArg, requestsArg, intervalArg] = process.argv.slice(2)
const warmup = Number(warmupArg)
const requests = Number(requestsArg)
const candidate = (await rpsCandidates(String(url))).find((c) => c.id === id)
if (!candidate) throw new Error(`profile: no candidate ${String(id)}`)
const { op } = candidate

/** Runs `requests` requests one after another; wall µs per request. */
const run = async () => {
  const start = performance.now()
  for (let i = 0; i < requests; i++) await op()
  return ((performance.now() - start) * 1000) / requests
}

for (let i = 0; i < warmup; i++) await op()
collectGarbage()
const cpuStart = process.cpuUsage()
const wallUs = await run()
const cpu = process.cpuUsage(cpuStart)

const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.setSamplingInterval', { interval: Number(intervalArg) })
collectGarbage()
await session.post('Profiler.start')
const profiledWallUs = await run()
const { profile } = await session.post('Profiler.stop')
session.disconnect()

process.stdout.write(
  `${JSON.stringify({
    id,
    wallUs,
    cpuUs: (cpu.user + cpu.system) / requests,
    profiledWallUs,
    steps: attribute(/** @type {Parameters<typeof attribute>[0]} */ (profile), requests),
  })}\n`,
)
