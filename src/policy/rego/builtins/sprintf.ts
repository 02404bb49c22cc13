/**
 * sprintf with Go's fmt semantics, fed the way OPA feeds it (topdown/strings.go builtinSprintf):
 * integers become Go ints (or *big.Int), other numbers float64, strings stay strings, and every
 * other value (booleans, null, arrays, objects, sets) is passed as its Rego text. So `%v` of an
 * object prints Rego syntax, `%d` of 3.5 prints `%!d(float64=3.5)`, and a missing operand prints
 * `%!d(MISSING)` instead of failing — exactly like OPA.
 */
import type { BuiltinDef } from '../builtin-types.ts';
import { isNum } from '../value.ts';
import type { Value } from '../value.ts';
import { regoString, goQuote } from './format-value.ts';
import { formatFloatAbs } from './go-float.ts';
import { arr, str } from './operands.ts';

type GoArg = { t: 'int' | '*big.Int'; v: bigint } | { t: 'float64'; v: number } | { t: 'string'; v: string };

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export function toGoArg(v: Value): GoArg {
  if (isNum(v)) {
    if (v.isInteger()) {
      const b = BigInt(v.toFixed(0));
      return { t: b >= INT64_MIN && b <= INT64_MAX ? 'int' : '*big.Int', v: b };
    }
    return { t: 'float64', v: v.toNumber() };
  }
  if (typeof v === 'string') return { t: 'string', v };
  return { t: 'string', v: regoString(v) };
}

interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  prec: number | undefined;
}

function pad(s: string, spec: Spec, zeroOk: boolean): string {
  const w = spec.width ?? 0;
  const n = [...s].length;
  if (n >= w) return s;
  const fill = w - n;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero && zeroOk) {
    const sign = /^[+\- ]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

function plain(a: GoArg): string {
  if (a.t === 'float64') return (a.v < 0 ? '-' : '') + formatFloatAbs(a.v, 'g', -1);
  if (a.t === 'string') return a.v;
  return a.v.toString();
}

function badVerb(verb: string, a: GoArg): string {
  // big.Int's own Formatter names its type without the pointer star.
  return `%!${verb}(${a.t === '*big.Int' ? 'big.Int' : a.t}=${plain(a)})`;
}

function signOf(neg: boolean, spec: Spec): string {
  return neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
}

function formatInt(v: bigint, verb: string, spec: Spec): string | undefined {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  let digits: string;
  let prefix = '';
  switch (verb) {
    case 'v':
    case 'd':
      digits = abs.toString(10);
      break;
    case 'b':
      digits = abs.toString(2);
      if (spec.sharp) prefix = '0b';
      break;
    case 'o':
    case 'O':
      digits = abs.toString(8);
      if (verb === 'O') prefix = '0o';
      else if (spec.sharp && digits[0] !== '0') prefix = '0';
      break;
    case 'x':
    case 'X':
      digits = abs.toString(16);
      if (verb === 'X') digits = digits.toUpperCase();
      if (spec.sharp) prefix = verb === 'x' ? '0x' : '0X';
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(v)), spec, false);
    case 'q':
      return pad(`'${String.fromCodePoint(Number(v))}'`, spec, false);
    case 'U':
      return pad('U+' + abs.toString(16).toUpperCase().padStart(4, '0'), spec, false);
    default:
      return undefined;
  }
  if (spec.prec !== undefined) {
    if (spec.prec === 0 && abs === 0n) digits = '';
    digits = digits.padStart(spec.prec, '0');
  } else if (spec.zero && !spec.minus && spec.width !== undefined) {
    const sign = signOf(neg, spec);
    digits = digits.padStart(spec.width - sign.length - prefix.length, '0');
  }
  return pad(signOf(neg, spec) + prefix + digits, { ...spec, zero: false }, false);
}

