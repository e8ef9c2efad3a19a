// A hand-written SVG bar chart of the run's ratios on a log scale around 1×: bars grow right when
// authmode is ahead, left when behind; a target, where the issue sets one, is a dark tick.

/**
 * @typedef {object} Bar
 * @property {string} group Section heading.
 * @property {string} label
 * @property {number} value The ratio (NaN: not measured).
 * @property {number} [target] The ratio the issue asks for (at least).
 */

const WIDTH = 960
const LABEL_WIDTH = 390
const VALUE_WIDTH = 90
const ROW = 22
const HEADING = 26
const MIN = 0.1
const MAX = 100

/**
 * @param {string} text
 * @returns {string}
 */
function escape(text) {
  return text
    .replace(/`/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

/**
 * @param {Bar[]} bars
 * @param {{ title: string, subtitle: string }} text
 * @returns {string}
 */
export function ratioChart(bars, { title, subtitle }) {
  const plotLeft = LABEL_WIDTH
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 10
  const x = (/** @type {number} */ v) =>
    plotLeft +
    ((Math.log10(Math.min(MAX, Math.max(MIN, v))) - Math.log10(MIN)) / (Math.log10(MAX) - Math.log10(MIN))) * plotWidth
  const parts = []
  let y = 56
  let group = ''
  const ticks = [0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100]
  const rows = []
  for (const bar of bars) {
    if (bar.group !== group) {
      group = bar.group
      y += 6
      rows.push(`<text x="8" y="${String(y + 16)}" class="group">${escape(group)}</text>`)
      y += HEADING
    }
    const measured = Number.isFinite(bar.value)
    const pass = bar.target === undefined ? undefined : measured && bar.value >= bar.target
    const cls = pass === undefined ? 'info' : pass ? 'pass' : 'miss'
    rows.push(`<text x="16" y="${String(y + 15)}" class="label">${escape(bar.label)}</text>`)
    if (measured) {
      const a = x(1)
      const b = x(bar.value)
      rows.push(
        `<rect x="${Math.min(a, b).toFixed(1)}" y="${String(y + 4)}" width="${Math.max(1, Math.abs(b - a)).toFixed(1)}" height="${String(ROW - 8)}" class="${cls}"/>`,
      )
    }
    if (bar.target !== undefined) {
      const t = x(bar.target)
      rows.push(
        `<line x1="${t.toFixed(1)}" x2="${t.toFixed(1)}" y1="${String(y + 1)}" y2="${String(y + ROW - 1)}" class="target"/>`,
      )
    }
    const valueText = measured ? `${bar.value >= 10 ? bar.value.toFixed(1) : bar.value.toFixed(2)}×` : 'n/a'
    const verdict = pass === undefined ? '' : pass ? ' ✓' : ' ✗'
    rows.push(
      `<text x="${String(WIDTH - VALUE_WIDTH)}" y="${String(y + 15)}" class="value">${escape(valueText + verdict)}</text>`,
    )
    y += ROW
  }
  const height = y + 40
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${String(WIDTH)}" height="${String(height)}" viewBox="0 0 ${String(WIDTH)} ${String(height)}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    '<style>',
    '.title{font-size:16px;font-weight:600;fill:#111}.sub{font-size:12px;fill:#555}.group{font-size:13px;font-weight:600;fill:#222}',
    '.label{font-size:12px;fill:#333}.value{font-size:12px;fill:#111}.axis{font-size:11px;fill:#666;text-anchor:middle}',
    '.grid{stroke:#e3e3e3}.one{stroke:#888}.target{stroke:#111;stroke-width:2.5}',
    '.pass{fill:#2e9d58}.miss{fill:#d1453b}.info{fill:#5b84c4}',
    '</style>',
    `<rect width="${String(WIDTH)}" height="${String(height)}" fill="#fff"/>`,
    `<text x="8" y="22" class="title">${escape(title)}</text>`,
    `<text x="8" y="40" class="sub">${escape(subtitle)}</text>`,
  )
  for (const t of ticks) {
    const tx = x(t).toFixed(1)
    parts.push(`<line x1="${tx}" x2="${tx}" y1="50" y2="${String(y)}" class="${t === 1 ? 'one' : 'grid'}"/>`)
    parts.push(`<text x="${tx}" y="${String(y + 16)}" class="axis">${String(t)}×</text>`)
  }
  parts.push(...rows)
  parts.push(
    `<text x="8" y="${String(y + 32)}" class="sub">green: meets the issue’s target (dark tick); red: misses it; blue: no target set. Log scale; right of 1× is authmode ahead.</text>`,
    '</svg>',
  )
  return `${parts.join('\n')}\n`
}
