// Runs a README's shell commands for the first-app test: one command line at a time in bash (a `cd` is
// followed), and servers in the background, each in a process group of its own that `stop` ends.
// Output shown in an error goes through `redact` first.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

export interface Shell {
  /** Where the next command runs (follows a command's `cd`). */
  cwd: string
  /** A folder of the test's own, outside the app (where a command's final directory is noted). */
  readonly scratch: string
  readonly env: NodeJS.ProcessEnv
  /** Masks secrets in output that goes into an error message. */
  readonly redact: (text: string) => string
}

export interface CommandResult {
  readonly stdout: string
}

/** Runs `line` with bash in `shell.cwd`; resolves to its stdout, or rejects with its whole output. */
export async function runCommand(shell: Shell, line: string, timeoutMs: number): Promise<CommandResult> {
  const cwdFile = join(shell.scratch, 'cwd')
  // The line's own status (not `set -e`, which ignores a failure before `&&`), and where it ended.
  const script = `${line}\nstatus=$?\npwd > ${JSON.stringify(cwdFile)}\nexit $status\n`
  const child = spawn('bash', ['-c', script], {
    cwd: shell.cwd,
    env: shell.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const output = collect(child)
  const stopped = { timedOut: false }
  const timer = setTimeout(() => {
    stopped.timedOut = true
    killGroup(child, 'SIGKILL')
  }, timeoutMs)
  const code = await new Promise<number | string>((resolve) => {
    child.on('close', (exit, signal) => {
      resolve(exit ?? signal ?? 'unknown')
    })
  })
  clearTimeout(timer)
  if (stopped.timedOut) {
    throw new Error(
      `\`${line}\` took over ${String(timeoutMs)} ms and was stopped; its output:\n${shell.redact(output.all())}`,
    )
  }
  if (code !== 0) {
    throw new Error(`\`${line}\` failed (${String(code)}) in ${shell.cwd}; its output:\n${shell.redact(output.all())}`)
  }
  const next = readFileSync(cwdFile, 'utf8').trim()
  rmSync(cwdFile)
  shell.cwd = next
  return { stdout: output.stdout() }
}

export interface Server {
  readonly command: string
  /** Its stdout and stderr so far. */
  readonly output: () => string
  readonly stop: () => Promise<void>
}

/**
 * Starts `line` in the background (stdin kept open: esbuild's server stops when it closes) and
 * resolves once `ready` matches its output; rejects with its output if it exits or takes longer
 * than `timeoutMs`.
 */
export async function startServer(shell: Shell, line: string, ready: RegExp, timeoutMs: number): Promise<Server> {
  const child = spawn('bash', ['-c', `exec ${line}`], {
    cwd: shell.cwd,
    env: shell.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  })
  const output = collect(child)
  let exited: string | undefined
  const closed = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      exited = signal ?? `exit code ${String(code)}`
      resolve()
    })
  })
  const server: Server = {
    command: line,
    output: () => output.all(),
    stop: async () => {
      if (exited !== undefined) return
      killGroup(child, 'SIGTERM')
      const timer = setTimeout(() => {
        killGroup(child, 'SIGKILL')
      }, 5_000)
      await closed
      clearTimeout(timer)
    },
  }
  const started = Date.now()
  while (!ready.test(output.all())) {
    if (exited !== undefined || Date.now() - started > timeoutMs) {
      const why = exited !== undefined ? `ended (${exited})` : `was not ready after ${String(timeoutMs)} ms`
      await server.stop()
      throw new Error(`\`${line}\` ${why}; its output:\n${shell.redact(output.all())}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return server
}

function collect(child: ChildProcess): { stdout: () => string; all: () => string } {
  const out: Buffer[] = []
  const all: Buffer[] = []
  child.stdout?.on('data', (chunk: Buffer) => {
    out.push(chunk)
    all.push(chunk)
  })
  child.stderr?.on('data', (chunk: Buffer) => all.push(chunk))
  return { stdout: () => Buffer.concat(out).toString('utf8'), all: () => Buffer.concat(all).toString('utf8') }
}

// The command and whatever it started (npx runs its bin as a child) are one process group.
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}
