import { Sha256 } from '@aws-crypto/sha256-js'
import { signerWith, type Signer, type SignerOptions } from './signer'

/**
 * SigV4 (`AWS4-HMAC-SHA256`) in headers, as the AWS SDK signs (@smithy/signature-v4): `host`
 * signed from the URL (as `fetch` will send it) and not returned, the session token signed, the
 * payload hash over the body's exact bytes (a string's UTF-8, a `Uint8Array` as it is) unless the
 * request carries an `x-amz-content-sha256` (added only for S3). Each signer keeps its last derived
 * signing key (it changes daily), so a request costs two SHA-256 and one HMAC.
 *
 * It imports none of the client's errors (the iam mode loads it as a chunk of its own): the iam
 * mode checks credentials before signing and reports a query that does not decode (a `URIError`
 * here) as a `ConfigurationError`; called directly, an invalid `signingDate` is a `RangeError`.
 *
 * @example
 * ```ts
 * import { createSigV4Signer } from '@authmode/core/sigv4'
 * const sign = createSigV4Signer()
 * const signed = await sign(
 *   { method: 'POST', url: new URL(endpoint), headers: { 'content-type': 'application/json' }, body },
 *   credentials,
 *   { region: 'us-east-1', service: 'appsync', signingDate: new Date() },
 * )
 * ```
 */
export function createSigV4Signer(options: SignerOptions = {}): Signer {
  return signerWith(options.sha256 ?? Sha256)
}
