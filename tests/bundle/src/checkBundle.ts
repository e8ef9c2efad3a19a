// The bundle checker: a plain function from a measured browser bundle (and the rules it must keep)
// to the list of what it breaks. The budget tests and the checker's self-test both call it.
import { builtinModules } from 'node:module'

/** What a bundle breaks: its size limit, or a bleed of code that has no place in it. */
export interface Violation {
  readonly kind: 'size' | 'sigv4' | 'node' | 'metadata-address'
  readonly message: string
}

/** What the checker reads of a measured bundle (`measureBundle` of bench/src/bundle.mjs returns it). */
export interface BundleFacts {
  /** Bytes after minification and gzip level 9. */
  readonly gzip: number
  /** The minified bundle. */
  readonly text: string
  /** The input files that put bytes into the bundle. */
  readonly included: readonly string[]
  /** Imports the bundle keeps as imports (left external). */
  readonly externalImports: readonly string[]
}

/** A min+gzip limit: the budget, or a temporary ceiling while that budget is missed. */
export interface SizeLimit {
  readonly bytes: number
  readonly kind: 'budget' | 'ceiling'
}

export interface BundleRules {
  /** No limit: the size is not checked. */
  readonly limit?: SizeLimit
  /** The bundle must hold no SigV4 code (the API-key-only entry). */
  readonly noSigV4?: boolean
}

// Strings only SigV4 code writes. `x-amz-security-token` is left out on purpose: core names it in
// every mode, in the credential headers it strips from user headers and redacts from server
// messages, so it is no sign of a signer.
const SIGV4_MARKERS = ['AWS4-HMAC-SHA256', 'aws4_request', 'SignedHeaders=']
const SIGV4_INPUTS = /@smithy[\\/]signature-v4[\\/]|@aws-crypto[\\/]sha256-|[\\/]sigv4[\\/]/

// EC2 instance metadata (IPv4 and IPv6) and the ECS task credentials endpoint: a browser never
// reaches them, so their presence means server credential code was bundled.
const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '169.254.170.2']

// A module specifier string naming a Node built-in, as bundlers leave it: `from"node:fs"`, `import('node:os')`.
const NODE_SPECIFIER = /["'`]node:[a-z_/]+["'`]/
const NODE_BUILTINS = new Set(builtinModules)
// Packages (and our own package) that only run on Node.
const NODE_ONLY_INPUTS =
  /(?:^|[\\/])packages[\\/]node[\\/]|@aws-sdk[\\/]credential-provider-(?:node|ini|process|sso|login)[\\/]|@smithy[\\/](?:credential-provider-imds|node-http-handler|hash-node|shared-ini-file-loader|node-config-provider)[\\/]/

/**
 * Checks a measured browser bundle: its min+gzip size against `rules.limit`, no SigV4 code when
 * `rules.noSigV4`, and always no Node built-in imports, no Node-only modules and no EC2/ECS
 * metadata address.
 *
 * @example
 * ```ts
 * const bundle = await measureEntry("import { createClient } from '@authmode/core'; …")
 * expect(checkBundle(bundle, { limit: { bytes: 3 * 1024, kind: 'budget' }, noSigV4: true })).toEqual([])
 * ```
 */
export function checkBundle(bundle: BundleFacts, rules: BundleRules = {}): Violation[] {
  const violations: Violation[] = []
  const { limit } = rules
  if (limit && bundle.gzip > limit.bytes) {
    const what = limit.kind === 'budget' ? 'the issue budget' : 'the temporary ceiling'
    violations.push({
      kind: 'size',
      message: `${String(bundle.gzip)} B min+gzip is over ${what} of ${String(limit.bytes)} B by ${String(bundle.gzip - limit.bytes)} B`,
    })
  }

  if (rules.noSigV4) {
    for (const marker of SIGV4_MARKERS) {
      if (bundle.text.includes(marker)) {
        violations.push({ kind: 'sigv4', message: `the bundle holds SigV4 code: its text contains "${marker}"` })
      }
    }
    const signers = bundle.included.filter((file) => SIGV4_INPUTS.test(file))
    if (signers.length > 0)
      violations.push({ kind: 'sigv4', message: `the bundle holds SigV4 modules: ${list(signers)}` })
  }

  for (const specifier of new Set(bundle.externalImports)) {
    if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier)) {
      violations.push({ kind: 'node', message: `the bundle imports the Node built-in "${specifier}"` })
    }
  }
  const specifier = NODE_SPECIFIER.exec(bundle.text)?.[0]
  if (specifier) violations.push({ kind: 'node', message: `the bundle text names the Node module ${specifier}` })
  const nodeOnly = bundle.included.filter((file) => NODE_ONLY_INPUTS.test(file))
  if (nodeOnly.length > 0)
    violations.push({ kind: 'node', message: `the bundle holds Node-only modules: ${list(nodeOnly)}` })

  for (const address of METADATA_ADDRESSES) {
    if (bundle.text.includes(address)) {
      violations.push({ kind: 'metadata-address', message: `the bundle contains the metadata address ${address}` })
    }
  }
  return violations
}

