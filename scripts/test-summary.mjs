// Adds up the vitest JSON reports of one `npm test` run into one closing line:
// "tests: N passed, N failed, N skipped". A missing report counts as a failure, never as a pass.
import { existsSync, readFileSync } from 'node:fs'

const reports = process.argv.slice(2)
let passed = 0
let failed = 0
let skipped = 0
for (const file of reports) {
  if (!existsSync(file)) {
    console.error(`test-summary: no report at ${file}`)
    failed++
    continue
  }
  const report = JSON.parse(readFileSync(file, 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests
  skipped += report.numPendingTests + report.numTodoTests
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
