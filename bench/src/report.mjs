// BENCHMARKS.md, the chart's bars and the console summary, from one run's results.
import { kb } from './bundle.mjs'
import { AFTER_WORK_US } from './rps.mjs'
import { SIGV4_SIZES } from './sigv4.mjs'
import { count, fixed } from './stats.mjs'
import { STEPS } from './profile.mjs'
import { RPS_TARGETS, passText, ratio, verdicts } from './targets.mjs'

/**
 * @typedef {object} BundleRow
 * @property {string} id
 * @property {string} label
 * @property {'ours' | 'anchor'} group
 * @property {string | undefined} note
 * @property {number | undefined} budgetGzip
 * @property {{ minified: number, gzip: number, brotli: number } | undefined} size undefined: not measured (see note)
 */

/**
 * @typedef {object} RunInfo
 * @property {string} date ISO date and time of the start.
 * @property {ReturnType<typeof import('./machine.mjs').machineInfo>} machine
 * @property {string} loadAtEnd
 * @property {boolean} busy Load above the core count at the start or the end.
 * @property {{ name: string, version: string, where: string }[]} versions
 * @property {number} durationS
 * @property {Record<string, string | number>} settings Rounds and slice lengths.
 * @property {string} chartPath The SVG, relative to the report.
 */

const SIZE_NAME = (/** @type {number} */ size) => (size >= 1024 ? `${String(size / 1024)} KB` : `${String(size)} B`)

/**
 * @param {string[]} header
 * @param {string[][]} rows
 * @returns {string}
 */
