// `pnpm bench`: installs the anchors into bench/node_modules with npm (outside the pnpm workspace,
// so the test command's install stays lean), then runs the benchmarks in a child Node process with
// --expose-gc. Node built-ins only here: nothing is installed yet when this starts.
//   node bench/run.mjs [--quick] [--only=bundle,sigv4,cold,rps] [--reinstall]
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const benchDir = dirname(fileURLToPath(import.meta.url))
const rootDir = dirname(benchDir)
// `pnpm bench -- --quick` passes the `--` on.
const args = process.argv.slice(2).filter((a) => a !== '--')

for (const name of ['core', 'browser', 'node']) {
  if (!existsSync(join(rootDir, 'packages', name, 'dist', 'index.js'))) {
    console.error(
      `bench: packages/${name}/dist is missing: run \`pnpm bench\` (it builds first) or \`pnpm run build\`.`,
    )
    process.exit(1)
  }
}

install(args.includes('--reinstall'))
const result = spawnSync(
  process.execPath,
  ['--expose-gc', join(benchDir, 'src', 'main.mjs'), ...args.filter((a) => a !== '--reinstall')],
  { stdio: 'inherit', cwd: rootDir },
)
process.exit(result.status ?? 1)

/**
 * `npm ci` from the committed lockfile (`npm install` when there is none), skipped when
 * node_modules was installed from the same package.json and lockfile.
 *
 * @param {boolean} force
 */
function install(force) {
  const lock = join(benchDir, 'package-lock.json')
  const hasLock = existsSync(lock)
  const hash = createHash('sha256')
  hash.update(readFileSync(join(benchDir, 'package.json')))
  if (hasLock) hash.update(readFileSync(lock))
  const stamp = join(benchDir, 'node_modules', '.authmode-bench-installed')
  const wanted = `${hash.digest('hex')} ${process.version}\n`
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) {
    console.log('bench: anchors already installed in bench/node_modules')
    return
  }
  const command = hasLock ? 'ci' : 'install'
  console.log(`bench: npm ${command} in bench/ (the anchors; outside the pnpm workspace)`)
  // pnpm passes its own npm_config_* settings to scripts; npm would read them as its own.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^npm_config_/i.test(key) ||
        /^npm_config_(registry|https?_proxy|proxy|noproxy|cafile|strict_ssl|cache)$/i.test(key),
    ),
  )
  const npm = spawnSync('npm', [command, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
    cwd: benchDir,
    stdio: 'inherit',
    env,
  })
  if (npm.status !== 0) {
    console.error(`bench: npm ${command} failed (${String(npm.status ?? npm.error?.message)})`)
    process.exit(1)
  }
  writeFileSync(stamp, wanted)
}
