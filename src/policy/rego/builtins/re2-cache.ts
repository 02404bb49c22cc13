/** Compiled RE2 (Go syntax) regexes, cached in a small module-wide LRU; match positions in code points. */
import { RE2 } from 're2-wasm';
import { evalErr } from './operands.ts';

const MAX_CACHED = 512;
const cache = new Map<string, RE2>();

/** Compiles `pattern` with RE2 (global+unicode), or throws a BuiltinError naming `builtin`. */
export function compileRegex(builtin: string, pattern: string): RE2 {
  const hit = cache.get(pattern);
  if (hit) {
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  let re: RE2;
  try {
    re = new RE2(pattern, 'gu');
  } catch (e) {
    throw evalErr(builtin, `error parsing regexp: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  cache.set(pattern, re);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return re;
}

export interface Match {
  /** Start and end in code points. */
  start: number;
  end: number;
  /** Whole match then groups; undefined for a group that did not take part. */
  groups: (string | undefined)[];
}

function execAt(re: RE2, s: string, pos: number): Match | undefined {
  re.lastIndex = pos;
  const m = re.exec(s);
  if (!m) return undefined;
  let len = 0;
  for (const _ of m[0] ?? '') len++;
  return { start: m.index, end: m.index + len, groups: [...m] };
}

/** Go's FindAll…: successive non-overlapping matches; an empty match abutting the previous one is skipped. */
export function findAll(re: RE2, s: string, n: number): Match[] {
  const out: Match[] = [];
  const end = [...s].length;
  let prevEnd = -1;
  for (let pos = 0; (n < 0 || out.length < n) && pos <= end; ) {
    const m = execAt(re, s, pos);
    if (!m) break;
    let accept = true;
    if (m.end === pos) {
      if (m.start === prevEnd) accept = false;
      pos++;
    } else pos = m.end;
    prevEnd = m.end;
    if (accept) out.push(m);
  }
  return out;
}

/** Go's ReplaceAllString loop; `repl` produces the replacement for one match. */
export function replaceAllMatches(re: RE2, s: string, repl: (m: Match) => string): string {
  const cps = [...s];
  let out = '';
  let lastEnd = 0;
  for (let pos = 0; pos <= cps.length; ) {
    const m = execAt(re, s, pos);
    if (!m) break;
    out += cps.slice(lastEnd, m.start).join('');
    if (m.end > lastEnd || m.start === 0) out += repl(m);
    lastEnd = m.end;
    pos = pos + 1 > m.end ? pos + 1 : m.end;
  }
  return out + cps.slice(lastEnd).join('');
}

/** Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
export function expandTemplate(template: string, m: Match, names: Record<string, number>): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    const braced = template[i + 1] === '{';
    const rest = template.slice(i + (braced ? 2 : 1));
    const nm = /^[A-Za-z0-9_]+/.exec(rest)?.[0];
    if (!nm || (braced && rest[nm.length] !== '}')) {
      out += '$';
      continue;
    }
    i += nm.length + (braced ? 2 : 0);
    const idx = /^\d+$/.test(nm) ? Number(nm) : names[nm];
    out += (idx !== undefined ? m.groups[idx] : undefined) ?? '';
  }
  return out;
}

/** Named capture groups of a pattern (`(?P<name>…)` and `(?<name>…)`) to their group number. */
export function groupNames(pattern: string): Record<string, number> {
  const names: Record<string, number> = {};
  let group = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // Skip a character class.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
      continue;
    }
    if (c !== '(') continue;
    if (pattern[i + 1] !== '?') {
      group++;
      continue;
    }
    const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(pattern.slice(i));
    if (named) names[named[1]] = ++group;
  }
  return names;
}
