import { defineBuildConfig } from '../../tsup.shared.ts'

export default defineBuildConfig({
  entry: { index: 'src/index.ts', internal: 'src/internal.ts', sigv4: 'src/sigv4.ts', cookies: 'src/cookies.ts' },
  platform: 'neutral',
  // The unstable entries' types on their own, so that none of them is in the public index.d.ts.
  ownTypes: ['internal', 'sigv4', 'cookies'],
})