function table(header, rows) {
  const line = (/** @type {string[]} */ cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/**
 * @param {import('./stats.mjs').Summary | undefined} s
 * @param {(n: number) => string} format
 */
function spread(s, format) {
  return s ? `${format(s.p25)} – ${format(s.p75)}` : 'n/a'
}

/**
 * @param {number} ms
 * @returns {string}
 */
export function signedMs(ms) {
  return Number.isFinite(ms) ? `${ms < 0 ? '−' : '+'}${Math.abs(ms).toFixed(1)} ms` : 'n/a'
}

/**
 * @param {import('./targets.mjs').Results} results
 * @returns {import('./chart.mjs').Bar[]}
 */
export function chartBars(results) {
  /** @type {import('./chart.mjs').Bar[]} */
  const bars = []
  const amplify = results.bundle?.find((r) => r.id === 'amplify')?.size?.gzip
  for (const row of results.bundle ?? []) {
    if (row.group !== 'ours') continue
    const gzip = row.size?.gzip
    bars.push({
      group: 'Browser bundle: Amplify v6 min+gzip ÷ ours',
      label: row.label.replace(/^authmode: /, ''),
      value: amplify !== undefined && gzip !== undefined ? amplify / gzip : Number.NaN,
    })
  }
  for (const size of SIGV4_SIZES) {
    const t = results.sigv4?.bySize[String(size)]
    const name = SIZE_NAME(size)
    const group = `SigV4 request preparation (${name}): ops/s ÷ anchor`
    bars.push({
      group,
      label: `node entry ÷ Amplify signer`,
      value: ratio(t, 'node', 'amplify'),
      target: size === 300 ? 2.5 : 7,
    })
    bars.push({ group, label: `node entry ÷ aws4`, value: ratio(t, 'node', 'aws4'), target: 1 / 1.5 })
    bars.push({ group, label: `node entry ÷ aws4fetch`, value: ratio(t, 'node', 'aws4fetch') })
    bars.push({ group, label: `browser entry ÷ Amplify signer`, value: ratio(t, 'browser', 'amplify') })
  }
  if (results.cold) {
    const over = results.cold.overBareMs
    const ours = over.node ?? Number.NaN
    const group = 'Cold start over bare node: anchor’s excess ÷ @authmode/node’s'
    for (const id of ['amplify', 'graphql-request']) {
      bars.push({
        group,
        label: `${id} ÷ @authmode/node`,
        value: ours > 0 ? (over[id] ?? Number.NaN) / ours : Number.NaN,
      })
    }
  }
  for (const [concurrency, t] of Object.entries(results.rps?.ratioToRaw ?? {})) {
    const group = `Requests/s through client.request ÷ raw fetch, median of per-round ratios (concurrency ${concurrency})`
    const value = (/** @type {string} */ id) => t[id]?.median ?? Number.NaN
    for (const [id, label] of [
      ['apiKey', 'apiKey'],
      ['userPool', 'userPool'],
      ['iam', 'iam (signs; raw fetch does not)'],
    ]) {
      const min = RPS_TARGETS.find((r) => r.id === id)?.min
      bars.push({
        group,
        label: String(label),
        value: value(String(id)),
        ...(min === undefined ? {} : { target: min }),
      })
    }
  }
  return bars
}

/**
 * @param {import('./targets.mjs').Results} results
 * @param {RunInfo} info
 * @returns {string}
 */
export function markdown(results, info) {
  const out = []
  const m = info.machine
  out.push(
    '# Benchmarks',
    '',
    `Written by \`pnpm bench\` (bench/run.mjs) on ${info.date}, one run of ${String(Math.round(info.durationS))} s; do not edit by hand.`,
    'Timings alternate the candidates in rounds and report medians (with the 25th–75th percentile spread) and ratios of medians,',
    'except requests per second: there each ratio is the median of per-round ratios (see section 4).',
    'Absolute numbers depend on the machine; the ratios are what carry over.',
    ...(info.busy
      ? [
          '',
          `> **Busy machine:** the load average (${info.machine.loadAtStart} at start, ${info.loadAtEnd} at end) was above the`,
          `> core count (${String(info.machine.cores)}), so other work competed with the timings: their ratios are noisy. Bundle sizes are exact.`,
        ]
      : []),
    '',
    `![ratios](${info.chartPath})`,
    '',
    '## Targets (from issues 6 and 12)',
    '',
    table(
      ['target', 'this run', ''],
      verdicts(results).map((v) => [v.target, v.measured, passText(v.pass)]),
    ),
    '',
    'Budgets are min+gzip byte counts (1 KB = 1024 B), enforced exactly by the test command (tests/bundle: an entry that',
    'misses its budget is held to a temporary ceiling that may only shrink). The SigV4 targets are checked',
    'on the node entry’s whole per-request path (see below), not on its signer alone.',
    '',
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['CPU', `${m.cpu} (${String(m.cores)} cores)`],
        ['memory', m.memory],
        ['Node.js', m.node],
        ['OS', m.os],
        ['load average (1/5/15 min) at start', m.loadAtStart],
        ['load average at end', info.loadAtEnd],
        ['commit', m.commit],
        [
          'settings',
          Object.entries(info.settings)
            .map(([k, v]) => `${k} ${String(v)}`)
            .join(', '),
        ],
      ],
    ),
    '',
    '## Versions',
    '',
    table(
      ['package', 'version', 'from'],
      info.versions.map((v) => [`\`${v.name}\``, v.version, v.where]),
    ),
    '',
  )

  if (results.bundle) {
    const amplify = results.bundle.find((r) => r.id === 'amplify')?.size?.gzip
    out.push(
      '## 1. Browser bundle size',
      '',
      'Minimal consumer entries (bench/src/entries.mjs) bundled by esbuild for browsers (ESM, minified, `es2022`,',
      '`process.env.NODE_ENV` = `"production"`), then gzip level 9 and brotli quality 11 (node:zlib). Our packages are',
      'the built `packages/*/dist` files. The measuring function is `measureBundle` in bench/src/bundle.mjs.',
      '',
      table(
        ['entry', 'minified', 'min+gzip', 'min+brotli', 'Amplify ÷ this (gzip)', 'budget (gzip)', 'what it uses'],
        results.bundle.map((r) => [
          r.label,
          r.size ? kb(r.size.minified) : 'n/a',
          r.size ? `**${kb(r.size.gzip)}**` : 'n/a',
          r.size ? kb(r.size.brotli) : 'n/a',
          r.size && amplify !== undefined ? `${fixed(amplify / r.size.gzip)}×` : '',
          r.budgetGzip === undefined
            ? ''
            : `${kb(r.budgetGzip)}: ${passText(r.size ? r.size.gzip <= r.budgetGzip : undefined)}`,
          r.note ?? '',
        ]),
      ),
      '',
    )
  }

  if (results.sigv4) {
    const s = results.sigv4
    out.push(
      '## 2. SigV4 request preparation in Node',
      '',
      'Build and sign an AppSync `POST /graphql` with temporary credentials (session token signed), operations per second,',
      'one operation after another. Each candidate is checked once to produce a SigV4 `authorization` that signs',
      '`x-amz-security-token` before it is timed.',
      '',
      table(
        ['candidate', 'one operation is'],
        s.candidates.map((c) => [c.label, c.how]),
      ),
      '',
    )
    for (const size of SIGV4_SIZES) {
      const t = s.bySize[String(size)]
      out.push(
        `### ${SIZE_NAME(size)} body`,
        '',
        table(
          ['candidate', 'ops/s (median)', 'p25 – p75', '÷ Amplify signer', '÷ aws4', '÷ aws4fetch'],
          s.candidates.map((c) => [
            c.label,
            `**${count(t?.[c.id]?.median ?? Number.NaN)}**`,
            spread(t?.[c.id], count),
            `${fixed(ratio(t, c.id, 'amplify'))}×`,
            `${fixed(ratio(t, c.id, 'aws4'))}×`,
            `${fixed(ratio(t, c.id, 'aws4fetch'))}×`,
          ]),
        ),
        '',
      )
    }
  }

  if (results.cold) {
    const c = results.cold
    out.push(
      '## 3. Cold start',
      '',
      'Wall time of a fresh `node` process, spawn to exit, that imports the library (ES module file, no request).',
      `“Over bare” is the median of each run minus the bare \`node -e 0\` run of the same round; ${String(c.rounds)} rounds`,
      '(up to the set number, fewer when a busy machine made the section pass its time budget).',
      '',
      table(
        ['process', 'wall time (median)', 'p25 – p75', 'over bare `node -e 0`'],
        c.candidates.map((k) => [
          k.label,
          `**${fixed(c.ms[k.id]?.median ?? Number.NaN, 1)} ms**`,
          spread(c.ms[k.id], (n) => `${fixed(n, 1)} ms`),
          k.id === 'bare' ? '' : signedMs(c.overBareMs[k.id] ?? Number.NaN),
        ]),
      ),
      '',
    )
  }

  if (results.rps) {
    out.push(
      '## 4. Requests per second against a loopback server',
      '',
      '`client.request` of `@authmode/node` against a server on 127.0.0.1 in its own process (canned JSON answer), against',
      'raw `fetch` posting the same body with `x-api-key` and reading the JSON. Both go through Node’s global `fetch`',
      '(undici, keep-alive) to a server with a 60 s keep-alive. Each slice is bounded in time and in count.',
      '',
      '**How the targets are judged:** in every round, each candidate’s requests/s is divided by raw `fetch`’s requests/s',
      'in the same round; a target is met when the **median of these per-round ratios** reaches it (API key ≥ 0.90, IAM',
      '≥ 0.85, at each concurrency). That median is the “÷ raw fetch” column, with the per-round ratios’ 25th–75th',
      'percentiles and their minimum–maximum beside it; it is not the ratio of the requests/s medians, which load drifting',
      'over the run skews. Section 5 shows where the time of one request goes.',
      '',
      'The last two rows split the overhead: the API-key client without its default 30 s deadline, and the iam path with a',
      'signer that signs nothing (the headers of one real signature, sent again every time), so everything of iam but SigV4.',
      '',
    )
    for (const [concurrency, t] of Object.entries(results.rps.byConcurrency)) {
      const ratios = results.rps.ratioToRaw[concurrency]
      const rounds = ratios?.['raw']?.n ?? 0
      out.push(
        `### ${concurrency === '1' ? 'One request at a time' : `${concurrency} requests in flight`} (${String(rounds)} rounds)`,
        '',
        table(
          [
            'candidate',
            'requests/s (median)',
            'p25 – p75',
            '÷ raw fetch (median of per-round ratios)',
            'per-round ratios p25 – p75',
            'per-round ratios min – max',
          ],
          results.rps.candidates.map((c) => {
            const r = ratios?.[c.id]
            const times = (/** @type {number} */ n) => `${fixed(n)}×`
            return [
              c.label,
              `**${count(t[c.id]?.median ?? Number.NaN)}**`,
              spread(t[c.id], count),
              c.id === 'raw' ? '' : `**${times(r?.median ?? Number.NaN)}**`,
              c.id === 'raw' ? '' : spread(r, times),
              c.id === 'raw' || !r ? '' : `${times(r.min)} – ${times(r.max)}`,
            ]
          }),
        ),
        '',
      )
    }
    const afterWork = results.rps.afterWork
    if (afterWork) {
      const [first] = AFTER_WORK_US
      const base = afterWork[String(first)]?.median ?? Number.NaN
      out.push(
        '### The machine’s part: a round trip after the client worked',
        '',
        'Raw `fetch`, one at a time, right after the client computed for a while (spinning on the clock): the round trip',
        'from the call to the parsed answer, median over rounds of each slice’s median. Where it grows with the work before',
        'it, idle CPUs wake slowly on this machine, and a client’s own time before the send costs it more than that time',
        'in requests per second.',
        '',
        table(
          ['work before the request', 'round trip (median)', 'p25 – p75', 'over no work'],
          AFTER_WORK_US.map((us) => {
            const t = afterWork[String(us)]
            const inUs = (/** @type {number} */ n) => `${fixed(n, 1)} µs`
            return [
              `${String(us)} µs`,
              `**${inUs(t?.median ?? Number.NaN)}**`,
              spread(t, inUs),
              us === first ? '' : `+${fixed((t?.median ?? Number.NaN) - base, 1)} µs`,
            ]
          }),
        ),
        '',
      )
    }
  }

  if (results.profile) out.push(...profileSection(results.profile))

  out.push(
    '## Method',
    '',
    '- One process runs the sections, with `--expose-gc` (the cold start and the per-step profile time processes of their',
    '  own): a full garbage collection before each timed slice, so no candidate pays for another’s garbage. Each',
    '  candidate is warmed up before its first timed slice.',
    '- Rounds: every candidate runs one slice per round, the first candidate rotating each round; the table shows the',
    '  median over rounds and the 25th–75th percentiles. Ratios are ratios of medians, except requests per second:',
    '  there each round’s ratio to raw `fetch` is taken first and the median of those ratios reported (and judged).',
    '- The anchors are installed in bench/ (its own package.json and lockfile, outside the pnpm workspace) by',
    '  `pnpm bench` itself with npm. `@apollo/client` is a peer of aws-appsync-auth-link and is not counted in its bundle.',
    '- Other processes on the machine (see the load averages) add noise to timings but not to bundle sizes.',
    '',
  )
  return out.join('\n')
}

