/** trim, trim_left, trim_right, trim_prefix, trim_suffix, trim_space with Go's strings semantics. */
import type { BuiltinDef } from '../builtin-types.ts';
import type { Value } from '../value.ts';
import { str } from './operands.ts';

/** Go's unicode.IsSpace set (note: U+FEFF is not a space in Go, U+0085 is). */
const SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const LEADING_SPACE = new RegExp(`^[${SPACE}]+`);
const TRAILING_SPACE = new RegExp(`[${SPACE}]+$`);

export function trimLeft(s: string, cutset: string): string {
  const cut = new Set(cutset);
  const runes = [...s];
  let i = 0;
  while (i < runes.length && cut.has(runes[i])) i++;
  return runes.slice(i).join('');
}

export function trimRight(s: string, cutset: string): string {
  const cut = new Set(cutset);
  const runes = [...s];
  let j = runes.length;
  while (j > 0 && cut.has(runes[j - 1])) j--;
  return runes.slice(0, j).join('');
}

const two = (name: string, f: (s: string, t: string) => string): BuiltinDef => ({
  name,
  arity: 2,
  fn: (a: Value[]) => f(str(name, a, 0), str(name, a, 1)),
});

export const trimBuiltins: BuiltinDef[] = [
  two('trim', (s, c) => trimRight(trimLeft(s, c), c)),
  two('trim_left', trimLeft),
  two('trim_right', trimRight),
  two('trim_prefix', (s, p) => (s.startsWith(p) ? s.slice(p.length) : s)),
  two('trim_suffix', (s, p) => (p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s)),
  { name: 'trim_space', arity: 1, fn: (a) => str('trim_space', a, 0).replace(LEADING_SPACE, '').replace(TRAILING_SPACE, '') },
];
