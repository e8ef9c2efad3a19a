import { describe, expect, it } from 'vitest'
import { encodeHeader } from './authHeader'
import { realtimeUrl } from './realtimeUrl'

const url = (endpoint: string): string => realtimeUrl(new URL(endpoint)).href

describe('realtimeUrl', () => {
  it.each([
    [
      'https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql',
      'wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.us-east-1.amazonaws.com/graphql',
    ],
    [
      'https://abcdefghijklmnopqrstuvwxyz.appsync-api.cn-north-1.amazonaws.com.cn/graphql',
      'wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.cn-north-1.amazonaws.com.cn/graphql',
    ],
    // a custom domain: same host, /graphql/realtime
    ['https://api.example.com/graphql', 'wss://api.example.com/graphql/realtime'],
    ['https://api.example.com:8443/graphql?x=1#y', 'wss://api.example.com:8443/graphql/realtime'],
    // a local endpoint over http
    ['http://127.0.0.1:20002/graphql', 'ws://127.0.0.1:20002/graphql/realtime'],
    // not an AppSync host, whatever it looks like
    [
      'https://x.appsync-api.us-east-1.amazonaws.com.evil.example/graphql',
      'wss://x.appsync-api.us-east-1.amazonaws.com.evil.example/graphql/realtime',
    ],
  ])('%s → %s', (endpoint, expected) => {
    expect(url(endpoint)).toBe(expected)
  })

  it('`realtimeEndpoint` wins, as a copy (the legacy form adds its query to it)', () => {
    const override = new URL('wss://realtime.example.com/graphql?x=1')
    const result = realtimeUrl(
      new URL('https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql'),
      override,
    )
    expect(result.href).toBe(override.href)
    expect(result).not.toBe(override)
  })
})

describe('encodeHeader', () => {
  const header = { host: 'example.com', 'x-api-key': 'da2-ü?>>' }

  it('base64url without padding for the subprotocol, plain base64 for the query; both JSON in UTF-8', () => {
    const urlSafe = encodeHeader(header, true)
    const plain = encodeHeader(header, false)
    expect(urlSafe).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(plain).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(JSON.parse(Buffer.from(urlSafe, 'base64url').toString('utf8'))).toEqual(header)
    expect(JSON.parse(Buffer.from(plain, 'base64').toString('utf8'))).toEqual(header)
  })
})
