/** `with` modifiers: evaluate an expression with input, data or functions replaced (fresh caches). */
import type { CExpr } from '../compile/ir.ts';
import type { Value } from '../value.ts';
import type { Evaluator, Frame, K } from './evaluator.ts';
import { setPath } from './values.ts';

export function evalWith(ev: Evaluator, e: CExpr, i: number, vals: Value[], k: K): boolean {
  if (i < e.withs.length) {
    const w = e.withs[i];
    if (w.fnValue) return evalWith(ev, e, i + 1, [...vals, null], k);
    return ev.evalTerm(w.value, (v) => evalWith(ev, e, i + 1, [...vals, v], k));
  }
  const old = ev.frame;
  const next: Frame = {
    input: old.input,
    dataOverrides: [...old.dataOverrides],
    fnOverrides: new Map(old.fnOverrides),
    cache: new Map(),
    fnCache: new Map(),
  };
  e.withs.forEach((w, j) => {
    const t = w.target;
    if (t.k === 'input') next.input = setPath(next.input, t.path, vals[j]);
    else if (t.k === 'data') next.dataOverrides.push({ path: t.path, value: vals[j] });
    else next.fnOverrides.set(t.key, w.fnValue ? { target: w.fnValue } : { value: vals[j] });
  });
  ev.frame = next;
  try {
    return ev.evalExprCore(e, () => {
      ev.frame = old;
      try {
        return k();
      } finally {
        ev.frame = next;
      }
    });
  } finally {
    ev.frame = old;
  }
}