function formatFloat(x: number, verb: string, spec: Spec): string | undefined {
  const v = verb === 'v' ? 'g' : verb;
  if (!['e', 'E', 'f', 'F', 'g', 'G'].includes(v)) return undefined;
  const body = formatFloatAbs(x, v as 'e', spec.prec ?? (v === 'g' || v === 'G' ? -1 : 6));
  const neg = x < 0 || Object.is(x, -0);
  return pad(signOf(neg, spec) + body, spec, !spec.minus);
}

function formatString(s: string, verb: string, spec: Spec): string | undefined {
  switch (verb) {
    case 'v':
    case 's':
      return pad(spec.prec === undefined ? s : [...s].slice(0, spec.prec).join(''), spec, true);
    case 'q':
      return pad(goQuote(spec.prec === undefined ? s : [...s].slice(0, spec.prec).join('')), spec, true);
    case 'x':
    case 'X': {
      let hex = [...Buffer.from(s, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(spec.space ? ' ' : '');
      if (verb === 'X') hex = hex.toUpperCase();
      return pad(hex, spec, true);
    }
    default:
      return undefined;
  }
}

function formatArg(a: GoArg, verb: string, spec: Spec): string {
  if (verb === 'T') return pad(a.t, spec, false);
  let out: string | undefined;
  if (a.t === 'string') out = formatString(a.v, verb, spec);
  else if (a.t === 'float64') out = formatFloat(a.v, verb, spec);
  else out = a.t === '*big.Int' && verb === 's' ? pad(a.v.toString(), spec, false) : formatInt(a.v, verb, spec);
  return out ?? badVerb(verb, a);
}

/** Go's fmt.Sprintf over already converted arguments. */
export function goSprintf(format: string, args: GoArg[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let i = 0;
  const readNum = (): number | undefined => {
    const m = /^\d+/.exec(format.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return Number(m[0]);
  };
  const readIndex = (): boolean => {
    if (format[i] !== '[') return true;
    const close = format.indexOf(']', i);
    const n = close < 0 ? NaN : Number(format.slice(i + 1, close));
    reordered = true;
    if (!Number.isInteger(n) || n < 1 || n > args.length) {
      i = close < 0 ? format.length : close + 1;
      return false;
    }
    argNum = n - 1;
    i = close + 1;
    return true;
  };
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const spec: Spec = { plus: false, minus: false, sharp: false, space: false, zero: false, width: undefined, prec: undefined };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '+') spec.plus = true;
      else if (c === '-') spec.minus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === ' ') spec.space = true;
      else if (c === '0') spec.zero = true;
      else break;
    }
    let goodIndex = readIndex();
    if (format[i] === '*') {
      i++;
      const w = args[argNum++];
      if (w && (w.t === 'int' || w.t === '*big.Int')) {
        spec.width = Number(w.v);
        if (spec.width < 0) [spec.minus, spec.width] = [true, -spec.width];
      } else out += '%!(BADWIDTH)';
    } else spec.width = readNum();
    if (format[i] === '.') {
      i++;
      goodIndex = readIndex() && goodIndex;
      if (format[i] === '*') {
        i++;
        const p = args[argNum++];
        if (p && (p.t === 'int' || p.t === '*big.Int') && p.v >= 0n) spec.prec = Number(p.v);
        else out += '%!(BADPREC)';
      } else spec.prec = readNum() ?? 0;
    }
    goodIndex = readIndex() && goodIndex;
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatArg(args[argNum++], verb, spec);
  }
  if (!reordered && argNum < args.length) {
    out += '%!(EXTRA ' + args.slice(argNum).map((a) => `${a.t}=${plain(a)}`).join(', ') + ')';
  }
  return out;
}

export const sprintfBuiltins: BuiltinDef[] = [
  {
    name: 'sprintf',
    arity: 2,
    fn: (a) => goSprintf(str('sprintf', a, 0), arr('sprintf', a, 1).map(toGoArg)),
  },
];
