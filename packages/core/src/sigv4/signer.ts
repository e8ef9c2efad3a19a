import type { SignatureV4 } from '@smithy/signature-v4'
import type { AwsCredentialIdentity, HttpRequest } from '../auth/types'

/** A SHA-256 implementation, structurally smithy's `ChecksumConstructor` (an HMAC when given a secret). */
export type Sha256Constructor = new (secret?: string | ArrayBuffer | ArrayBufferView) => {
  update(data: Uint8Array | string): void
  digest(): Promise<Uint8Array>
}

export interface SignOptions {
  readonly region: string
  /** `appsync` for AppSync (not the host label `appsync-api`). */
  readonly service: string
  readonly signingDate: Date
}

/** Signs a plain request; the result carries `authorization`, `x-amz-date` and, with a session token, `x-amz-security-token`. */
export type Signer = (
  request: HttpRequest,
  credentials: AwsCredentialIdentity,
  options: SignOptions,
) => Promise<HttpRequest>

export interface SignerOptions {
  /** The SHA-256 implementation: `@aws-crypto/sha256-js` by default; Node passes its native hash. */
  readonly sha256?: Sha256Constructor | undefined
}

/**
 * SigV4 through `@smithy/signature-v4`, configured as the AWS test suite expects: no
 * `x-amz-content-sha256` header (`applyChecksum: false`) and the path escaped by the signer.
 * `host` is signed from the URL, as `fetch` will send it, and is not returned as a header.
 */
export function createSigV4Signer(options: SignerOptions = {}): Signer {
  return async (request, credentials, { region, service, signingDate }) => {
    const library = await loadSigningLibrary()
    const { accessKeyId, secretAccessKey, sessionToken } = credentials
    const signer = new library.SignatureV4({
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) },
      region,
      service,
      sha256: options.sha256 ?? library.Sha256,
      applyChecksum: false,
      uriEscapePath: true,
    })
    const { url } = request
    const query: Record<string, string | string[]> = {}
    for (const [key, value] of url.searchParams) {
      const existing = query[key]
      query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]
    }
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: safeDecodePath(url.pathname),
        query,
        headers: { ...request.headers, host: url.host },
        body: request.body,
      },
      { signingDate },
    )
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(signed.headers)) {
      if (name.toLowerCase() !== 'host') headers[name.toLowerCase()] = value
    }
    return { ...request, headers }
  }
}

interface SigningLibrary {
  readonly SignatureV4: typeof SignatureV4
  readonly Sha256: Sha256Constructor
}

let signingLibrary: Promise<SigningLibrary> | undefined

// Loaded on the first signature, not at import: clients that never sign (and servers that sign
// later) don't pay for loading the signer at start-up. A failed load is tried again next time.
function loadSigningLibrary(): Promise<SigningLibrary> {
  signingLibrary ??= Promise.all([import('@smithy/signature-v4'), import('@aws-crypto/sha256-js')]).then(
    ([smithy, sha256js]) => ({ SignatureV4: smithy.SignatureV4, Sha256: sha256js.Sha256 }),
    (error: unknown) => {
      signingLibrary = undefined
      throw error
    },
  )
  return signingLibrary
}

// The signer escapes the path itself; URL.pathname is already escaped once.
function safeDecodePath(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}
