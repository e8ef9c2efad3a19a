// The benchmark run (started by bench/run.mjs once the anchors are installed): bundle sizes, SigV4
// preparation, cold start, requests per second and the per-step profile of one request, then
// BENCHMARKS.md, the SVG chart and a summary.
//   --quick          few short rounds, to check the harness (writes to bench/.tmp/, not the repo root)
//   --only=a,b       some sections: bundle, sigv4, cold, rps, profile (also writes to bench/.tmp/)
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { measureBundle, kb } from './bundle.mjs'
import { ratioChart } from './chart.mjs'
import { runColdStart } from './coldstart.mjs'
import { bundleEntries } from './entries.mjs'
import { busy, loadText, machineInfo, versions } from './machine.mjs'
import { BENCH_DIR, DIST_ALIAS, ROOT_DIR, TMP_DIR, coreExportNames } from './paths.mjs'
import { chartBars, consoleSummary, markdown } from './report.mjs'
import { runProfile } from './profile.mjs'
import { runRps } from './rps.mjs'
import { runSigV4 } from './sigv4.mjs'

const SECTIONS = ['bundle', 'sigv4', 'cold', 'rps', 'profile']

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const onlyArg = args.find((a) => a.startsWith('--only='))
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : SECTIONS
const unknown = [
  ...only.filter((s) => !SECTIONS.includes(s)),
  ...args.filter((a) => a !== '--quick' && !a.startsWith('--only=')),
]
if (unknown.length > 0) {
  console.error(`bench: unknown ${unknown.join(', ')}; use --quick and/or --only=${SECTIONS.join(',')}`)
  process.exit(2)
}

const settings = quick
  ? {
      sigv4Rounds: 3,
      sigv4SliceMs: 60,
      sigv4WarmupMs: 100,
      coldRounds: 3,
      coldBudgetMs: 5_000,
      rpsRounds: 2,
      rpsSliceMs: 200,
      rpsWarmupMs: 200,
      profileRounds: 1,
      profileRequests: 300,
      profileWarmup: 100,
      profileIntervalUs: 100,
      profileHotSliceMs: 100,
    }
  : {
      sigv4Rounds: 12,
      sigv4SliceMs: 200,
      sigv4WarmupMs: 500,
      coldRounds: 25,
      coldBudgetMs: 60_000,
      // 20 rounds of 0.5 s slices (5 candidates, 2 concurrencies: about 105 s): the API-key target is
      // judged on the median of the per-round ratios, and 8 rounds left it flipping with noise.
      rpsRounds: 20,
      rpsSliceMs: 500,
      rpsWarmupMs: 500,
      // 5 rounds of a fresh process per candidate: 2000 requests timed, then 2000 profiled (a sample
      // every 100 µs); each step's median over the rounds (about 1 minute).
      profileRounds: 5,
      profileRequests: 2000,
      profileWarmup: 500,
      profileIntervalUs: 100,
      profileHotSliceMs: 300,
    }

const log = (/** @type {string} */ line) => {
  console.log(line)
}
const started = new Date()
const busyAtStart = busy()
const t0 = performance.now()
const machine = machineInfo()
log(
  `bench: ${machine.cpu}, ${String(machine.cores)} cores, ${machine.memory}, node ${machine.node}, load ${machine.loadAtStart}`,
)
if (typeof (/** @type {{ gc?: unknown }} */ (globalThis).gc) !== 'function') {
  log('bench: running without --expose-gc (start it through bench/run.mjs for a collection between slices)')
}

/** @type {import('./targets.mjs').Results} */
const results = {}

if (only.includes('bundle')) {
  log('1/5 browser bundle size')
  /** @type {import('./report.mjs').BundleRow[]} */
  const rows = []
  for (const entry of bundleEntries({ coreExports: await coreExportNames() })) {
    const size =
      entry.source === undefined
        ? undefined
        : await measureBundle(entry.source, {
            resolveDir: BENCH_DIR,
            alias: { ...DIST_ALIAS },
            ...(entry.external ? { external: entry.external } : {}),
            ...(entry.load ? { load: entry.load } : {}),
          })
    rows.push({
      id: entry.id,
      label: entry.label,
      group: entry.group,
      note: entry.note,
      budgetGzip: entry.budgetGzip,
      size,
    })
    log(
      `  ${entry.id}: ${size ? `${kb(size.minified)} min, ${kb(size.gzip)} gzip, ${kb(size.brotli)} brotli` : (entry.note ?? 'n/a')}`,
    )
  }
  results.bundle = rows
}
if (only.includes('sigv4')) {
  log('2/5 SigV4 request preparation')
  results.sigv4 = await runSigV4({
    rounds: settings.sigv4Rounds,
    sliceMs: settings.sigv4SliceMs,
    warmupMs: settings.sigv4WarmupMs,
    log,
  })
}
if (only.includes('cold')) {
  log('3/5 cold start')
  results.cold = await runColdStart({ rounds: settings.coldRounds, budgetMs: settings.coldBudgetMs, log })
}
if (only.includes('rps')) {
  log('4/5 requests per second (loopback)')
  results.rps = await runRps({
    rounds: settings.rpsRounds,
    sliceMs: settings.rpsSliceMs,
    warmupMs: settings.rpsWarmupMs,
    log,
  })
}

if (only.includes('profile')) {
  log('5/5 where one request’s time goes (per-step profile, loopback)')
  results.profile = await runProfile({
    rounds: settings.profileRounds,
    requests: settings.profileRequests,
    warmup: settings.profileWarmup,
    intervalUs: settings.profileIntervalUs,
    hotSliceMs: settings.profileHotSliceMs,
    log,
  })
}

const partial = quick || !SECTIONS.every((s) => only.includes(s))
const outDir = partial ? TMP_DIR : ROOT_DIR
const chartFile = partial ? join(TMP_DIR, 'ratios.svg') : join(BENCH_DIR, 'ratios.svg')
mkdirSync(outDir, { recursive: true })
const durationS = (performance.now() - t0) / 1000
const busyRun = busyAtStart || busy()
const subtitle = [
  `pnpm bench, ${started.toISOString().slice(0, 10)}, ${machine.cpu} (${String(machine.cores)} cores), node ${machine.node}`,
  partial ? ' (partial or quick run)' : '',
  busyRun ? `; busy machine (load ${machine.loadAtStart}): timing ratios noisy` : '',
].join('')
writeFileSync(
  chartFile,
  ratioChart(chartBars(results), { title: 'authmode against its anchors: ratios of one run', subtitle }),
)
const reportFile = join(outDir, 'BENCHMARKS.md')
writeFileSync(
  reportFile,
  markdown(results, {
    date: started.toISOString(),
    machine,
    loadAtEnd: loadText(),
    busy: busyRun,
    versions: versions(),
    durationS,
    settings: { ...settings, ...(partial ? { partial: `${quick ? 'quick ' : ''}${only.join('+')}` } : {}) },
    chartPath: relative(outDir, chartFile),
  }),
)
log(consoleSummary(results))
log(
  `\nbench: wrote ${relative(process.cwd(), reportFile)} and ${relative(process.cwd(), chartFile)} in ${durationS.toFixed(0)} s`,
)
if (partial)
  log('bench: a quick or partial run writes to bench/.tmp/; run `pnpm bench` with no flags for BENCHMARKS.md')
