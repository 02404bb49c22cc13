/** `walk(x)`: a relation yielding every [path, value] pair of x in pre-order (OPA topdown/walk.go). */
import type { BuiltinContext, BuiltinDef } from '../builtin-types.ts';
import { D, RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';

/**
 * Pre-order: the node itself, then children (arrays by index, objects by sorted key, sets by sorted
 * member). Iterative, so deeply nested values cannot overflow the stack; each node is charged to the
 * evaluation budget with the length of its path (the work of copying it).
 */
export function walkPairs(root: Value, charge?: (units: number) => void): Value[] {
  const out: Value[] = [];
  const todo: Array<[Value[], Value]> = [[[], root]];
  while (todo.length) {
    const [path, v] = todo.pop()!;
    charge?.(1 + path.length);
    out.push([path, v]);
    const children: Array<[Value[], Value]> = [];
    if (Array.isArray(v)) v.forEach((x, i) => children.push([[...path, new D(i)], x]));
    else if (v instanceof RObject) for (const [k, x] of v.sortedEntries()) children.push([[...path, k], x]);
    else if (v instanceof RSet) for (const x of v.sortedValues()) children.push([[...path, x], x]);
    for (let i = children.length - 1; i >= 0; i--) todo.push(children[i]);
  }
  return out;
}

export const walkBuiltins: BuiltinDef[] = [{ name: 'walk', arity: 1, relation: true, fn: (a, ctx: BuiltinContext) => walkPairs(a[0], ctx.charge) }];
