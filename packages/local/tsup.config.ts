import { defineBuildConfig } from '../../tsup.shared.ts'

export default defineBuildConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  platform: 'node',
})
