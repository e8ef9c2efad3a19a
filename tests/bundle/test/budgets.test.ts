// Issue 6, "budgets enforced in the tests": our consumer entries (the bench's, bench/src/entries.mjs)
// bundled from the BUILT packages for browsers, min+gzip against their budgets, and no bleed of
// SigV4, Node or server-credential code into browser bundles. Exact byte counts, so not flaky.
import { describe, expect, it } from 'vitest'
import { ceilings } from '../src/ceilings'
import { checkBundle, checkCeilings, suggestedCeiling, type SizeLimit, type Violation } from '../src/checkBundle'
import { BROWSER_ADAPTER, measureEntry, ourEntries } from '../src/measure'

// The API-key-only entry: the one that must hold no SigV4 code.
const API_KEY_ONLY = 'browser-apikey'

const entries = await ourEntries()
// An entry without a source is not built yet: it gets no test at all, neither a
// passing nor a skipped one, so nothing counts it as meeting its budget. It is measured and held to
// its budget as soon as bench/src/entries.mjs gives it a source.
const measured = await Promise.all(
  entries.flatMap((entry) => {
    const { source, budgetGzip, load } = entry
    if (source === undefined) return []
    if (budgetGzip === undefined) throw new Error(`bench entry ${entry.id} of ours has no budgetGzip`)
    return [measureEntry(source, { load }).then((bundle) => ({ id: entry.id, budgetGzip, bundle }))]
  }),
)
if (!measured.some((entry) => entry.id === API_KEY_ONLY)) {
  throw new Error(`bench/src/entries.mjs has no built entry ${API_KEY_ONLY}: the SigV4 check has nothing to check`)
}

const sizeViolations = (violations: Violation[]): Violation[] => violations.filter((v) => v.kind === 'size')
const bleedViolations = (violations: Violation[]): Violation[] => violations.filter((v) => v.kind !== 'size')

describe('min+gzip budgets of our entries (issue 6; 1 KB = 1024 B)', () => {
  for (const { id, budgetGzip, bundle } of measured) {
    const ceiling = ceilings[id]
    // Held to the ceiling only while the budget is missed; an entry back under its budget is held to it.
    const limit: SizeLimit =
      ceiling !== undefined && bundle.gzip > budgetGzip
        ? { bytes: ceiling, kind: 'ceiling' }
        : { bytes: budgetGzip, kind: 'budget' }
    const title =
      limit.kind === 'ceiling'
        ? `${id}: ${String(bundle.gzip)} B min+gzip within the temporary ceiling ${String(limit.bytes)} B (issue budget ${String(budgetGzip)} B not met yet)`
        : `${id}: ${String(bundle.gzip)} B min+gzip within the issue budget ${String(budgetGzip)} B`
    it(title, () => {
      expect(sizeViolations(checkBundle(bundle, { limit }))).toEqual([])
    })
  }

  it('the temporary ceilings are all still needed and tight (at most the next 512 B step over each size)', () => {
    const sizes = measured.map(({ id, budgetGzip, bundle }) => ({ id, gzip: bundle.gzip, budgetGzip }))
    const current = sizes.map(({ id, gzip, budgetGzip }) => `${id} ${String(gzip)} B (budget ${String(budgetGzip)} B)`)
    const table = sizes
      .filter(({ gzip, budgetGzip }) => gzip > budgetGzip)
      .map(({ id, gzip }) => `'${id}': ${String(suggestedCeiling(gzip))}`)
    expect(
      checkCeilings(sizes, ceilings),
      `current min+gzip sizes: ${current.join(', ')}; ceilings for them (src/ceilings.ts): { ${table.join(', ')} }`,
    ).toEqual([])
  })
})

describe('no bleed into browser bundles', () => {
  for (const { id, bundle } of measured) {
    const sigv4 = id === API_KEY_ONLY
    it(`${id}: no ${sigv4 ? 'SigV4 code, no ' : ''}Node built-in imports or Node-only modules, no EC2/ECS metadata address`, () => {
      expect(bleedViolations(checkBundle(bundle, { noSigV4: sigv4 }))).toEqual([])
    })
  }

  it('@authmode/browser, every export: no Node built-in imports or Node-only modules, no EC2/ECS metadata address', async () => {
    // A namespace used as a value keeps every export in the bundle.
    const bundle = await measureEntry("import * as authmode from '@authmode/browser'\nconsole.log(authmode)")
    expect(checkBundle(bundle)).toEqual([])
  })

  it('@authmode/browser/amazon-cognito-identity-js, every export: no Node built-in imports or Node-only modules, no EC2/ECS metadata address', async () => {
    const bundle = await measureEntry(
      `import * as adapter from ${JSON.stringify(BROWSER_ADAPTER)}\nconsole.log(adapter)`,
    )
    expect(checkBundle(bundle)).toEqual([])
  })
})
