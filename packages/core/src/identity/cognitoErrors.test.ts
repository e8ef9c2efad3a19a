import { describe, expect, it } from 'vitest'
import { endsCognitoSession } from './cognitoErrors'

describe('endsCognitoSession: the one list of Cognito errors that end a user pool session', () => {
  it.each([
    'NotAuthorizedException',
    'TokenRevokedException',
    'UserNotFoundException',
    'RefreshTokenReuseException',
    'PasswordResetRequiredException',
    'UserNotConfirmedException',
  ])('%s ends it', (type) => {
    expect(endsCognitoSession(type)).toBe(true)
  })

  it.each([
    'TooManyRequestsException',
    'InternalErrorException',
    'InvalidParameterException',
    'ResourceNotFoundException',
    'NetworkError',
    'TimeoutError',
    'HTTP 502',
    // Whole names only.
    'NotAuthorizedExceptionX',
    'XUserNotFoundException',
    '',
  ])('%s keeps it', (type) => {
    expect(endsCognitoSession(type)).toBe(false)
  })
})
