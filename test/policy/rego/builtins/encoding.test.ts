/** json/yaml, base64/hex/urlquery, crypto, units, semver and uuid builtins (OPA v1/topdown/encoding.go and friends). */
import { describe, expect, it } from 'vitest';
import { call, makeCtx, S, table } from './call.ts';

describe('json and yaml', () => {
  table([
    ['json.marshal', [{ b: [1, 2.5], a: '<x>&' }], JSON.stringify('{"a":"\\u003cx\\u003e\\u0026","b":[1,2.5]}')], // Go escapes HTML characters
    ['json.marshal', [S(2, 1)], '"[1,2]"'],
    ['json.marshal_with_options', [{ a: [1] }, { pretty: true }], JSON.stringify('{\n\t"a": [\n\t\t1\n\t]\n}')],
    ['json.marshal_with_options', [{ a: {} }, { indent: '  ', prefix: '> ' }], JSON.stringify('{\n>   "a": {}\n> }')],
    ['json.marshal_with_options', [{ a: 1 }, { pretty: false, indent: '  ' }], JSON.stringify('{"a":1}')],
    ['json.unmarshal', ['{"a": 12345678901234567890.5, "b": [true, null]}'], '{"a":12345678901234567890.5,"b":[true,null]}'], // exact numbers
    ['json.is_valid', ['{"a":'], 'false'],
    ['json.is_valid', [1], 'false'],
    ['json.filter', [{ a: { b: 1, c: 2 }, d: 3, e: 4 }, ['a/b', 'd']], '{"a":{"b":1},"d":3}'],
    ['json.filter', [{ a: [{ x: 1, y: 2 }, { x: 3 }] }, S(['a', '0', 'x'])], '{"a":[{"x":1}]}'],
    ['json.filter', [{ a: [1, 2] }, [['a', 1]]], '{"a":[]}'], // OPA keys array elements by "1", not 1
    ['json.filter', [{ a: { b: 1 } }, ['a', 'a/b']], '{"a":{"b":1}}'], // a shorter path covers longer ones
    ['json.remove', [{ a: { b: 1, c: 2 }, d: 3 }, ['a/b']], '{"a":{"c":2},"d":3}'],
    ['json.remove', [{ a: [1, 2, 3] }, [['a', '1']]], '{"a":[1,3]}'],
    ['yaml.marshal', [{ b: 'x', a: [1, 2] }], JSON.stringify('a:\n- 1\n- 2\nb: x\n')],
    ['yaml.unmarshal', ['a: [1, 2]\nb: {c: true}\nd: 12345678901234567890'], '{"a":[1,2],"b":{"c":true},"d":12345678901234567890}'],
    ['yaml.is_valid', ['a: [1'], 'false'],
    ['yaml.is_valid', ['a: 1'], 'true'],
  ]);
  it('errors', () => {
    expect(() => call('json.unmarshal', ['{'])).toThrow(/^json\.unmarshal: /);
    expect(() => call('yaml.unmarshal', ['a: [1'])).toThrow(/^yaml\.unmarshal: /);
    expect(() => call('json.marshal_with_options', [1, { bogus: 1 }])).toThrow('unknown key bogus');
  });
});

describe('encodings', () => {
  table([
    ['base64.encode', ['hello'], '"aGVsbG8="'],
    ['base64.decode', ['aGVsbG8='], '"hello"'],
    ['base64.is_valid', ['aGVsbG8='], 'true'],
    ['base64.is_valid', ['aGVsbG8'], 'false'], // Go's StdEncoding requires padding
    ['base64url.encode', ['subjects?_d'], '"c3ViamVjdHM_X2Q="'],
    ['base64url.encode_no_pad', ['subjects?_d'], '"c3ViamVjdHM_X2Q"'],
    ['base64url.decode', ['c3ViamVjdHM_X2Q'], '"subjects?_d"'], // padding restored (RFC 7515 appendix C)
    ['hex.encode', ['hi'], '"6869"'],
    ['hex.decode', ['6869'], '"hi"'],
    ['urlquery.encode', ['a b&c=d/é~'], '"a+b%26c%3Dd%2F%C3%A9~"'],
    ['urlquery.decode', ['a+b%26%C3%A9'], '"a b&é"'],
    ['urlquery.encode_object', [{ b: ['2', '1'], a: 'x y', c: S('z') }], '"a=x+y&b=2&b=1&c=z"'],
    ['urlquery.decode_object', ['a=1&a=2&b='], '{"a":["1","2"],"b":[""]}'],
  ]);
  it('errors', () => {
    expect(() => call('base64.decode', ['aGVsbG8'])).toThrow('illegal base64 data at input byte');
    expect(() => call('base64url.decode', ['a'])).toThrow('illegal base64url string: a');
    expect(() => call('hex.decode', ['zz'])).toThrow("encoding/hex: invalid byte: U+007A 'z'");
    expect(() => call('hex.decode', ['686'])).toThrow('encoding/hex: odd length hex string');
    expect(() => call('urlquery.decode', ['%zz'])).toThrow('invalid URL escape "%zz"');
  });
});

