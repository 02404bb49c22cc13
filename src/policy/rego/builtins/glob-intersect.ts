/**
 * `regex.globs_match`: whether two regexp-style globs both match some non-empty string, with the
 * algorithm (and the shortcuts) of github.com/yashtewari/glob-intersection, which OPA calls. Its globs
 * are anchored and know only `.`, `[…]` classes with `-` ranges, the flags `+` and `*` and `\` escapes.
 */
import { evalErr } from './operands.ts';

type Flag = 'none' | 'plus' | 'star';
type Token = { k: 'char'; r: number; flag: Flag } | { k: 'dot'; flag: Flag } | { k: 'set'; runes: Set<number>; flag: Flag };

const NAME = 'regex.globs_match';

function invalid(input: number[], index: number, message: string): Error {
  const text = String.fromCodePoint(...input);
  return evalErr(NAME, `input:${text}, pos:${index}, ${message}: the input provided is invalid`);
}

/** One rune and whether it was escaped; `undefined` at the end of the input. */
function nextRune(input: number[], i: number): { next: number; r: number; escaped: boolean } | undefined {
  if (i >= input.length) return undefined;
  if (input[i] !== 0x5c) return { next: i + 1, r: input[i], escaped: false };
  if (i === input.length - 1) throw invalid(input, i, 'input ends with a \\ (escape) character');
  return { next: i + 2, r: input[i + 1], escaped: true };
}

function flagOf(r: number): Flag | undefined {
  return r === 0x2b ? 'plus' : r === 0x2a ? 'star' : undefined;
}

function tokenizeSet(input: number[], start: number): { next: number; token: Token } {
  const runes = new Set<number>();
  let prev = -1;
  for (let i = start; ; ) {
    const n = nextRune(input, i);
    if (!n) throw invalid(input, i, 'found [ without matching ]');
    i = n.next;
    if (n.escaped) {
      runes.add(n.r);
      prev = n.r;
      continue;
    }
    if (n.r === 0x5d) return { next: i, token: { k: 'set', runes, flag: 'none' } };
    if (n.r !== 0x2d) {
      runes.add(n.r);
      prev = n.r;
      continue;
    }
    if (prev < 0) throw invalid(input, i, "range character '-' must be preceded by a Unicode character");
    if (i >= input.length - 1) throw invalid(input, i, "range character '-' must be followed by a Unicode character");
    const to = nextRune(input, i)!;
    i = to.next;
    if (!to.escaped && (to.r === 0x5d || to.r === 0x2d)) throw invalid(input, i, "range character '-' cannot be followed by a special symbol");
    if (to.r < prev) throw invalid(input, i, `range is out of order: '${String.fromCodePoint(to.r)}' comes before '${String.fromCodePoint(prev)}' in Unicode`);
    for (let x = prev; x <= to.r; x++) runes.add(x);
    prev = -1;
  }
}

export function tokenizeGlob(text: string): Token[] {
  const input = [...text].map((c) => c.codePointAt(0)!);
  const tokens: Token[] = [];
  for (let i = 0; ; ) {
    const n = nextRune(input, i);
    if (!n) return simplify(tokens);
    i = n.next;
    let token: Token;
    if (n.escaped) token = { k: 'char', r: n.r, flag: 'none' };
    else if (n.r === 0x2e) token = { k: 'dot', flag: 'none' };
    else if (n.r === 0x5d) throw invalid(input, i, "set-close ']' with no preceding '['");
    else if (n.r === 0x5b) ({ next: i, token } = tokenizeSet(input, i));
    else if (flagOf(n.r)) throw invalid(input, i, `flag '${String.fromCodePoint(n.r)}' must be preceded by a non-flag`);
    else token = { k: 'char', r: n.r, flag: 'none' };
    const f = nextRune(input, i);
    if (f && !f.escaped && flagOf(f.r)) {
      token.flag = flagOf(f.r)!;
      i = f.next;
    }
    tokens.push(token);
  }
}

