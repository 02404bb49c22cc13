/** `walk(x)`: a relation yielding every [path, value] pair of x in pre-order (OPA topdown/walk.go). */
import type { BuiltinContext, BuiltinDef } from '../builtin-types.ts';
import { D, RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';

/**
 * Pre-order: the node itself, then children (arrays by index, objects by sorted key, sets by sorted
 * member). Lazy and iterative, so deeply nested values cannot overflow the stack; each node is
 * charged to the evaluation budget with the length of its path (the work of copying it).
 */
export function* walkPairs(root: Value, charge?: (units: number) => void): Generator<Value> {
  const todo: Array<[Value[], Value]> = [[[], root]];
  while (todo.length) {
    const [path, v] = todo.pop()!;
    charge?.(1 + path.length);
    yield [path, v];
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) todo.push([[...path, new D(i)], v[i]]);
    else if (v instanceof RObject) {
      const entries = v.sortedEntries();
      for (let i = entries.length - 1; i >= 0; i--) todo.push([[...path, entries[i][0]], entries[i][1]]);
    } else if (v instanceof RSet) {
      const members = v.sortedValues();
      for (let i = members.length - 1; i >= 0; i--) todo.push([[...path, members[i]], members[i]]);
    }
  }
}

export const walkBuiltins: BuiltinDef[] = [
  {
    name: 'walk',
    arity: 1,
    relation: true,
    each: (a, ctx: BuiltinContext) => walkPairs(a[0], ctx.charge),
    fn: (a, ctx: BuiltinContext) => [...walkPairs(a[0], ctx.charge)],
  },
];
