import { describe, expect, it } from 'vitest'
import { credentialsRefused } from './sigv4Rejections'

const refusal = (status: number, text: string, errorType?: string) => ({
  status,
  body: undefined,
  text,
  headers: new Headers(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
})

describe('credentialsRefused: an AWS service refusing the SigV4 credentials themselves', () => {
  it.each([
    ['API Gateway, expired', refusal(403, '{"message":"The security token included in the request is expired"}')],
    ['API Gateway, unknown', refusal(403, '{"message":"The security token included in the request is invalid."}')],
  ])('%s: refused', (_, answer) => {
    expect(credentialsRefused(answer)).toBe(true)
  })

  it.each([
    [
      'a signature that does not match',
      refusal(403, '{"message":"The request signature we calculated does not match"}'),
    ],
    ['a policy that denies', refusal(403, '{"message":"User is not authorized to access this resource"}')],
    ['no signature', refusal(403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException')],
    ['the same words on a 400', refusal(400, '{"message":"The security token included in the request is expired"}')],
    ['a WebSocket answer (no status)', { body: undefined, text: 'security token included in the request is expired' }],
  ])('%s: not refused', (_, answer) => {
    expect(credentialsRefused(answer)).toBe(false)
  })
})
