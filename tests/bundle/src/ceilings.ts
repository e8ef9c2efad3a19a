// Temporary min+gzip ceilings, in bytes, for entries of ours that miss their issue budget today
// (BENCHMARKS.md). An entry here is held to its ceiling, and says so in its test title; an entry not
// here is held to its budget. The table may only shrink: a test fails when a ceiling is no longer
// needed or leaves more room than the next 512 B step over the current size, and prints the sizes.
// Set from measured sizes rounded up to the next 256 B (sizes of 2026-11-26 in the comments).
// core-guest-iam has no ceiling: it is within its 12 KB budget (11897 B) and held to it.
export const ceilings: Readonly<Record<string, number>> = {
  'core-apikey': 7424, // 7335 B; budget 3072 B
  'core-userpool': 10752, // 10520 B; budget 5120 B
  'browser-all': 15360, // 15140 B; budget 13312 B
  'browser-all-subscriptions': 17920, // 17725 B; budget 17408 B
}
