// A Lambda function that calls an AppSync API with IAM: the request is signed (SigV4) with the
// function's own role, whose temporary credentials Lambda puts in the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). @authmode/node finds them through
// the AWS SDK's default credential chain, loaded on the first signed request; nothing here names
// them.
import { createClient, GraphQLResponseError, isAuthmodeError } from '@authmode/node'

const RECORD_EVENT = /* GraphQL */ `
  mutation RecordServiceEvent($input: CreateServiceEventInput!) {
    createServiceEvent(input: $input) {
      id
      name
      source
    }
  }
`

interface RecordedEvent {
  readonly id: string
  readonly name: string
  readonly source: string
}

/** What the function is invoked with. */
export interface ServiceEventInput {
  readonly name: string
}

export type HandlerResult =
  | { readonly ok: true; readonly event: RecordedEvent }
  | { readonly ok: false; readonly code: string; readonly message: string }

/** The part of Lambda's context object this handler reads. */
export interface LambdaContext {
  readonly functionName: string
  readonly awsRequestId: string
}

// Created once per execution environment (at cold start) and reused by every warm invocation,
// with its credentials: no `credentials` and no `authMode` given, so the client signs with IAM.
const client = createClient({
  endpoint: requiredEnv('APPSYNC_ENDPOINT'),
  // Read from the endpoint for *.appsync-api.<region>.amazonaws.com; needed for a custom domain.
  region: process.env['APPSYNC_REGION'],
})

export async function handler(event: ServiceEventInput, context: LambdaContext): Promise<HandlerResult> {
  if (typeof event.name !== 'string' || event.name === '') {
    return { ok: false, code: 'BAD_INPUT', message: 'The event needs a non-empty `name`.' }
  }
  try {
    const data = await client.request<{ createServiceEvent: RecordedEvent }>(RECORD_EVENT, {
      input: { name: event.name, source: `${context.functionName}/${context.awsRequestId}` },
    })
    return { ok: true, event: data.createServiceEvent }
  } catch (error) {
    // Typed errors carry no secret, so they can be returned and logged as they are.
    if (error instanceof GraphQLResponseError) {
      return { ok: false, code: error.code, message: error.errors.map((e) => e.message).join('; ') }
    }
    if (isAuthmodeError(error)) return { ok: false, code: error.code, message: error.message }
    throw error
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name]
  if (value === undefined || value === '') throw new Error(`Set ${name} in the function's environment.`)
  return value
}
