// The API the end-to-end tests and the demo call: one query and one mutation per mode, a type
// whose fields are restricted per mode, `whoami`, which says how the server saw the caller, and a
// subscription to the API key's mutation.
// Resolvers are unit resolvers on a NONE data source: the request template builds the answer.

export const SCHEMA = /* GraphQL */ `
  type Query {
    "API key only."
    publicNotes: [Note!]! @aws_api_key
    "Cognito user pool only."
    myProfile: Profile @aws_cognito_user_pools
    "IAM (SigV4) only."
    serviceHealth: Health @aws_iam
    "Every mode reaches the panel; each of its fields is restricted to one mode."
    panel: Panel @aws_api_key @aws_cognito_user_pools @aws_iam
    "How the server saw this request."
    whoami: Caller! @aws_api_key @aws_cognito_user_pools @aws_iam
  }

  type Mutation {
    postPublicNote(text: String!): Note @aws_api_key
    updateMyProfile(displayName: String!): Profile @aws_cognito_user_pools
    recordServiceEvent(name: String!): ServiceEvent @aws_iam
  }

  type Subscription {
    "API key: every public note posted (over the real-time WebSocket)."
    onPublicNote: Note @aws_subscribe(mutations: ["postPublicNote"]) @aws_api_key
  }

  type Panel @aws_api_key @aws_cognito_user_pools @aws_iam {
    id: ID!
    apiKeyField: String @aws_api_key
    userPoolField: String @aws_cognito_user_pools
    adminField: String @aws_cognito_user_pools(cognito_groups: ["admins"])
    iamField: String @aws_iam
  }

  type Note @aws_api_key {
    id: ID!
    text: String!
    authType: String!
  }

  type Profile @aws_cognito_user_pools {
    username: String!
    displayName: String
    groups: [String!]
  }

  type Health @aws_iam {
    status: String!
    userArn: String!
  }

  type ServiceEvent @aws_iam {
    id: ID!
    name: String!
    userArn: String!
  }

  type Caller @aws_api_key @aws_cognito_user_pools @aws_iam {
    "As $util.authType() says: 'API Key Authorization', 'User Pool Authorization' or 'IAM Authorization'."
    authType: String!
    username: String
    issuer: String
    tokenUse: String
    audience: String
    groups: [String!]
    userArn: String
  }
`

/** `$util.authType()` answers, by client mode. */
export const AUTH_TYPE = {
  apiKey: 'API Key Authorization',
  userPool: 'User Pool Authorization',
  iam: 'IAM Authorization',
} as const

const DATA_SOURCE = 'StaticData'

// A NONE data source returns the request template's `payload` as the result.
const payload = (body: string): string => `{"version": "2018-05-29", "payload": ${body}}`
const RESPONSE = '$util.toJson($ctx.result)'

const TEMPLATES: Record<string, Record<string, string>> = {
  Query: {
    publicNotes: payload(
      '[{"id": "n1", "text": "Welcome, guest", "authType": "$util.authType()"}, {"id": "n2", "text": "Read-only for API keys", "authType": "$util.authType()"}]',
    ),
    myProfile: `#set($groups = $ctx.identity.claims.get("cognito:groups"))
${payload('{"username": $util.toJson($ctx.identity.username), "displayName": null, "groups": $util.toJson($groups)}')}`,
    serviceHealth: payload('{"status": "ok", "userArn": $util.toJson($ctx.identity.userArn)}'),
    panel: payload(
      '{"id": "panel-1", "apiKeyField": "for API keys", "userPoolField": "for signed-in users", "adminField": "for admins", "iamField": "for IAM callers"}',
    ),
    whoami: `#set($caller = {"authType": $util.authType()})
#if(!$util.isNull($ctx.identity) && !$util.isNull($ctx.identity.claims))
  $util.qr($caller.put("username", $ctx.identity.username))
  $util.qr($caller.put("issuer", $ctx.identity.issuer))
  $util.qr($caller.put("tokenUse", $ctx.identity.claims.get("token_use")))
  $util.qr($caller.put("audience", $ctx.identity.claims.get("aud")))
  $util.qr($caller.put("groups", $ctx.identity.claims.get("cognito:groups")))
#end
#if(!$util.isNull($ctx.identity) && !$util.isNull($ctx.identity.userArn))
  $util.qr($caller.put("userArn", $ctx.identity.userArn))
#end
${payload('$util.toJson($caller)')}`,
  },
  Mutation: {
    postPublicNote: payload(
      '{"id": "$util.autoId()", "text": $util.toJson($ctx.args.text), "authType": "$util.authType()"}',
    ),
    updateMyProfile: `#set($groups = $ctx.identity.claims.get("cognito:groups"))
${payload('{"username": $util.toJson($ctx.identity.username), "displayName": $util.toJson($ctx.args.displayName), "groups": $util.toJson($groups)}')}`,
    recordServiceEvent: payload(
      '{"id": "$util.autoId()", "name": $util.toJson($ctx.args.name), "userArn": $util.toJson($ctx.identity.userArn)}',
    ),
  },
}

/** Resolvers, data sources and mapping templates for the simulator's `init`. */
export function simulatorResolvers(): {
  dataSources: { name: string; type: 'NONE' }[]
  resolvers: {
    typeName: string
    fieldName: string
    dataSourceName: string
    requestMappingTemplateLocation: string
    responseMappingTemplateLocation: string
  }[]
  mappingTemplates: { path: string; content: string }[]
} {
  const resolvers = []
  const mappingTemplates = [{ path: 'response.vtl', content: RESPONSE }]
  for (const [typeName, fields] of Object.entries(TEMPLATES)) {
    for (const [fieldName, template] of Object.entries(fields)) {
      const path = `${typeName}.${fieldName}.req.vtl`
      mappingTemplates.push({ path, content: template })
      resolvers.push({
        typeName,
        fieldName,
        dataSourceName: DATA_SOURCE,
        requestMappingTemplateLocation: path,
        responseMappingTemplateLocation: 'response.vtl',
      })
    }
  }
  return { dataSources: [{ name: DATA_SOURCE, type: 'NONE' }], resolvers, mappingTemplates }
}
