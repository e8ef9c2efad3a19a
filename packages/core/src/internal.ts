// `@authmode/core/internal`: what @authmode/browser and @authmode/node (and this repository's tests
// and bench) need beyond the public surface. UNSTABLE and not for apps: it may change or go in any
// release, patch releases included. Apps import `@authmode/core`, `@authmode/browser` or `@authmode/node`.
//
// Each value is typed with the public types of `@authmode/core` (imported by name, not path), so the
// published internal.d.ts refers to index.d.ts instead of sharing a declarations chunk with it.
import type { AuthMode, RefreshLock, Signer, SignerOptions } from '@authmode/core'
import { AUTH_MODES as authModes } from './auth/types'
import { inProcessLock as lock } from './identity/refreshLock'
import { createSigV4Signer as signer } from './sigv4/signer'

/** Every `AuthMode`, in the order messages list them. */
export const AUTH_MODES: readonly AuthMode[] = authModes

/** The default `RefreshLock` of `fromCognitoUserPool`: one task of a name at a time, in this process. */
export const inProcessLock: RefreshLock = lock

/** The SigV4 signer `iamMode` signs with (`sha256`: e.g. `NodeSha256` of `@authmode/node`). */
export const createSigV4Signer: (options?: SignerOptions) => Signer = signer