/**
 * @param {import('./targets.mjs').Results} results
 * @returns {string}
 */
export function consoleSummary(results) {
  const lines = ['', 'Targets:']
  for (const v of verdicts(results)) lines.push(`  [${passText(v.pass).padEnd(4)}] ${v.target}: ${v.measured}`)
  return lines.join('\n')
}

/**
 * Microseconds with their sign (`+12 µs`, `−3.0 µs`).
 *
 * @param {number} n
 */
function signedUs(n) {
  if (!Number.isFinite(n)) return 'n/a'
  const size = Math.abs(n)
  return `${n < 0 ? '−' : '+'}${size >= 9.95 ? size.toFixed(0) : size.toFixed(1)} µs`
}

/**
 * @param {number} n
 * @param {string} noun
 */
function plural(n, noun) {
  return `${String(n)} ${noun}${n === 1 ? '' : 's'}`
}

/**
 * Section 5: the per-step profile of one request, and our code alone in a hot loop.
 *
 * @param {import('./profile.mjs').ProfileResult} p
 * @returns {string[]}
 */
function profileSection(p) {
  const ids = p.candidates.map((c) => c.id)
  const us = (/** @type {number} */ n) => (!Number.isFinite(n) ? 'n/a' : n >= 9.95 ? n.toFixed(0) : n.toFixed(1))
  const cell = (/** @type {number} */ n) => (n >= 0.05 ? us(n) : '–')
  const sum = (/** @type {string} */ id, /** @type {(s: (typeof STEPS)[number]) => boolean} */ which) =>
    STEPS.filter(which).reduce((total, s) => total + (p.steps[id]?.[s.id] ?? 0), 0)
  const client = (/** @type {(typeof STEPS)[number]} */ s) => s.part === 'ours' && s.id !== 'bench'
  /** @type {string[][]} */
  const rows = []
  for (const [part, title] of /** @type {const} */ ([
    ['ours', 'the client’s own code (the benchmark loop’s own line first)'],
    ['fetch', 'Node’s fetch, called by that code'],
    ['process', 'the rest of the process'],
  ])) {
    for (const step of STEPS.filter((s) => s.part === part)) {
      if (ids.every((id) => (p.steps[id]?.[step.id] ?? 0) < 0.05)) continue
      rows.push([step.label, ...ids.map((id) => cell(p.steps[id]?.[step.id] ?? 0))])
    }
    if (part === 'ours')
      rows.push(['**the client’s own code, in all**', ...ids.map((id) => `**${cell(sum(id, client))}**`)])
    else rows.push([`*${title}, in all*`, ...ids.map((id) => `*${us(sum(id, (s) => s.part === part))}*`)])
  }
  rows.push(
    ['**total under the profiler (wall time of one request)**', ...ids.map((id) => `**${us(sum(id, () => true))}**`)],
    ['wall time of one request without the profiler', ...ids.map((id) => us(p.wallUs[id]?.median ?? Number.NaN))],
    ['client CPU time of one request without the profiler', ...ids.map((id) => us(p.cpuUs[id]?.median ?? Number.NaN))],
    [
      'wall time over raw `fetch`’s in the same round, without the profiler (median of the rounds)',
      ...ids.map((id) => (id === 'raw' ? '' : signedUs(p.overRawUs[id]?.median ?? Number.NaN))),
    ],
  )
  const reading = p.candidates
    .filter((c) => c.id !== 'raw')
    .map((c) => {
      const over = p.overRawUs[c.id]
      const steps = p.steps[c.id] ?? {}
      const top = STEPS.filter(client)
        .map((s) => ({ s, v: steps[s.id] ?? 0 }))
        .sort((a, b) => b.v - a.v)
        .slice(0, 3)
        .map(({ s, v }) => `${s.short} ${us(v)} µs`)
        .join(', ')
      return `- ${c.label}: ${signedUs(over?.median ?? Number.NaN)} a request against raw \`fetch\` in the same round without the profiler (p25–p75 ${signedUs(over?.p25 ?? Number.NaN)} to ${signedUs(over?.p75 ?? Number.NaN)}); under the profiler its own code takes ${us(sum(c.id, client))} µs (most: ${top}), and Node’s fetch following the deadline’s signal ${us(steps['signalFollow'] ?? 0)} µs.`
    })
  return [
    '## 5. Where one request’s time goes',
    '',
    'One request at a time against the loopback server of section 4, each candidate in a fresh `node` process per round',
    `(${plural(p.settings.rounds, 'round')}, the candidates alternating): ${String(p.settings.requests)} requests timed without the profiler, then ${String(p.settings.requests)} under V8’s`,
    `sampling profiler (node:inspector, a sample every ${String(p.settings.intervalUs)} µs). Each sample counts for the time since the previous one and`,
    'goes to one step: the innermost function of ours on its stack (the built files, mapped to their source files through',
    'their source maps: `document.ts`, `deadline.ts`, `signer.ts`, …) and what it called in Node (its `fetch`, a body read,',
    'the `Request` following a signal); a sample with none of our code on its stack is Node’s own work after the call,',
    'scheduling, garbage collection, native work or idle time. The table gives each step’s median over the rounds, in µs',
    'of one request (bench/src/profile.mjs). The profiler slows the process down: compare rows with each other and with',
    'the total under the profiler, and the candidates with each other; the rows without the profiler are the real times.',
    '',
    table(['step (µs per request)', ...p.candidates.map((c) => c.label)], rows),
    '',
    ...reading,
    '',
    'Raw `fetch` parses its JSON inside Node’s fetch (`json()`), so its parse is in “Node’s fetch after the call”; the',
    'client reads the text and parses it itself (“JSON parse”). The CPU row counts every thread of the client process',
    '(the server is another process): it can exceed the wall time.',
    '',
    `Our code alone, in a hot loop: \`client.request\` with a stub \`fetch\` that answers a canned response at once (no network,`,
    `everything in the CPU caches), µs per request, median of ${plural(p.settings.rounds, 'round')}. In a real request the same code runs between`,
    'Node’s fetch and the socket, with cold caches, and costs several times as much (the table above).',
    '',
    table(
      ['candidate', 'µs per request (median)', 'p25 – p75'],
      p.hot.map((h) => [h.label, `**${us(h.us.median)}**`, `${us(h.us.p25)} – ${us(h.us.p75)}`]),
    ),
    '',
  ]
}