function sameToken(a: Token, b: Token): boolean {
  if (a.k === 'char' && b.k === 'char') return a.r === b.r;
  if (a.k === 'dot' && b.k === 'dot') return true;
  if (a.k === 'set' && b.k === 'set') return a.runes.size === b.runes.size && [...a.runes].every((r) => b.runes.has(r));
  return false;
}

/** Merges neighbouring flagged tokens with the same content (`t+t*` is `t+`). */
function simplify(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (last && t.flag !== 'none' && last.flag !== 'none' && sameToken(t, last)) {
      last.flag = t.flag === 'plus' || last.flag === 'plus' ? 'plus' : 'star';
      continue;
    }
    out.push(t);
  }
  return out;
}

/** Whether two tokens (flags aside) share a character. */
function match(a: Token, b: Token): boolean {
  if (a.k === 'dot' || b.k === 'dot') return true;
  if (a.k === 'char' && b.k === 'char') return a.r === b.r;
  if (a.k === 'char' && b.k === 'set') return b.runes.has(a.r);
  if (a.k === 'set' && b.k === 'char') return a.runes.has(b.r);
  const [x, y] = [a as Extract<Token, { k: 'set' }>, b as Extract<Token, { k: 'set' }>];
  for (const r of x.runes) if (y.runes.has(r)) return true;
  return false;
}

/** Trims the matching unflagged prefix and suffix (keeping one token of each), or fails on a mismatch. */
function trimGlobs(g1: Token[], g2: Token[]): [Token[], Token[]] | undefined {
  let l = 0;
  for (; l < g1.length && l < g2.length && g1[l].flag === 'none' && g2[l].flag === 'none'; l++) if (!match(g1[l], g2[l])) return undefined;
  if (l > 0) l--;
  let r1 = g1.length - 1;
  let r2 = g2.length - 1;
  for (; r1 >= l && r2 >= l && g1[r1].flag === 'none' && g2[r2].flag === 'none'; r1--, r2--) if (!match(g1[r1], g2[r2])) return undefined;
  if (r1 < g1.length - 1) {
    r1++;
    r2++;
  }
  return [g1.slice(l, r1 + 1), g2.slice(l, r2 + 1)];
}

function intersectNormal(g1: Token[], g2: Token[]): boolean {
  let i = 0;
  let j = 0;
  for (; i < g1.length && j < g2.length; i++, j++) {
    if (g1[i].flag === 'none' && g2[j].flag === 'none') {
      if (!match(g1[i], g2[j])) return false;
    } else return intersectSpecial(g1.slice(i), g2.slice(j));
  }
  return i === g1.length && j === g2.length;
}

function intersectSpecial(g1: Token[], g2: Token[]): boolean {
  if (g1[0].flag !== 'none') return g1[0].flag === 'plus' ? intersectPlus(g1, g2) : intersectStar(g1, g2);
  return g2[0].flag === 'plus' ? intersectPlus(g2, g1) : intersectStar(g2, g1);
}

/** `other` is never empty here: intersectNormal only hands over non-empty globs. */
function intersectPlus(plussed: Token[], other: Token[]): boolean {
  return match(plussed[0], other[0]) && intersectStar(plussed, other.slice(1));
}

function intersectStar(starred: Token[], other: Token[]): boolean {
  const star = starred[0];
  const next = starred.length > 1 ? starred[1] : undefined;
  for (let i = 0; i < other.length; i++) {
    const t = other[i];
    if (next && match(t, next)) {
      if (intersectNormal(starred.slice(1), other.slice(i))) return true;
      if (!match(t, star)) return false;
    } else if (!match(t, star)) return false;
  }
  return next === undefined;
}

export function globsIntersect(a: string, b: string): boolean {
  const trimmed = trimGlobs(tokenizeGlob(a), tokenizeGlob(b));
  return trimmed !== undefined && intersectNormal(trimmed[0], trimmed[1]);
}