describe('crypto', () => {
  table([
    ['crypto.sha256', [''], '"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"'],
    ['crypto.md5', [''], '"d41d8cd98f00b204e9800998ecf8427e"'],
    ['crypto.sha1', ['abc'], '"a9993e364706816aba3e25717850c26c9cd0d89d"'],
    ['crypto.hmac.sha256', ['The quick brown fox jumps over the lazy dog', 'key'], '"f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"'],
    ['crypto.hmac.equal', ['abc', 'abc'], 'true'],
    ['crypto.hmac.equal', ['abc', 'abd'], 'false'],
  ]);
});

describe('units', () => {
  table([
    ['units.parse', ['10Mi'], '10485760'],
    ['units.parse', ['1.5k'], '1500'],
    ['units.parse', ['100m'], '0.1'], // "m" is milli, "M" is mega
    ['units.parse', ['2M'], '2000000'],
    ['units.parse', ['1e3'], '1000'],
    ['units.parse', ['"4Ki"'], '4096'], // quotes are dropped
    ['units.parse_bytes', ['5MB'], '5000000'],
    ['units.parse_bytes', ['1.5KiB'], '1536'],
    ['units.parse_bytes', ['12'], '12'],
    ['units.parse_bytes', ['2.9'], '2'], // truncated to an integer
  ]);
  it('errors', () => {
    expect(() => call('units.parse', ['5MB'])).toThrow('units.parse: unit Mb not recognized');
    expect(() => call('units.parse_bytes', ['foo'])).toThrow('no byte amount provided');
    expect(() => call('units.parse_bytes', ['10 MB'])).toThrow('spaces not allowed in resource strings');
    expect(() => call('units.parse_bytes', ['1e9999999'])).toThrow('exponent too large');
  });
});

describe('semver', () => {
  table([
    ['semver.is_valid', ['1.2.3-rc.1+build.5'], 'true'],
    ['semver.is_valid', ['v1.2.3'], 'false'], // strict SemVer 2.0: no "v" prefix
    ['semver.is_valid', ['01.2.3'], 'false'],
    ['semver.is_valid', ['1.2'], 'false'],
    ['semver.is_valid', [123], 'false'],
    ['semver.compare', ['1.0.0-alpha', '1.0.0'], '-1'],
    ['semver.compare', ['1.10.0', '1.9.0'], '1'],
    ['semver.compare', ['1.0.0+a', '1.0.0+b'], '0'], // build metadata is ignored
    ['semver.compare', ['1.0.0-alpha.10', '1.0.0-alpha.9'], '1'],
  ]);
  it('rejects invalid versions', () => expect(() => call('semver.compare', ['v1.0.0', '1.0.0'])).toThrow('operand 1: string "v1.0.0" is not a valid SemVer'));
});

describe('uuid', () => {
  table([
    ['uuid.parse', ['b01d0062-a116-11ee-822b-7ab0b9e5e0c0'], '{"clocksequence":555,"macvariables":"local:unicast","nodeid":"7a-b0-b9-e5-e0-c0","time":1703282931110717000,"variant":"RFC4122","version":1}'],
    ['uuid.parse', ['000003e8-a129-21ee-ae00-325096b39f47'], '{"clocksequence":11776,"domain":"Person","id":1000,"macvariables":"local:unicast","nodeid":"32-50-96-b3-9f-47","time":1703290796079613600,"variant":"RFC4122","version":2}'],
    ['uuid.parse', ['{A6342DF8-7801-469C-B3F3-C5317A0EBDAA}'], '{"variant":"RFC4122","version":4}'],
    ['uuid.parse', ['not-valid'], 'undefined'],
  ]);
  it('uuid.rfc4122 is a v4 UUID, stable per seed in one evaluation', () => {
    const ctx = makeCtx();
    const a = call('uuid.rfc4122', ['x'], ctx);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(call('uuid.rfc4122', ['x'], ctx)).toBe(a);
    expect(call('uuid.rfc4122', ['y'], ctx)).not.toBe(a);
  });
});
