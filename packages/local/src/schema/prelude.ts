// What AppSync and the Amplify transformer declare for every schema: the AWS scalars and the
// authorization and model directives. Each is added only where the schema does not declare it.

export const AWS_SCALARS: readonly string[] = [
  'AWSDate',
  'AWSTime',
  'AWSDateTime',
  'AWSTimestamp',
  'AWSEmail',
  'AWSJSON',
  'AWSURL',
  'AWSPhone',
  'AWSIPAddress',
]

/** Directive definitions by directive name. */
export const PRELUDE_DIRECTIVES: Readonly<Record<string, string>> = {
  model:
    'directive @model(queries: AWSJSON, mutations: AWSJSON, subscriptions: AWSJSON, timestamps: AWSJSON) on OBJECT',
  auth: 'directive @auth(rules: [AuthRule!]!) on OBJECT | FIELD_DEFINITION',
  index: 'directive @index(name: String, sortKeyFields: [String], queryField: String) repeatable on FIELD_DEFINITION',
  aws_api_key: 'directive @aws_api_key on OBJECT | FIELD_DEFINITION',
  aws_iam: 'directive @aws_iam on OBJECT | FIELD_DEFINITION',
  aws_oidc: 'directive @aws_oidc on OBJECT | FIELD_DEFINITION',
  aws_lambda: 'directive @aws_lambda on OBJECT | FIELD_DEFINITION',
  aws_cognito_user_pools: 'directive @aws_cognito_user_pools(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION',
}

/** Type definitions by type name. */
export const PRELUDE_TYPES: Readonly<Record<string, string>> = {
  AuthRule: `input AuthRule {
  allow: AuthStrategy!
  provider: AuthProvider
  ownerField: String
  identityClaim: String
  groupClaim: String
  groups: [String]
  groupsField: String
  operations: [ModelOperation]
}`,
  AuthStrategy: 'enum AuthStrategy { owner groups private public custom }',
  // identityPool: Amplify Gen 2's name for iam.
  AuthProvider: 'enum AuthProvider { apiKey iam identityPool oidc userPools function }',
  ModelOperation: 'enum ModelOperation { create update delete read get list sync listen search }',
}
