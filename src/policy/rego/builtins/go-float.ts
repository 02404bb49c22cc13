/** Go's strconv float formatting ('e', 'f', 'g' with Go's exponent style) for fmt verbs. */
import { Decimal } from 'decimal.js';

/** Enough digits to hold any float64 exactly; ties round half to even on the exact value, as Go does. */
const X = Decimal.clone({ precision: 1200, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -9e15, toExpPos: 9e15 });

/** The exact decimal value of a non-negative finite double. */
function exact(x: number): Decimal {
  if (x === 0) return new X(0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e = -1074;
  if (expBits !== 0) {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  return e >= 0 ? new X((mant << BigInt(e)).toString()) : new X(mant.toString()).div(new X(2).pow(-e));
}

interface Digits {
  /** Significant digits without trailing zeros ("" for zero). */
  d: string;
  /** Position of the decimal point relative to the digits (value = 0.d × 10^dp). */
  dp: number;
}

function digitsOf(x: number, sig?: number): Digits {
  const e = sig === undefined ? x.toExponential() : exact(x).toExponential(Math.max(0, sig - 1));
  const [mant, exp] = e.split('e');
  const d = mant.replace('.', '').replace(/0+$/, '');
  if (d === '') return { d: '', dp: 1 };
  return { d, dp: Number(exp) + 1 };
}

function expPart(exp: number, upper: boolean): string {
  const a = Math.abs(exp);
  return (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
}

function fmtE(dg: Digits, prec: number, upper: boolean): string {
  const first = dg.d[0] ?? '0';
  let rest = dg.d.slice(1);
  if (prec >= 0) rest = rest.padEnd(prec, '0').slice(0, prec);
  const exp = dg.d === '' ? 0 : dg.dp - 1;
  return first + (rest ? '.' + rest : '') + expPart(exp, upper);
}

function fmtF(dg: Digits, prec: number): string {
  let int: string;
  let frac: string;
  if (dg.dp <= 0) {
    int = '0';
    frac = '0'.repeat(-dg.dp) + dg.d;
  } else if (dg.dp >= dg.d.length) {
    int = dg.d + '0'.repeat(dg.dp - dg.d.length);
    frac = '';
  } else {
    int = dg.d.slice(0, dg.dp);
    frac = dg.d.slice(dg.dp);
  }
  if (int === '') int = '0';
  frac = frac.padEnd(prec, '0').slice(0, prec);
  return int + (prec > 0 ? '.' + frac : '');
}

/** Formats |x| (callers add the sign) like strconv.FormatFloat(x, verb, prec, 64). */
export function formatFloatAbs(x: number, verb: 'e' | 'E' | 'f' | 'F' | 'g' | 'G', prec: number): string {
  const ax = Math.abs(x);
  switch (verb) {
    case 'e':
    case 'E':
      return fmtE(digitsOf(ax, prec < 0 ? undefined : prec + 1), prec, verb === 'E');
    case 'f':
    case 'F':
      if (prec < 0) return fmtF(digitsOf(ax), Math.max(digitsOf(ax).d.length - digitsOf(ax).dp, 0));
      return exact(ax).toFixed(prec);
    default: {
      const shortest = prec < 0;
      let p = prec === 0 ? 1 : prec;
      const dg = digitsOf(ax, shortest ? undefined : p);
      const nd = Math.max(dg.d.length, 1);
      if (shortest) p = nd;
      let eprec = p;
      if (eprec > nd && nd >= dg.dp) eprec = nd;
      if (shortest) eprec = 6;
      const exp = dg.d === '' ? 0 : dg.dp - 1;
      if (exp < -4 || exp >= eprec) return fmtE(dg, Math.min(p, nd) - 1, verb === 'G');
      return fmtF(dg, Math.max((p > dg.dp ? nd : p) - dg.dp, 0));
    }
  }
}
