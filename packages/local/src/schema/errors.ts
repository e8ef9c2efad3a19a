import type { GraphQLResolveInfo } from 'graphql'

/** An error a resolver raises with AppSync's `errorType` (`Unauthorized`, `DynamoDB:ConditionalCheckFailedException`, …). */
export class ResolverError extends Error {
  readonly errorType: string
  constructor(errorType: string, message: string) {
    super(message)
    this.name = 'ResolverError'
    this.errorType = errorType
  }
}

/** AppSync's field-level denial. */
export function notAuthorized(info: Pick<GraphQLResolveInfo, 'fieldName' | 'parentType'>): ResolverError {
  return new ResolverError('Unauthorized', `Not Authorized to access ${info.fieldName} on type ${info.parentType.name}`)
}

export function conditionalCheckFailed(): ResolverError {
  return new ResolverError('DynamoDB:ConditionalCheckFailedException', 'The conditional request failed')
}
