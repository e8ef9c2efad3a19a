// The READMEs' TypeScript blocks (the root one and the package pages) compile against the built packages under strict settings, so that
// a renamed export or option cannot leave the README behind. Each block is its own module; what a
// block takes as given (the functions an earlier block imported, the app's own values) is declared
// in consumers/readme/globals.d.ts, typed where the README says what it is. The blocks that other
// tests run ("Your first app" in first-app.test.ts, "Sign in locally" in packages/local) are left
// to them.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const here = fileURLToPath(new URL('..', import.meta.url))
const root = join(here, '..', '..')
// The root README, and the package pages of core, browser and node (their blocks under their own name).
const readmes = ['README.md', ...['core', 'browser', 'node'].map((name) => `packages/${name}/README.md`)]
const RUN_ELSEWHERE = new Set(['A Node program', 'A web page', 'Sign in locally'])

/** Each TypeScript block with the heading it is under. */
function tsBlocks(markdown: string): { heading: string; code: string }[] {
  const blocks: { heading: string; code: string }[] = []
  let heading = ''
  for (const match of markdown.matchAll(/^#{2,3} (.+)$|^```(tsx?)\n([\s\S]*?)^```$/gm)) {
    if (match[1] !== undefined) heading = match[1]
    else blocks.push({ heading, code: match[3] ?? '' })
  }
  return blocks
}

describe("the README's TypeScript blocks", () => {
  const blocks = readmes.flatMap((file) =>
    tsBlocks(readFileSync(join(root, file), 'utf8'))
      .filter((block) => !RUN_ELSEWHERE.has(block.heading))
      .map((block) => ({ ...block, heading: file === 'README.md' ? block.heading : `${file}: ${block.heading}` })),
  )

  it('are found, in the sections that show code', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(20)
    expect(new Set(blocks.map((block) => block.heading))).toContain('Quick start')
  })

  it('compile against the built packages (strict)', async () => {
    const dir = join(here, '.tmp', 'readme-snippets')
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const names = blocks.map((block, i) => {
      const name = `block${String(i).padStart(2, '0')}.ts`
      // A module of its own (its names do not meet another block's), with where it came from.
      writeFileSync(join(dir, name), `// README: ${block.heading}\n${block.code}\nexport {}\n`)
      return `${name} (${block.heading})`
    })
    const tsc = join(here, 'node_modules', '.bin', 'tsc')
    const result = await run(tsc, ['-p', join(here, 'consumers', 'readme')]).then(
      () => '',
      (error: unknown) => (error as { stdout?: string }).stdout ?? String(error),
    )
    // On failure: the compiler's errors, each naming its block file; the list maps files to sections.
    expect(result, `blocks: ${names.join(', ')}`).toBe('')
  }, 60_000)
})
