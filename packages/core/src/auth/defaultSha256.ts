// The iam mode's default SHA-256, a chunk of its own: loaded beside the signer (auth/iamSigning.ts)
// only when no other hash is given, so that Node, which passes its own, never loads it.
export { Sha256 } from '@aws-crypto/sha256-js'
