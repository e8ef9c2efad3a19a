import { defineBuildConfig } from '../../tsup.shared.ts'

export default defineBuildConfig({
  entry: { index: 'src/index.ts', internal: 'src/internal.ts' },
  platform: 'neutral',
  // The internal entry's types on their own, so that none of them is in the public index.d.ts.
  ownTypes: ['internal'],
})
