import { defineBuildConfig } from '../../tsup.shared.ts'

export default defineBuildConfig({ entry: { index: 'src/index.ts', internal: 'src/internal.ts' }, platform: 'neutral' })
