import { defineBuildConfig } from '../../tsup.shared.ts'

export default defineBuildConfig({
  entry: { index: 'src/index.ts', unsupported: 'src/unsupported.ts' },
  platform: 'node',
})
