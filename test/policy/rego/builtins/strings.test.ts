/** String builtins with Go's strings semantics (OPA v1/topdown/strings.go, casts.go). */
import { describe, expect, it } from 'vitest';
import { call, S, table } from './call.ts';

describe('strings', () => {
  table([
    ['concat', ['-', ['a', 'b', 'c']], '"a-b-c"'],
    ['concat', [',', S('b', 'a')], '"a,b"'], // sets join in sorted order
    ['concat', ['x', []], '""'],
    ['contains', ['abc', 'b'], 'true'],
    ['startswith', ['abc', 'ab'], 'true'],
    ['endswith', ['abc', 'ab'], 'false'],
    ['indexof', ['héllo', 'l'], '2'], // rune index
    ['indexof', ['abc', 'z'], '-1'],
    ['indexof_n', ['abab', 'ab'], '[0,2]'],
    ['lower', ['ÀB'], '"àb"'],
    ['upper', ['ab'], '"AB"'],
    // Go maps rune by rune with simple mappings (checked against OPA: ../cases/upper-lower*.yaml)
    ['upper', ['straße ﬁ'], '"STRAßE ﬁ"'],
    ['lower', ['ΟΔΥΣΣΕΥΣ'], '"οδυσσευσ"'], // no final sigma
    ['lower', ['İ'], '"i"'],
    ['upper', ['ᾳ'], '"ᾼ"'],
    ['upper', ['ⱟ'], '"ⱟ"'], // a case pair newer than Go's Unicode 13 tables
    ['split', ['a,b,,c', ','], '["a","b","","c"]'],
    ['split', ['abc', ''], '["a","b","c"]'], // Go explodes into runes
    ['split', ['', ','], '[""]'],
    ['replace', ['aaa', 'a', 'b'], '"bbb"'],
    ['replace', ['ab', '', '-'], '"-a-b-"'], // Go's Replacer with empty old
    ['strings.replace_n', [{ a: '1', ab: '2' }, 'abc'], '"1bc"'], // first key in sorted order wins at a position
    ['strings.replace_n', [{ cat: 'dog', dog: 'cat' }, 'cat dog'], '"dog cat"'], // no re-replacement
    ['strings.reverse', ['héllo'], '"olléh"'],
    ['strings.count', ['cheese', 'e'], '3'],
    ['strings.count', ['five', ''], '5'], // Go: runes + 1
    ['strings.any_prefix_match', [['a/b', 'c/d'], 'c/'], 'true'],
    ['strings.any_prefix_match', ['x', S('y', 'z')], 'false'],
    ['strings.any_suffix_match', ['file.rego', ['.go', '.rego']], 'true'],
    ['substring', ['abcdef', 1, 3], '"bcd"'],
    ['substring', ['abcdef', 2, -1], '"cdef"'], // negative length: to the end
    ['substring', ['abc', 10, 1], '""'], // start beyond the end
    ['substring', ['héllo', 1, 2], '"él"'],
    ['format_int', [255, 16], '"ff"'],
    ['format_int', [-5.9, 2], '"-101"'], // truncates toward zero
    ['format_int', [8, 8], '"10"'],
    ['to_number', ['-1.5e3'], '-1500'],
    ['to_number', [true], '1'],
    ['to_number', [null], '0'],
    ['to_number', ['0012'], '12'],
    ['trim', ['xxhixx', 'x'], '"hi"'],
    ['trim', ['abcba', 'ab'], '"c"'], // cutset, not prefix
    ['trim_left', ['aab', 'a'], '"b"'],
    ['trim_right', ['baa', 'a'], '"b"'],
    ['trim_prefix', ['prefix-x', 'prefix-'], '"x"'],
    ['trim_suffix', ['x.rego', '.rego'], '"x"'],
    ['trim_space', ['\t hi \n'], '"hi"'],
    ['trim_space', ['\ufeffhi'], '"\ufeffhi"'], // U+FEFF is not a space in Go
  ]);
  it('errors', () => {
    expect(() => call('indexof', ['abc', ''])).toThrow('empty search character');
    expect(() => call('substring', ['abc', -1, 1])).toThrow('negative offset');
    expect(() => call('format_int', [1, 3])).toThrow('operand 2 must be one of {2, 8, 10, 16}');
    expect(() => call('to_number', ['Inf'])).toThrow('operand 1 must be valid number string but got string');
    expect(() => call('to_number', ['12abc'])).toThrow('invalid syntax');
    expect(() => call('concat', [',', ['a', 1]])).toThrow('operand 2 must be array of strings but got array containing number');
    expect(() => call('strings.replace_n', [{ a: 1 }, 'a'])).toThrow('non-string value found in pattern object');
    expect(() => call('upper', [1])).toThrow('upper: operand 1 must be string but got number');
  });
});

