// Temporary min+gzip ceilings, in bytes, for entries of ours that miss their issue budget today
// (BENCHMARKS.md). An entry here is held to its ceiling, and says so in its test title; an entry not
// here is held to its budget. The table may only shrink: a test fails when a ceiling is no longer
// needed or leaves more room than the next 512 B step over the current size, and prints the sizes.
// Set from measured sizes rounded up to the next 256 B (sizes of 2026-11-26 in the comments).
// core-guest-iam (11889 B of 12 KB) and browser-all-subscriptions (17319 B of 17 KB) have no
// ceiling: they are within their budgets and held to them.
export const ceilings: Readonly<Record<string, number>> = {
  'core-apikey': 7424, // 7339 B; budget 3072 B
  'core-userpool': 10496, // 10440 B; budget 5120 B
  'browser-all': 14848, // 14643 B; budget 13312 B
}
