// The runtimes matrix (issue 18): the conformance suite (src/scenarios.mjs) in every runtime below,
// against one @authmode/local on 127.0.0.1. Prints one line per runtime; exits 1 naming each runtime
// where a scenario failed (and the scenarios that failed in one runtime only). Needs `pnpm build`.
//
//   node tests/runtimes/src/run.mjs [--only name,name] [--break runtime:scenario]
//
// `--break` (or AUTHMODE_RUNTIMES_BREAK) fails one scenario in one runtime on purpose: the runner's
// own test (test/runner.test.ts) uses it to show that a runtime-specific break is caught.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { bundle } from './bundle.mjs'
import { startLocal } from './local.mjs'
import { SCENARIOS } from './scenarios.mjs'
import { startWorkerd } from './workerd.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const modules = join(root, 'node_modules')
const driver = fileURLToPath(new URL('./cli-driver.mjs', import.meta.url))
const versionOf = (name) => JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version
const RUNTIME_MS = 60_000
// The node entry's default credentials (the AWS SDK's chain), checked where the chain runs: Node and Bun.
const CHAIN = 'iam: the AWS SDK credential chain (node entry default)'

/** Each runtime: its name, the version tested, and how it runs the suite (a JSON string of results). */
const RUNTIMES = [
  // The Node that runs this runner: Node 20 in this repository's CI (engines: >=20.19).
  {
    name: `node${process.versions.node.split('.')[0]}`,
    version: process.versions.node,
    chain: true,
    run: (config) => script(process.execPath, [], config),
  },
  {
    name: 'node22',
    version: versionOf('node22'),
    chain: true,
    run: (config) => script(join(modules, 'node22/bin/node'), [], config),
  },
  {
    name: 'node24',
    version: versionOf('node24'),
    chain: true,
    run: (config) => script(join(modules, 'node24/bin/node'), [], config),
  },
  {
    name: 'bun',
    version: versionOf('@oven/bun-linux-x64'),
    chain: true,
    run: (config) => script(join(modules, '@oven/bun-linux-x64/bin/bun'), [], config),
  },
  {
    name: 'deno',
    version: versionOf('@deno/linux-x64-glibc'),
    run: (config) => deno([], config),
  },
  {
    // The same, the way Deno's docs import packages: `npm:` specifiers (an import map turns the
    // driver's bare import into `npm:@authmode/node`), found in the node_modules folder, nothing
    // fetched. --no-config: else Deno 2.9 finds pnpm-workspace.yaml and writes it into our package.json.
    name: 'deno-npm',
    version: versionOf('@deno/linux-x64-glibc'),
    run: (config) =>
      deno(
        [
          '--no-config',
          '--node-modules-dir=manual',
          `--import-map=${fileURLToPath(new URL('./deno-npm.json', import.meta.url))}`,
        ],
        config,
      ),
  },
  { name: 'workerd', version: versionOf('@cloudflare/workerd-linux-64'), run: (config, dir) => inWorkerd(config, dir) },
  { name: 'edge-runtime', version: versionOf('edge-runtime'), run: (config, dir) => inEdgeRuntime(config, dir) },
]

const { values } = parseArgs({ options: { only: { type: 'string' }, break: { type: 'string' } } })
const only = values.only?.split(',')
const [breakRuntime, breakScenario] = (values.break ?? process.env.AUTHMODE_RUNTIMES_BREAK ?? '').split(':')
const selected = RUNTIMES.filter((runtime) => !only || only.includes(runtime.name))
if (only && selected.length !== only.length) throw new Error(`unknown runtime in --only ${values.only}`)

// No --allow-env: @authmode/node must not need it (issue 18).
function deno(flags, config) {
  const args = ['run', '--no-lock', ...flags, '--allow-net=127.0.0.1', '--allow-read']
  return script(join(modules, '@deno/linux-x64-glibc/deno'), args, config)
}

