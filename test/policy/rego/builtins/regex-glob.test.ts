/** regex.* over RE2 (Go syntax) and glob.* with gobwas semantics (OPA v1/topdown/regex.go, regex_template.go, glob.go). */
import { describe, expect, it } from 'vitest';
import { call, j, table } from './call.ts';

describe('regex', () => {
  table([
    ['regex.match', ['^[a-z]+\\d$', 'abc1'], 'true'],
    ['regex.match', ['(?i)^ABC$', 'abc'], 'true'], // Go inline flags
    ['regex.match', ['\\pL+', '123'], 'false'],
    ['regex.match', ['x$', 'x\n'], 'false'], // $ is end of text in Go, not before a final newline
    ['re_match', ['^a', 'ab'], 'true'],
    ['regex.is_valid', ['a(b'], 'false'],
    ['regex.is_valid', ['(?=a)'], 'false'], // no lookahead in RE2
    ['regex.is_valid', [1], 'false'],
    ['regex.find_n', ['a.', 'abacad', -1], '["ab","ac","ad"]'],
    ['regex.find_n', ['a.', 'abacad', 2], '["ab","ac"]'],
    ['regex.find_n', ['a*', 'baaac', -1], '["","aaa",""]'], // Go skips an empty match abutting the previous match
    ['regex.find_n', ['é', 'aébé', -1], '["é","é"]'],
    ['regex.find_all_string_submatch_n', ['(a)(x)?(?P<n>b)', 'abab', -1], '[["ab","a","","b"],["ab","a","","b"]]'],
    ['regex.split', ['a', 'banana'], '["b","n","n",""]'],
    ['regex.split', ['\\s*,\\s*', 'a , b,c'], '["a","b","c"]'],
    ['regex.split', ['x', ''], '[""]'],
    ['regex.replace', ['abc-def', '(\\w+)-(?P<x>\\w+)', '${x}:$1$$'], '"def:abc$"'],
    ['regex.replace', ['aaa', 'a*', 'X'], '"X"'],
    ['regex.replace', ['abc', 'x*', '-'], '"-a-b-c-"'],
    ['regex.replace', ['ab', '(a)', '$1x'], '"b"'], // $1x names group "1x", which does not exist
    ['regex.template_match', ['urn:foo.bar:{[a-z]+}', 'urn:foo.bar:baz', '{', '}'], 'true'],
    ['regex.template_match', ['urn:foo.bar:{[a-z]+}', 'urn:fooxbar:baz', '{', '}'], 'false'], // text outside is literal
    ['regex.template_match', ['a{b{1,2}}c', 'abbc', '{', '}'], 'true'], // nested delimiters belong to the expression
    ['regex.globs_match', ['a.a.', '.b.b'], 'true'],
    ['regex.globs_match', ['[a-z]+', '[0-9]*'], 'false'],
    ['regex.globs_match', ['a+', 'a'], 'true'],
  ]);
  it('template and glob errors', () => {
    expect(() => call('regex.template_match', ['a{b', 'ab', '{', '}'])).toThrow('unbalanced braces in "a{b"');
    expect(() => call('regex.template_match', ['a', 'a', '{{', '}'])).toThrow('start delimiter has to be exactly one character long but is 2 long');
    expect(() => call('regex.globs_match', ['*a', 'a'])).toThrow("flag '*' must be preceded by a non-flag");
  });
  it('bad patterns are evaluation errors naming the builtin', () => {
    expect(() => call('regex.match', ['(', 'x'])).toThrow(/^regex\.match: error parsing regexp/);
  });
  it('pathological patterns stay linear (RE2)', () => {
    const t0 = Date.now();
    expect(j('regex.match', '^(a+)+$', 'a'.repeat(5000) + 'b')).toBe('false');
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('glob', () => {
  table([
    ['glob.match', ['*.github.com', [], 'api.github.com'], 'true'], // [] means delimiter "."
    ['glob.match', ['*.github.com', [], 'api.cdn.github.com'], 'false'],
    ['glob.match', ['*hub.com', null, 'api.cdn.github.com'], 'true'], // null means no delimiters
    ['glob.match', ['*:github:com', [':'], 'api:github:com'], 'true'],
    ['glob.match', ['api.**.com', [], 'api.cdn.github.com'], 'true'],
    ['glob.match', ['?at', [], 'at'], 'false'],
    ['glob.match', ['[abc]at', [], 'bat'], 'true'],
    ['glob.match', ['[!a-c]at', [], 'lat'], 'true'],
    ['glob.match', ['[!abc]at', [], 'cat'], 'false'],
    ['glob.match', ['{cat,bat,[fr]at}', [], 'rat'], 'true'],
    ['glob.match', ['{cat,bat,[fr]at}', [], 'at'], 'false'],
    ['glob.match', ['org/*', ['/'], 'org/repo'], 'true'],
    ['glob.match', ['org/*', ['/'], 'org/a/b'], 'false'],
    ['glob.match', ['a\\*b', [], 'a*b'], 'true'],
    ['glob.match', ['a.(b)|c', [], 'a.(b)|c'], 'true'], // regex metacharacters are literal
    ['glob.quote_meta', ['*.github.com'], '"\\\\*.github.com"'],
    ['glob.quote_meta', ['[a]{b}?\\'], '"\\\\[a\\\\]\\\\{b\\\\}\\\\?\\\\\\\\"'],
  ]);
  it('errors', () => {
    expect(() => call('glob.match', ['[abc', [], 'a'])).toThrow(/glob\.match/);
    expect(() => call('glob.match', ['a', 'x', 'a'])).toThrow('operand 2 must be one of {array, null} but got string');
    expect(() => call('glob.match', ['a', ['ab'], 'a'])).toThrow('must be array of runes');
  });
});
