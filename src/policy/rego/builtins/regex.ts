/** regex.* builtins over RE2 (Go syntax), as OPA's topdown/regex.go. */
import type { BuiltinDef } from '../builtin-types.ts';
import type { Value } from '../value.ts';
import { evalErr, intArg, str } from './operands.ts';
import { globsIntersect } from './glob-intersect.ts';
import { compileRegex, expandTemplate, findAll, groupNames, replaceAllMatches } from './re2-cache.ts';
import { compileTemplate } from './regex-template.ts';

function match(name: string) {
  return (a: Value[]): Value => {
    const re = compileRegex(name, str(name, a, 0));
    const s = str(name, a, 1);
    re.lastIndex = 0;
    return re.test(s);
  };
}

function isValid(a: Value[]): Value {
  if (typeof a[0] !== 'string') return false;
  try {
    compileRegex('regex.is_valid', a[0]);
    return true;
  } catch {
    return false;
  }
}

function findN(a: Value[]): Value {
  const re = compileRegex('regex.find_n', str('regex.find_n', a, 0));
  return findAll(re, str('regex.find_n', a, 1), intArg('regex.find_n', a, 2)).map((m) => m.groups[0] ?? '');
}

function findAllSubmatch(a: Value[]): Value {
  const n = 'regex.find_all_string_submatch_n';
  const re = compileRegex(n, str(n, a, 0));
  return findAll(re, str(n, a, 1), intArg(n, a, 2)).map((m) => m.groups.map((g) => g ?? ''));
}

function split(a: Value[]): Value {
  const pattern = str('regex.split', a, 0);
  const re = compileRegex('regex.split', pattern);
  const s = str('regex.split', a, 1);
  const cps = [...s];
  // Go's Regexp.Split(s, -1).
  if (s === '' && pattern !== '') return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of findAll(re, s, -1)) {
    end = m.start;
    if (m.end !== 0) out.push(cps.slice(beg, end).join(''));
    beg = m.end;
  }
  if (end !== cps.length) out.push(cps.slice(beg).join(''));
  return out;
}

function replace(a: Value[]): Value {
  const s = str('regex.replace', a, 0);
  const pattern = str('regex.replace', a, 1);
  const value = str('regex.replace', a, 2);
  const re = compileRegex('regex.replace', pattern);
  const names = groupNames(pattern);
  return replaceAllMatches(re, s, (m) => expandTemplate(value, m, names));
}

/** Go's len(): UTF-8 bytes. */
const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

function templateMatch(a: Value[]): Value {
  const n = 'regex.template_match';
  const [template, s, open, close] = [str(n, a, 0), str(n, a, 1), str(n, a, 2), str(n, a, 3)];
  if (utf8Length(open) !== 1) throw evalErr(n, `start delimiter has to be exactly one character long but is ${utf8Length(open)} long`);
  // OPA reports the start delimiter's length here too.
  if (utf8Length(close) !== 1) throw evalErr(n, `end delimiter has to be exactly one character long but is ${utf8Length(open)} long`);
  const re = compileTemplate(template, open, close);
  re.lastIndex = 0;
  return re.test(s);
}

function globsMatch(a: Value[]): Value {
  return globsIntersect(str('regex.globs_match', a, 0), str('regex.globs_match', a, 1));
}

export const regexBuiltins: BuiltinDef[] = [
  { name: 'regex.match', arity: 2, fn: match('regex.match') },
  { name: 're_match', arity: 2, fn: match('re_match') },
  { name: 'regex.is_valid', arity: 1, fn: isValid },
  { name: 'regex.find_n', arity: 3, fn: findN },
  { name: 'regex.find_all_string_submatch_n', arity: 3, fn: findAllSubmatch },
  { name: 'regex.split', arity: 2, fn: split },
  { name: 'regex.replace', arity: 3, fn: replace },
  { name: 'regex.template_match', arity: 4, fn: templateMatch },
  { name: 'regex.globs_match', arity: 2, fn: globsMatch },
];
