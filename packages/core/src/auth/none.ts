import type { AuthModeDefinition } from './definition'

/** The `none` mode: no credential at all (for public proxies and local endpoints). */
export const noneMode: AuthModeDefinition = {
  mode: 'none',
  option: 'authMode',
  create: () => ({
    mode: 'none',
    resolveIdentity: () => Promise.resolve(null),
    refreshAfterRejection: () => Promise.resolve(null),
    authorize: (request) => Promise.resolve(request),
  }),
}
