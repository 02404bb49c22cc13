/**
 * glob.match and glob.quote_meta with gobwas/glob semantics (as OPA uses it): `*` matches any run of
 * non-delimiter characters, `**` any run at all, `?` one non-delimiter character, `[abc]`, `[a-z]`,
 * `[!…]`, `{a,b}` alternatives, `\` escapes. Delimiters: `null` → none, `[]` → ["."].
 * Patterns are translated to RE2 so matching is linear-time.
 */
import type { BuiltinDef } from '../builtin-types.ts';
import type { RE2 } from 're2-wasm';
import type { Value } from '../value.ts';
import { elemErr, evalErr, str, typeErr } from './operands.ts';
import { compileRegex } from './re2-cache.ts';

const RE_META = /[\\^$.|?*+()[\]{}]/;

function lit(ch: string): string {
  return RE_META.test(ch) ? '\\' + ch : ch;
}

function classLit(ch: string): string {
  return /[\\\]^[-]/.test(ch) ? '\\' + ch : ch;
}

/** Translates a gobwas glob to an anchored RE2 pattern. */
export function globToRegex(pattern: string, delimiters: string[]): string {
  const chars = [...pattern];
  const notDelim = delimiters.length === 0 ? '(?s:.)' : '[^' + delimiters.map(classLit).join('') + ']';
  let i = 0;
  const fail = (msg: string): never => {
    throw evalErr('glob.match', `${msg} in pattern ${JSON.stringify(pattern)}`);
  };
  const parse = (inTerms: boolean): string => {
    let out = '';
    while (i < chars.length) {
      const c = chars[i];
      if (inTerms && (c === ',' || c === '}')) return out;
      i++;
      if (c === '\\') {
        if (i >= chars.length) fail('unexpected end of input after escape');
        out += lit(chars[i++]);
      } else if (c === '*') {
        if (chars[i] === '*') {
          while (chars[i] === '*') i++;
          out += '(?s:.*)';
        } else out += notDelim + '*';
      } else if (c === '?') out += notDelim;
      else if (c === '[') {
        let cls = '';
        let negate = false;
        if (chars[i] === '!') {
          negate = true;
          i++;
        }
        while (i < chars.length && chars[i] !== ']') {
          const lo = chars[i++];
          if (chars[i] === '-' && i + 1 < chars.length && chars[i + 1] !== ']') {
            const hi = chars[i + 1];
            if (hi < lo) fail('invalid range');
            cls += classLit(lo) + '-' + classLit(hi);
            i += 2;
          } else cls += classLit(lo);
        }
        if (i >= chars.length) fail('unexpected end of input in character class');
        i++;
        if (cls === '') fail('empty character class');
        out += (negate ? '[^' : '[') + cls + ']';
      } else if (c === '{') {
        const alts: string[] = [];
        for (;;) {
          alts.push(parse(true));
          if (i >= chars.length) fail('unexpected end of input in {…}');
          if (chars[i++] === '}') break;
        }
        out += '(?:' + alts.join('|') + ')';
      } else if (c === ']' || c === '}') {
        out += lit(c);
      } else out += lit(c);
    }
    if (inTerms) fail('unexpected end of input in {…}');
    return out;
  };
  return '^' + parse(false) + '$';
}

function delimitersOf(v: Value): string[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw typeErr('glob.match', 2, v, 'array', 'null');
  const ds = v.map((d) => {
    if (typeof d !== 'string') throw elemErr('glob.match', 2, v, d, 'string');
    if ([...d].length !== 1) throw elemErr('glob.match', 2, v, d, 'rune');
    return d;
  });
  return ds.length === 0 ? ['.'] : ds;
}

const compiled = new Map<string, RE2>();

export const globBuiltins: BuiltinDef[] = [
  {
    name: 'glob.match',
    arity: 3,
    fn: (a) => {
      const pattern = str('glob.match', a, 0);
      const delims = delimitersOf(a[1]);
      const s = str('glob.match', a, 2);
      const key = pattern + '\u0000' + delims.join('');
      let re = compiled.get(key);
      if (!re) {
        re = compileRegex('glob.match', globToRegex(pattern, delims));
        if (compiled.size > 256) compiled.clear();
        compiled.set(key, re);
      }
      re.lastIndex = 0;
      return re.test(s);
    },
  },
  {
    name: 'glob.quote_meta',
    arity: 1,
    fn: (a) => str('glob.quote_meta', a, 0).replace(/[*?\\[\]{}]/g, (c) => '\\' + c),
  },
];
