// The reader of README steps that the first-app test runs: what it takes from a section, and that
// it refuses what it could not run.
import { describe, expect, it } from 'vitest'
import { matchesOutput, readSection, readSteps } from '../src/readmeSteps'

const fence = '```'
const README = [
  '# title',
  '## Before',
  `${fence}sh\nnot this\n${fence}`,
  '## Your first app',
  `${fence}sh\nnpm run packs   # writes .packs/\n\nmkdir app && cd app\n${fence}`,
  `${fence}ts\n// app.ts: the program\nconsole.log('hi')\n${fence}`,
  `${fence}html\n<!-- public/index.html -->\n<title>x</title>\n${fence}`,
  `${fence}text\nhi …!\n${fence}`,
  '## After',
  `${fence}sh\nnor this\n${fence}`,
].join('\n')

describe('readSteps', () => {
  it('reads the section only: commands without comments, files by their first line, expected output', () => {
    expect(readSteps(readSection(README, 'Your first app'))).toEqual([
      { kind: 'commands', lines: ['npm run packs', 'mkdir app && cd app'] },
      { kind: 'file', path: 'app.ts', text: "// app.ts: the program\nconsole.log('hi')\n" },
      { kind: 'file', path: 'public/index.html', text: '<!-- public/index.html -->\n<title>x</title>\n' },
      { kind: 'output', lines: ['hi …!'] },
    ])
  })

  it('refuses a block that names no file, and a missing section', () => {
    expect(() => readSteps(`${fence}ts\nconst x = 1\n${fence}\n`)).toThrow(/does not name its file/)
    expect(() => readSection(README, 'Nowhere')).toThrow(/no "## Nowhere" section/)
  })
})

describe('matchesOutput', () => {
  it('matches line for line, `…` standing for any text within a line', () => {
    expect(matchesOutput(['owner …::alice', 'done'], 'owner 1f-2e::alice\n\ndone\n')).toBe(true)
    expect(matchesOutput(['owner …::alice'], 'owner 1f-2e::bob\n')).toBe(false)
    expect(matchesOutput(['done'], 'done\nand more\n')).toBe(false)
    expect(matchesOutput(['a.c'], 'abc\n')).toBe(false)
  })
})
