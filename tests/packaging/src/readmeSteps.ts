// The steps of a README section, read from its fenced blocks, so that a test can run exactly what
// the README says (issue 19, "Your first app"). Three kinds of block:
//
// - a file: a block whose first line is a comment naming it (`// app.ts`, `# schema.graphql`,
//   `<!-- public/index.html -->`, optionally followed by `: what it is`); written as it is.
// - commands: an `sh` block, one command per line (`# …` comments dropped).
// - expected output: a `text` block, the stdout of the commands block before it; `…` stands for
//   any text within a line.
//
// Any other block is an error, so that nothing in the section goes untested unnoticed.

export type ReadmeStep =
  | { readonly kind: 'file'; readonly path: string; readonly text: string }
  | { readonly kind: 'commands'; readonly lines: readonly string[] }
  | { readonly kind: 'output'; readonly lines: readonly string[] }

/** The text of the `## heading` section of `markdown`, up to the next `## ` heading. */
export function readSection(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`)
  if (start < 0) throw new Error(`The README has no "## ${heading}" section`)
  const end = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start, end < 0 ? undefined : end)
}

const FENCE = /^```([\w-]*)\n([\s\S]*?)^```$/gm
const FILE_NAME = /^(?:\/\/|#|<!--)\s*([\w./-]+\.[\w]+)(?::[^\n]*?)?\s*(?:-->)?$/

/** The section's fenced blocks as steps, in order. */
export function readSteps(section: string): ReadmeStep[] {
  const steps: ReadmeStep[] = []
  for (const [, lang = '', body = ''] of section.matchAll(FENCE)) {
    if (lang === 'sh') {
      const lines = body
        .split('\n')
        .map((line) => line.replace(/(^|\s+)#\s.*$/, '').trim())
        .filter((line) => line !== '')
      steps.push({ kind: 'commands', lines })
    } else if (lang === 'text') {
      steps.push({ kind: 'output', lines: body.trimEnd().split('\n') })
    } else {
      const [first = ''] = body.split('\n', 1)
      const path = FILE_NAME.exec(first)?.[1]
      if (path === undefined) {
        throw new Error(`A \`${lang}\` block does not name its file on its first line: ${JSON.stringify(first)}`)
      }
      steps.push({ kind: 'file', path, text: body })
    }
  }
  return steps
}

/**
 * Whether `actual` (a command's stdout) is `expected`, line for line, where `…` in an expected line
 * stands for any text. Blank lines are ignored on both sides.
 */
export function matchesOutput(expected: readonly string[], actual: string): boolean {
  const want = expected.filter((line) => line.trim() !== '')
  const got = actual.split('\n').filter((line) => line.trim() !== '')
  if (want.length !== got.length) return false
  return want.every((line, i) => {
    const pattern = line
      .trim()
      .split('…')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')
    return new RegExp(`^${pattern}$`).test(got[i]?.trim() ?? '')
  })
}
