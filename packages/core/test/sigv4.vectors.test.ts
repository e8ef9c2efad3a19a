// The official AWS SigV4 test suite (31 vectors, see fixtures/sigv4-suite/README.md), signed
// through the project's own signer configuration and compared with each vector's `.authz`.
import { readFileSync, readdirSync } from 'node:fs'
import { basename, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { HttpRequest } from '../src/auth/types'
import { createSigV4Signer } from '../src/sigv4/createSigV4Signer'

const SUITE_DIR = fileURLToPath(new URL('./fixtures/sigv4-suite/', import.meta.url))

// The suite's constants (not in the vector files).
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } as const
const REGION = 'us-east-1'
const SERVICE = 'service'
const TOKEN_HEADER = 'x-amz-security-token'

interface Vector {
  /** Path relative to the suite, e.g. `normalize-path/get-space`. */
  readonly name: string
  readonly dir: string
  readonly stem: string
}

/** Every folder that holds `<folder name>.req` is a vector. */
function discoverVectors(dir: string): Vector[] {
  const found: Vector[] = []
  const entries = readdirSync(dir, { withFileTypes: true })
  const stem = basename(dir)
  if (entries.some((entry) => entry.isFile() && entry.name === `${stem}.req`)) {
    found.push({ name: relative(SUITE_DIR, dir).split(sep).join('/'), dir, stem })
  }
  for (const entry of entries) {
    if (entry.isDirectory()) found.push(...discoverVectors(join(dir, entry.name)))
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function readVectorFile(vector: Vector, extension: string): string {
  return readFileSync(join(vector.dir, `${vector.stem}.${extension}`), 'utf8')
}

interface RawRequest {
  readonly method: string
  /** The request target exactly as written on the request line (path and optional query). */
  readonly target: string
  /** Lower-case names in first-seen order; values as written (continuation lines and repeated names joined with `,`). */
  readonly headers: ReadonlyMap<string, string>
  readonly body: string | undefined
}

/**
 * Parses a suite `.req`/`.sreq`: `METHOD TARGET HTTP/1.1`, `Name:value` lines, a line starting with
 * whitespace continuing the previous header, then (only with a body) an empty line and the body.
 */
function parseRawRequest(text: string): RawRequest {
  const lines = text.split('\n')
  const requestLine = lines[0] ?? ''
  const firstSpace = requestLine.indexOf(' ')
  const lastSpace = requestLine.lastIndexOf(' ')
  if (firstSpace <= 0 || lastSpace <= firstSpace || !requestLine.slice(lastSpace + 1).startsWith('HTTP/')) {
    throw new Error(`bad request line: ${requestLine}`)
  }
  // The target may itself hold a space (normalize-path/get-space).
  const method = requestLine.slice(0, firstSpace)
  const target = requestLine.slice(firstSpace + 1, lastSpace)

  const parts = new Map<string, string[]>()
  let current: string[] | undefined
  let index = 1
  for (; index < lines.length; index++) {
    const line = lines[index] ?? ''
    if (line === '') break
    if (/^[ \t]/.test(line)) {
      if (current === undefined) throw new Error(`continuation line without a header: ${line}`)
      current.push(line.trim())
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) throw new Error(`bad header line: ${line}`)
    const name = line.slice(0, colon).toLowerCase()
    const value = line.slice(colon + 1)
    const existing = parts.get(name)
    if (existing === undefined) parts.set(name, [value])
    else existing.push(value)
    current = parts.get(name)
  }
  const headers = new Map<string, string>()
  for (const [name, values] of parts) headers.set(name, values.join(','))
  const body = index < lines.length ? lines.slice(index + 1).join('\n') : undefined
  return { method, target, headers, body }
}

/**
 * The URL the signer reads (`host`, `pathname`, `search`), with the path and query exactly as the
 * vector writes them. The suite's paths are not percent-encoded (`/ሴ`, `/example space/`) and it
 * expects them escaped once, as @smithy/signature-v4's own copy of the suite passes them (`path:
 * '/ሴ'`). `new URL` would encode them first, and a path as sent is escaped once more for every
 * service but S3 (AWS's double encoding: `/%E1%88%B4` signs as `/%25E1%2588%25B4`), so the vectors
 * hand the signer the path as written.
 */
function vectorUrl(host: string, target: string): URL {
  const query = target.indexOf('?')
  const pathname = query < 0 ? target : target.slice(0, query)
  const search = query < 0 ? '' : target.slice(query)
  // Only what the signer reads; a real URL cannot hold an unencoded path.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- see above
  return { host, pathname, search } as URL
}

/** `20150830T123600Z` → Date. */
function parseAmzDate(value: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (!match) throw new Error(`bad X-Amz-Date: ${value}`)
  const [, year, month, day, hour, minute, second] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second))
}

