import { j, S } from './test/policy/rego/builtins/call.ts';
console.log(j('sprintf', '%d items %s %v %v %5.2f|%-5d|%05d|%x|%X|%o|%b|%e|%q|%t|%T|%%', [3, 'x', { a: [1, 2] }, S(1, 'a'), 3.14159, 42, -42, 255, 255, 64, 5, 1234.5678, 'hi"', true, 1.5]));
console.log(j('sprintf', '%s %d', ['a']), j('sprintf', '%d', [1, 2]), j('sprintf', '%d %s %f', [3.5, 4, 3]), j('sprintf', '%v %v %v', [0.00001, 1e21, 123456789.5]));
console.log(j('regex.find_n', 'a*', 'baaac', -1), j('regex.split', 'a', 'banana'), j('regex.replace', 'abc-def', '(\\w+)-(?P<x>\\w+)', '${x}:$1$$'));
console.log(j('regex.find_all_string_submatch_n', '(a)(x)?', 'aa', -1), j('regex.match', '^[a-z]+$', 'abc'));
console.log(j('glob.match', '*.github.com', [], 'api.cdn.github.com'), j('glob.match', 'api.**.com', [], 'api.cdn.github.com'), j('glob.match', '{cat,bat,[fr]at}', [], 'rat'), j('glob.match', '[!a-c]at', [], 'lat'));
console.log(j('walk', { a: [1, S('x')] }), j('object.union_n', [{ a: { b: 2 } }, { a: 4 }, { a: { c: 3 } }]));
console.log(j('substring', 'abcdef', 2, -1), j('format_int', -255.7, 16), j('round', -1.5), j('numbers.range', 3, 1), j('trim_space', ' \u0085x\ufeff '));
