// `@authmode/core/sigv4`: our SigV4 signer on its own, for this repository's tests and bench and for
// `@authmode/node`'s. UNSTABLE, like `@authmode/core/internal`: it may change in any release. An
// entry of its own so that nothing else pulls the signer into a bundle: the `iam` mode loads it as
// a separate chunk on its first request.
export { createSigV4Signer } from './sigv4/createSigV4Signer'
export type { Sha256Constructor, Signer, SignerOptions, SignOptions } from './sigv4/signer'
