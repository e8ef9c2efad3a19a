// The `iam` mode's SigV4 code, a chunk of its own: loaded on the first `iam` request (auth/iamStrategy.ts),
// so that an app that registers `iam` and never uses it does not load it. It imports nothing the
// rest of the client also uses, so that a bundler splitting it off needs no chunk shared with it.
export { signerWith } from '../sigv4/signer'
export { correctClockSkew, credentialsRefused } from './sigv4Rejections'
