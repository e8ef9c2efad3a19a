// Shared request material: an AppSync endpoint, fake temporary credentials of realistic length,
// and GraphQL bodies of exact sizes.

export const ENDPOINT = 'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'
export const REGION = 'us-east-1'
export const CONTENT_TYPE = 'application/json; charset=UTF-8'

// Not real: shaped like STS temporary credentials (a session token is several hundred characters).
export const CREDENTIALS = Object.freeze({
  accessKeyId: 'ASIAEXAMPLEEXAMPLE12',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: `IQoJb3JpZ2luX2VjEXAMPLE${'x'.repeat(700)}`,
})

const MUTATION = 'mutation Put($input: PutInput!) { put(input: $input) { id } }'

/**
 * A GraphQL JSON body of exactly `bytes` bytes (ASCII), padded in a variable.
 *
 * @param {number} bytes
 * @returns {string}
 */
export function graphqlBody(bytes) {
  const empty = JSON.stringify({ query: MUTATION, variables: { input: { id: '1', blob: '' } } })
  if (bytes < empty.length) throw new Error(`a body needs at least ${String(empty.length)} bytes`)
  return JSON.stringify({ query: MUTATION, variables: { input: { id: '1', blob: 'a'.repeat(bytes - empty.length) } } })
}

/**
 * Checks that a signer's output is a SigV4 signature with the session token signed, so a
 * candidate that silently skipped signing could not look fast.
 *
 * @param {string} id
 * @param {Record<string, string> | Headers} headers
 */
export function assertSigned(id, headers) {
  const map = new Map()
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers)
  for (const [name, value] of entries) map.set(name.toLowerCase(), value)
  const authorization = String(map.get('authorization') ?? '')
  const ok =
    authorization.startsWith(`AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/`) &&
    authorization.includes(`/${REGION}/appsync/aws4_request`) &&
    /SignedHeaders=[^,]*x-amz-security-token/.test(authorization) &&
    /Signature=[0-9a-f]{64}$/.test(authorization) &&
    map.get('x-amz-security-token') === CREDENTIALS.sessionToken
  if (!ok) throw new Error(`${id}: the prepared request is not SigV4-signed with the session token`)
}
