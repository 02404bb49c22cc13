/** Function calls: user functions, builtins (with strict/non-strict errors), `with` replacements and `print`. */
import { BuiltinError } from '../builtin-types.ts';
import type { CallTarget, CCall } from '../compile/ir.ts';
import { RegoEvalError } from '../errors.ts';
import { RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import type { Evaluator, KV } from './evaluator.ts';
import { printString } from './format.ts';
import { callFunction } from './virtual.ts';

export function evalCall(ev: Evaluator, t: CCall, k: KV): boolean {
  if (t.target.k === 'print') return evalPrint(ev, t, k);
  return ev.evalSeq(t.args, 0, new Array<Value>(t.args.length), (args) => {
    const target = t.target;
    if (ev.frame.fnOverrides.size) {
      const key = target.k === 'func' ? target.key : target.k === 'builtin' ? target.name : '';
      const ov = ev.suppressed.has(key) ? undefined : ev.frame.fnOverrides.get(key);
      if (ov?.value !== undefined) return k(ov.value);
      if (ov?.target) {
        // Inside the replacement, the replaced function means the original (OPA's scoping), and
        // no other replacement applies either (a mock never calls another mock).
        const added = [...ev.frame.fnOverrides.keys()].filter((x) => !ev.suppressed.has(x));
        for (const x of added) ev.suppressed.add(x);
        let out: Iterable<Value>;
        try {
          out = [...invoke(ev, ov.target, args.slice(), t)];
        } finally {
          for (const x of added) ev.suppressed.delete(x);
        }
        for (const x of out) if (k(x)) return true;
        return false;
      }
    }
    for (const x of invoke(ev, target, args.slice(), t)) if (k(x)) return true;
    return false;
  });
}

/** Values of a lazy relation; a stack overflow inside it is a budget failure. */
function* lazily(values: Iterable<Value>, name: string, t: CCall): Generator<Value> {
  const it = values[Symbol.iterator]();
  for (;;) {
    let r: IteratorResult<Value>;
    try {
      r = it.next();
    } catch (err) {
      if (err instanceof RangeError && /call stack/i.test(err.message)) throw new RegoEvalError('budget_exceeded', `${name}: evaluation exceeded the maximum nesting depth`, t.loc);
      throw err;
    }
    if (r.done) return;
    yield r.value;
  }
}

/** Calls a function or builtin; returns its values (none when undefined, several for relations). */
function invoke(ev: Evaluator, target: CallTarget, args: Value[], t: CCall): Iterable<Value> {
  if (target.k === 'func') {
    const r = callFunction(ev, target.path, args, t.loc);
    return r === undefined ? [] : [r];
  }
  if (target.k === 'print') return [true];
  const def = ev.builtins.get(target.name);
  if (!def) throw new RegoEvalError('eval_internal_error', `undefined function ${target.name}`, t.loc);
  if (def.each) return lazily(def.each(args, ev.bctx), target.name, t);
  let r: Value | undefined;
  try {
    r = def.fn(args, ev.bctx);
  } catch (err) {
    if (err instanceof RegoEvalError) throw err;
    // A stack overflow inside a builtin (absurdly deep values) is a budget failure, never "undefined".
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw new RegoEvalError('budget_exceeded', `${target.name}: evaluation exceeded the maximum nesting depth`, t.loc);
    if (!ev.opts.strictBuiltinErrors) return [];
    const msg = err instanceof Error ? err.message : String(err);
    const code = err instanceof BuiltinError && err.kind === 'type' ? 'eval_type_error' : 'eval_builtin_error';
    throw new RegoEvalError(code, msg, t.loc);
  }
  if (r === undefined) return [];
  if (!def.relation) ev.charge(resultCost(r));
  if (def.relation && Array.isArray(r)) return r;
  return [r];
}

/** Work a builtin result stands for: its element count (strings per KiB); scalars cost nothing extra. */
function resultCost(r: Value): number {
  if (Array.isArray(r)) return r.length;
  if (r instanceof RSet || r instanceof RObject) return r.size;
  if (typeof r === 'string') return r.length >> 10;
  return 0;
}

/**
 * OPA's print (topdown/print.go): each operand is the set of its values (`<undefined>` when empty),
 * and one line is written per combination of them, in set order.
 */
function evalPrint(ev: Evaluator, t: CCall, k: KV): boolean {
  const operands = t.args.map((a) => {
    const vals = new RSet();
    ev.evalTerm(a, (v) => (vals.add(v), false));
    return vals.size === 0 ? ['<undefined>'] : vals.sortedValues().map(printString);
  });
  const lines = (i: number, parts: string[]): void => {
    if (i === operands.length) {
      ev.tick();
      ev.opts.print(parts.join(' '));
      return;
    }
    for (const p of operands[i]) lines(i + 1, [...parts, p]);
  };
  lines(0, []);
  return k(true);
}