/** A few files, then how many more: a bundle of the wrong entry can pull in hundreds. */
function list(files: readonly string[]): string {
  const shown = files.slice(0, 4).map((file) => file.replace(/^.*node_modules[\\/]/, ''))
  return files.length > shown.length
    ? `${shown.join(', ')} and ${String(files.length - shown.length)} more`
    : shown.join(', ')
}

/** A measured entry of ours with its issue budget, for {@link checkCeilings}. */
export interface MeasuredEntry {
  readonly id: string
  readonly gzip: number
  readonly budgetGzip: number
}

/** The smallest multiple of 512 B above `bytes`: a ceiling may leave no more room than that. */
export function nextStep512(bytes: number): number {
  return (Math.floor(bytes / 512) + 1) * 512
}

/** A new ceiling for a size: rounded up to the next 256 B. */
export function suggestedCeiling(bytes: number): number {
  return Math.ceil(bytes / 256) * 256
}

/**
 * What is wrong with the table of temporary ceilings, so that it shrinks as the bundles do: a
 * ceiling for no measured entry, one for an entry that now meets its budget, one at or under the
 * budget, and one above the next 512 B step over the entry's current size (loose).
 *
 * @example
 * ```ts
 * checkCeilings([{ id: 'core-apikey', gzip: 2900, budgetGzip: 3072 }], { 'core-apikey': 9216 })
 * // ['core-apikey: 2900 B min+gzip meets its issue budget of 3072 B: remove its ceiling (9216 B)']
 * ```
 */
export function checkCeilings(
  measured: readonly MeasuredEntry[],
  ceilings: Readonly<Record<string, number>>,
): string[] {
  const problems: string[] = []
  for (const [id, ceiling] of Object.entries(ceilings)) {
    const entry = measured.find((candidate) => candidate.id === id)
    if (!entry) {
      problems.push(`${id}: a ceiling (${String(ceiling)} B) for no measured entry: remove it`)
      continue
    }
    const { gzip, budgetGzip } = entry
    const size = `${String(gzip)} B min+gzip`
    if (gzip <= budgetGzip) {
      problems.push(
        `${id}: ${size} meets its issue budget of ${String(budgetGzip)} B: remove its ceiling (${String(ceiling)} B)`,
      )
    } else if (ceiling <= budgetGzip) {
      problems.push(
        `${id}: its ceiling ${String(ceiling)} B is not above its issue budget of ${String(budgetGzip)} B: a ceiling only relaxes a missed budget; remove it`,
      )
    } else if (ceiling > nextStep512(gzip)) {
      problems.push(
        `${id}: its ceiling ${String(ceiling)} B is loose for ${size} (more than the next 512 B step, ${String(nextStep512(gzip))} B): lower it to ${String(suggestedCeiling(gzip))} B`,
      )
    }
  }
  return problems
}
