import { defineBuildConfig } from '../../tsup.shared.ts'

export default defineBuildConfig({
  entry: {
    index: 'src/index.ts',
    // A separate entry, so bundles that don't import the adapter don't carry it.
    'amazon-cognito-identity-js': 'src/amazonCognitoIdentityJs.ts',
  },
  platform: 'browser',
})