function script(bin, args, config) {
  const env = { PATH: process.env.PATH }
  // For the chain check: the backend's credentials where the SDK looks first; no profile, no IMDS.
  if (config.chain)
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: config.backend.accessKeyId,
      AWS_SECRET_ACCESS_KEY: config.backend.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
    })
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      [...args, driver, JSON.stringify(config)],
      { cwd: root, env, timeout: RUNTIME_MS },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${error.message.split('\n')[0]} ${stderr.slice(-500)}`))
          : resolve(stdout.trim().split('\n').at(-1)),
    )
  })
}

async function inWorkerd(config, dir) {
  const workerd = await startWorkerd(dir)
  try {
    const response = await fetch(`${workerd.url}/run`, {
      method: 'POST',
      body: JSON.stringify(config),
      signal: AbortSignal.timeout(RUNTIME_MS),
    })
    if (!response.ok) throw new Error(`workerd answered ${String(response.status)}: ${workerd.output().slice(-500)}`)
    return await response.text()
  } finally {
    await workerd.stop()
  }
}

async function inEdgeRuntime(config, dir) {
  const { EdgeRuntime } = await import('edge-runtime')
  const runtime = new EdgeRuntime({ initialCode: readFileSync(join(dir, 'edge.js'), 'utf8') })
  return runtime.evaluate(`runConformance(${JSON.stringify(config)})`)
}

const started = Date.now()
const dir = mkdtempSync(join(tmpdir(), 'authmode-runtimes-'))
// A set-up failure is said on stdout too, where the runner's test and CI's summary look.
const setUp = (what, promise) =>
  promise.catch((error) => {
    console.log(`runtimes: could not ${what}: ${error.message}`)
    rmSync(dir, { recursive: true, force: true })
    process.exit(1)
  })
const local = await setUp('start @authmode/local', startLocal(dir))
let failed = []
try {
  await setUp(
    'bundle the suite',
    Promise.all([bundle('esm', join(dir, 'worker.js')), bundle('iife', join(dir, 'edge.js'))]),
  )
  /** @type {Map<string, string[]>} failing scenario -> runtimes */
  const failures = new Map()
  // Two at a time: this machine has two cores; the server takes its share.
  const queue = [...selected]
  const worker = async () => {
    for (let runtime = queue.shift(); runtime; runtime = queue.shift()) {
      const t0 = Date.now()
      const config = {
        ...local.config,
        runtime: runtime.name,
        ...(runtime.chain && { chain: true }),
        ...(breakRuntime === runtime.name && { break: breakScenario }),
      }
      const expected = runtime.chain ? [...SCENARIOS, CHAIN] : SCENARIOS
      let results
      try {
        results = JSON.parse(await runtime.run(config, dir)).results
      } catch (error) {
        results = expected.map((name) => ({ name, ok: false, error: `the runtime failed: ${error.message}` }))
      }
      const bad = expected.filter((name) => !results.find((result) => result.name === name)?.ok)
      for (const name of bad) failures.set(name, [...(failures.get(name) ?? []), runtime.name])
      const seconds = ((Date.now() - t0) / 1000).toFixed(1)
      const head = `${runtime.name.padEnd(12)} ${runtime.version.padEnd(14)} ${String(expected.length - bad.length)}/${String(expected.length)}`
      console.log(`${head} ${bad.length ? 'FAILED' : 'ok'} (${seconds} s)`)
      for (const name of bad)
        console.log(`    ✗ ${name}: ${results.find((result) => result.name === name)?.error ?? 'not reported'}`)
      if (bad.length) failed.push(runtime.name)
    }
  }
  await Promise.all([worker(), worker()])
  for (const [name, runtimes] of failures)
    if (runtimes.length === 1 && selected.length > 1) console.log(`"${name}" fails only in ${runtimes[0]}`)
} finally {
  await local.stop()
  rmSync(dir, { recursive: true, force: true })
}
const total = ((Date.now() - started) / 1000).toFixed(1)
if (failed.length) {
  console.log(`runtimes: FAILED in ${failed.join(', ')} (${total} s)`)
  process.exitCode = 1
} else
  console.log(
    `runtimes: ${String(selected.length)} runtimes x ${String(SCENARIOS.length)} scenarios ok, and the credential chain in Node and Bun (${total} s)`,
  )
// edge-runtime's VM keeps the sockets of its fetch pool open for a while: nothing else is left to wait for.
process.exit()
