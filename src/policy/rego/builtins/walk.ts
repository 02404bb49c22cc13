/** `walk(x)`: a relation yielding every [path, value] pair of x in pre-order (OPA topdown/walk.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { D, RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';

/** Pre-order: the node itself, then children (arrays by index, objects by sorted key, sets by sorted member). */
export function walkPairs(root: Value): Value[] {
  const out: Value[] = [];
  const visit = (path: Value[], v: Value): void => {
    out.push([path, v]);
    if (Array.isArray(v)) v.forEach((x, i) => visit([...path, new D(i)], x));
    else if (v instanceof RObject) for (const [k, x] of v.sortedEntries()) visit([...path, k], x);
    else if (v instanceof RSet) for (const x of v.sortedValues()) visit([...path, x], x);
  };
  visit([], root);
  return out;
}

export const walkBuiltins: BuiltinDef[] = [{ name: 'walk', arity: 1, relation: true, fn: (a) => walkPairs(a[0]) }];
