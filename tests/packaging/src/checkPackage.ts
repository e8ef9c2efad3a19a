// Checks one packed package (a .tgz, as npm would publish it) with publint (strict) and
// are-the-types-wrong. Returns the problems found; an empty list means the package is clean.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
// The tools' own command-line entries, as installed for this package.
const bin = (name: string): string => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url))
const PUBLINT = bin('publint')
const ATTW = bin('attw')

export interface PackageProblems {
  readonly publint: readonly string[]
  readonly attw: readonly string[]
}

export async function checkPackedPackage(tarball: string): Promise<PackageProblems> {
  const [publint, attw] = await Promise.all([runPublint(tarball), runAttw(tarball)])
  return { publint, attw }
}

async function runPublint(tarball: string): Promise<string[]> {
  const { stdout, code } = await runTool(PUBLINT, ['--strict', tarball])
  // publint prints "All good!" when clean; anything listed under Errors/Warnings/Suggestions is a problem.
  if (code === 0 && stdout.includes('All good!')) return []
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^\d+\./.test(line) || /error|warning/i.test(line))
    .concat(code === 0 ? [] : [`publint exited with ${String(code)}`])
}

interface AttwReport {
  readonly analysis?: {
    readonly problems?: readonly {
      readonly kind: string
      readonly entrypoint?: string
      readonly resolutionKind?: string
    }[]
  }
}

async function runAttw(tarball: string): Promise<string[]> {
  const { stdout, code } = await runTool(ATTW, [tarball, '--format', 'json', '--profile', 'strict'])
  let report: AttwReport
  try {
    report = JSON.parse(stdout) as AttwReport
  } catch {
    return [`attw did not answer in JSON (exit ${String(code)}): ${stdout.slice(0, 200)}`]
  }
  const problems = (report.analysis?.problems ?? []).map(
    (p) => `${p.kind}${p.entrypoint ? ` at ${p.entrypoint}` : ''}${p.resolutionKind ? ` (${p.resolutionKind})` : ''}`,
  )
  return code === 0 || problems.length > 0 ? problems : [`attw exited with ${String(code)}`]
}

async function runTool(script: string, args: string[]): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(script, args, { maxBuffer: 16 * 1024 * 1024 })
    return { stdout, code: 0 }
  } catch (error) {
    const e = error as { stdout?: string; code?: number }
    return { stdout: e.stdout ?? '', code: typeof e.code === 'number' ? e.code : 1 }
  }
}
