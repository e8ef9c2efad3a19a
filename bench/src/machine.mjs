// The machine and the versions a run measured, for the report.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, availableParallelism, loadavg, release, totalmem, type, arch } from 'node:os'
import { join } from 'node:path'
import { BENCH_DIR, ROOT_DIR } from './paths.mjs'

/**
 * @returns {{ cpu: string, cores: number, memory: string, node: string, os: string, loadAtStart: string, commit: string }}
 */
export function machineInfo() {
  const list = cpus()
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${type()} ${release()} ${arch()}`,
    loadAtStart: loadText(),
    commit: gitCommit(),
  }
}

/** True when the 1-minute load average is above the core count: other work competed with the timings. */
export function busy() {
  return (loadavg()[0] ?? 0) > availableParallelism()
}

/** The 1, 5 and 15 minute load averages. */
export function loadText() {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ')
}

function gitCommit() {
  try {
    const git = (/** @type {string[]} */ ...args) =>
      execFileSync('git', ['--no-optional-locks', ...args], {
        cwd: ROOT_DIR,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim()
    const head = git('rev-parse', '--short', 'HEAD')
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== ''
    return dirty ? `${head} + uncommitted changes` : head
  } catch {
    return 'unknown (not a git checkout)'
  }
}

/**
 * @param {string} path A package.json path.
 * @returns {string}
 */
function versionAt(path) {
  try {
    return String(JSON.parse(readFileSync(path, 'utf8')).version)
  } catch {
    return 'not installed'
  }
}

const ANCHORS = [
  'aws-amplify',
  '@aws-amplify/core',
  '@aws-amplify/api-graphql',
  'aws-appsync-auth-link',
  '@apollo/client',
  'aws4fetch',
  '@smithy/signature-v4',
  '@aws-crypto/sha256-js',
  'aws4',
  'graphql-request',
  'graphql',
  'url',
  'esbuild',
]

/** @returns {{ name: string, version: string, where: string }[]} */
export function versions() {
  return [
    ...['core', 'browser', 'node'].map((name) => ({
      name: `@authmode/${name}`,
      version: versionAt(join(ROOT_DIR, 'packages', name, 'package.json')),
      where: `packages/${name}/dist (built)`,
    })),
    ...ANCHORS.map((name) => ({
      name,
      version: versionAt(join(BENCH_DIR, 'node_modules', name, 'package.json')),
      where: 'bench/node_modules',
    })),
  ]
}
