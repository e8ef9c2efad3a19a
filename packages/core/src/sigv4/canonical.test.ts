import { describe, expect, it } from 'vitest'
import { canonicalHeaders, canonicalPath, canonicalQuery, escape, hex } from './canonical'

describe('escape', () => {
  it('escapes everything but RFC 3986 unreserved characters, UTF-8 percent-encoded in upper case', () => {
    expect(escape("AZaz09-._~ !'()*/+=&€😀")).toBe('AZaz09-._~%20%21%27%28%29%2A%2F%2B%3D%26%E2%82%AC%F0%9F%98%80')
  })
})

describe('canonicalPath', () => {
  it.each([
    ['/graphql', '/graphql'],
    ['/', '/'],
    ['', '/'],
    ['/a/./b/../c', '/a/c'],
    ['/../a', '/a'],
    ['//a//b/', '/a/b/'],
    ['/a/', '/a/'],
    ['/example%20space/', '/example%20space/'],
    ['/example space/', '/example%20space/'],
    ['/%E2%82%AC', '/%E2%82%AC'],
    ["/!'()*", '/%21%27%28%29%2A'],
    ['/%2520', '/%2520'],
    ['/a%2Fb', '/a/b'],
    ['/%ZZ', '/%25ZZ'],
  ])('%j signs as %j', (pathname, canonical) => {
    expect(canonicalPath(pathname)).toBe(canonical)
  })
})

describe('canonicalQuery', () => {
  const query = (search: string): string => canonicalQuery(new URLSearchParams(search))

  it('is empty without parameters', () => {
    expect(query('')).toBe('')
  })

  it('sorts by name, then by value, and gives a name without a value an empty one', () => {
    expect(query('b=2&a=1&a=0&c')).toBe('a=0&a=1&b=2&c=')
  })

  it('sorts by escaped name first, so `a` comes before `a-b` although `-` sorts before `=`', () => {
    expect(query('a-b=1&a=2')).toBe('a=2&a-b=1')
  })

  it('escapes names and values once (RFC 3986), with `+` read as a space', () => {
    expect(query('sp%20ace=%20&*=!&a+b=c+d&e=%E2%82%AC')).toBe('%2A=%21&a%20b=c%20d&e=%E2%82%AC&sp%20ace=%20')
  })

  it('leaves out an X-Amz-Signature parameter, whatever its case', () => {
    expect(query('X-Amz-Signature=abc&a=1&x-amz-signature=def')).toBe('a=1')
  })
})

describe('canonicalHeaders', () => {
  it('adds host, sorts by name and collapses whitespace in values', () => {
    const [names, lines] = canonicalHeaders(
      { 'x-b': '  a   b\t\tc  ', 'x-a': 'v', 'x-c': 'one\r\n two', 'x-d': '' },
      'api.example.com',
    )
    expect(names).toBe('host;x-a;x-b;x-c;x-d')
    expect(lines).toBe('host:api.example.com\nx-a:v\nx-b:a b c\nx-c:one two\nx-d:\n')
  })

  it('leaves out the headers the AWS SDK never signs, and proxy-* and sec-* headers', () => {
    const unsigned = [
      'authorization',
      'cache-control',
      'connection',
      'expect',
      'from',
      'keep-alive',
      'max-forwards',
      'pragma',
      'referer',
      'te',
      'trailer',
      'transfer-encoding',
      'upgrade',
      'user-agent',
      'x-amzn-trace-id',
      'proxy-authorization',
      'sec-fetch-mode',
    ]
    const headers = Object.fromEntries(
      [...unsigned, 'content-type', 'tex', 'x-amz-user-agent'].map((name) => [name, 'v']),
    )
    expect(canonicalHeaders(headers, 'h')[0]).toBe('content-type;host;tex;x-amz-user-agent')
  })
})

describe('hex', () => {
  it('writes lower-case hex, two digits a byte', () => {
    expect(hex(new Uint8Array([0, 1, 15, 16, 171, 255]))).toBe('00010f10abff')
    expect(hex(new Uint8Array())).toBe('')
  })
})