describe('sprintf (Go fmt, fed as OPA feeds it)', () => {
  table([
    ['sprintf', ['%d items', [3]], '"3 items"'],
    ['sprintf', ['%s and %v', ['a', 'b']], '"a and b"'],
    ['sprintf', ['%5d|%-5d|%05d|%+d', [42, 42, -42, 7]], '"   42|42   |-0042|+7"'],
    ['sprintf', ['%x %X %o %O %b %#x %c %U', [255, 255, 8, 8, 5, 255, 65, 0x1f600]], '"ff FF 10 0o10 101 0xff A U+1F600"'],
    ['sprintf', ['%.2f %f %e %g %G', [3.14159, 1.5, 1234.5678, 0.00001234, 2.5e-10]], '"3.14 1.500000 1.234568e+03 1.234e-05 2.5E-10"'],
    ['sprintf', ['%.1f %.2f %.0f %.0f', [0.25, 2.675, 0.5, 1.5]], '"0.2 2.67 0 2"'], // exact binary value, ties to even
    ['sprintf', ['%e', [1e21]], '"%!e(big.Int=1000000000000000000000)"'], // integral numbers reach Go as integers
    ['sprintf', ['%8.3f|%-8.2f|', [-3.14159, 2.5]], '"  -3.142|2.50    |"'],
    ['sprintf', ['%v %v', [1.5, 1000000.5]], '"1.5 1.0000005e+06"'], // %v of float64 is %g
    ['sprintf', ['%q %x %.2s %5s|%-5s|', ['a"b', 'hi', 'hello', 'ab', 'ab']], '"\\"a\\\\\\"b\\" 6869 he    ab|ab   |"'],
    ['sprintf', ['%v', [{ key: 'value', n: [1, S(2, 'x')] }]], '"{\\"key\\": \\"value\\", \\"n\\": [1, {2, \\"x\\"}]}"'], // Rego syntax
    ['sprintf', ['%v %v %s', [S(), null, true]], '"set() null true"'],
    ['sprintf', ['%d', [3.5]], '"%!d(float64=3.5)"'], // Go bad-verb output, as OPA
    ['sprintf', ['%s', [4]], '"%!s(int=4)"'],
    ['sprintf', ['%t', [true]], '"%!t(string=true)"'], // booleans reach Go as their Rego text
    ['sprintf', ['%T %T %T', [1, 1.5, 'x']], '"int float64 string"'],
    ['sprintf', ['%s %d', ['only']], '"only %!d(MISSING)"'], // OPA does not fail
    ['sprintf', ['%d', [1, 'x']], '"1%!(EXTRA string=x)"'],
    ['sprintf', ['100%%', []], '"100%"'],
    ['sprintf', ['%[2]d %[1]d', [1, 2]], '"2 1"'],
    ['sprintf', ['%*d|%.*f', [4, 7, 1, 2.25]], '"   7|2.2"'], // round-half-even on the binary value, like Go
    ['sprintf', ['%d', ['123456789012345678901234567890'].map(BigInt)], '"123456789012345678901234567890"'],
    ['sprintf', ['trailing %', []], '"trailing %!(NOVERB)"'],
  ]);
  it('operand 2 must be an array', () => expect(() => call('sprintf', ['%d', 1])).toThrow('operand 2 must be array but got number'));
});