/** The example session token, from `post-sts-token/readme.txt` (the last non-empty line). */
function readSessionToken(): string {
  const readme = readFileSync(join(SUITE_DIR, 'post-sts-token', 'readme.txt'), 'utf8')
  const token = readme
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .at(-1)
  if (!token?.startsWith('AQoDYXdzEPT')) throw new Error('session token not found in post-sts-token/readme.txt')
  return token
}

/**
 * How each post-sts-token vector uses the token (post-sts-token/readme.txt): `before` — the
 * X-Amz-Security-Token header is part of the canonical request; `after` — it is added to the request
 * after the signature is calculated, so it is not signed.
 */
const STS_TOKEN_USE: Readonly<Record<string, 'before' | 'after'>> = {
  'post-sts-token/post-sts-header-before': 'before',
  'post-sts-token/post-sts-header-after': 'after',
}

const vectors = discoverVectors(SUITE_DIR)
const sessionToken = readSessionToken()
const sign = createSigV4Signer()

describe('AWS SigV4 test suite (createSigV4Signer)', () => {
  it('finds exactly the 31 vectors of the suite', () => {
    expect(vectors).toHaveLength(31)
    for (const name of Object.keys(STS_TOKEN_USE)) expect(vectors.map((vector) => vector.name)).toContain(name)
  })

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', async (name, vector) => {
    const raw = parseRawRequest(readVectorFile(vector, 'req'))
    const host = raw.headers.get('host')
    const amzDate = raw.headers.get('x-amz-date')
    if (host === undefined || amzDate === undefined) throw new Error(`${name}: the request has no Host or X-Amz-Date`)

    // The project's request shape: host travels in the URL (signed from url.host), other headers lower-case.
    const headers: Record<string, string> = {}
    for (const [headerName, value] of raw.headers) if (headerName !== 'host') headers[headerName] = value
    const request: HttpRequest = { method: raw.method, url: vectorUrl(host, raw.target), headers, body: raw.body }

    const tokenUse = STS_TOKEN_USE[name]
    if (name.startsWith('post-sts-token/')) expect(tokenUse, `${name}: unknown post-sts-token vector`).toBeDefined()
    if (tokenUse === 'before') expect(headers[TOKEN_HEADER]).toBe(sessionToken)
    const credentials = tokenUse === 'before' ? { ...CREDENTIALS, sessionToken } : { ...CREDENTIALS }

    const signed = await sign(request, credentials, {
      region: REGION,
      service: SERVICE,
      signingDate: parseAmzDate(amzDate),
    })
    const finalHeaders: Record<string, string> =
      tokenUse === 'after' ? { ...signed.headers, [TOKEN_HEADER]: sessionToken } : { ...signed.headers }

    expect(signed.headers['authorization']).toBe(readVectorFile(vector, 'authz'))
    if (tokenUse === 'after') expect(signed.headers['authorization']).not.toContain(TOKEN_HEADER)

    // The request as sent matches the suite's signed request (`.sreq`) header for header.
    const expected = parseRawRequest(readVectorFile(vector, 'sreq'))
    const sent = new Map(Object.entries({ host: request.url.host, ...finalHeaders }))
    const trimValues = (map: ReadonlyMap<string, string>): Record<string, string> =>
      Object.fromEntries([...map].map(([headerName, value]) => [headerName, value.trim()]))
    expect(trimValues(sent)).toEqual(trimValues(expected.headers))
    expect(signed.body).toBe(expected.body)
  })
})
