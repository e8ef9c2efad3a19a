import { describe, expect, it } from 'vitest'
import { canonicalHeaders, canonicalPath, canonicalQuery, escape, hex } from './canonical'

describe('escape', () => {
  it('escapes everything but RFC 3986 unreserved characters, UTF-8 percent-encoded in upper case', () => {
    expect(escape("AZaz09-._~ !'()*/+=&€😀")).toBe('AZaz09-._~%20%21%27%28%29%2A%2F%2B%3D%26%E2%82%AC%F0%9F%98%80')
  })
})

describe('canonicalPath', () => {
  // Paths as `URL.pathname` holds them: percent-encoded once.
  it.each([
    ['/graphql', '/graphql'],
    ['/', '/'],
    ['/a/./b/../c', '/a/c'],
    ['/../a', '/a'],
    ['//a//b/', '/a/b/'],
    ['//', '/'],
    ['/a/', '/a/'],
    ['/example%20space/', '/example%2520space/'],
    ['/%E2%82%AC', '/%25E2%2582%25AC'],
    ["/!'()*", '/%21%27%28%29%2A'],
    ['/%2520', '/%252520'],
    ['/a%2Fb', '/a%252Fb'],
    ['/a%2F../b', '/a%252F../b'],
    ['/%ZZ', '/%25ZZ'],
    ['/%E2%82', '/%25E2%2582'],
  ])('%j signs as %j for every service but S3 (escaped once more, not decoded)', (pathname, canonical) => {
    expect(canonicalPath(pathname, false)).toBe(canonical)
  })

  it.each(['/', '//a//b/', '/a/./b/../c', '/example%20space/', '/a%2Fb', '/%E2%82'])(
    '%j signs as it is for S3',
    (pathname) => {
      expect(canonicalPath(pathname, true)).toBe(pathname)
    },
  )
})

describe('canonicalQuery', () => {
  it('sorts by name, then by value, and gives a name without a value an empty one', () => {
    expect(canonicalQuery('?b=2&a=1&a=0&c&d=')).toBe('a=0&a=1&b=2&c=&d=')
  })

  it('sorts by escaped name first, so `a` comes before `a-b` although `-` sorts before `=`', () => {
    expect(canonicalQuery('?a-b=1&a=2')).toBe('a=2&a-b=1')
  })

  it('decodes names and values, then escapes them (RFC 3986); a value keeps its `=`; empty pairs are skipped', () => {
    expect(canonicalQuery('?sp%20ace=%20&*=!&e=%E2%82%AC&%61=b=c&&')).toBe('%2A=%21&a=b%3Dc&e=%E2%82%AC&sp%20ace=%20')
  })

  it('reads a `+` as a plus (`%2B`), as the AWS SDK does, not as a space', () => {
    expect(canonicalQuery('?a+b=c+d&e=%2B')).toBe('a%2Bb=c%2Bd&e=%2B')
  })

  it("refuses a `%` that does not encode UTF-8 (truncated, lone): decodeURIComponent's URIError (the iam mode reports a ConfigurationError)", () => {
    for (const search of ['?a=%E2%82', '?%=1', '?a=%ED%A0%80']) {
      expect(() => canonicalQuery(search)).toThrow(URIError)
    }
  })

  it('leaves out an X-Amz-Signature parameter, whatever its case', () => {
    expect(canonicalQuery('?X-Amz-Signature=abc&a=1&x-amz-signature=def')).toBe('a=1')
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
