/** `walk(x)`: a relation yielding every [path, value] pair of x in pre-order (OPA topdown/walk.go). */
import type { BuiltinContext, BuiltinDef } from '../builtin-types.ts';
import { D, RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';

/**
 * Pre-order: the node itself, then children (arrays by index, objects by sorted key, sets by sorted
 * member). Lazy and iterative, so deeply nested values cannot overflow the stack, and a node's
 * children are expanded one at a time (a 500,000-element array costs nothing before its first
 * child is charged). Each node is charged to the evaluation budget with the length of its path
 * (the work of copying it); sorting an object's or set's members is charged with their count.
 */
export function* walkPairs(root: Value, charge?: (units: number) => void): Generator<Value> {
  charge?.(1);
  yield [[], root];
  const stack: ChildCursor[] = [];
  const first = childCursor(root, [], charge);
  if (first) stack.push(first);
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.next === top.count) {
      stack.pop();
      continue;
    }
    const [key, child] = top.entry(top.next++);
    const path = [...top.path, key];
    charge?.(1 + path.length);
    yield [path, child];
    const below = childCursor(child, path, charge);
    if (below) stack.push(below);
  }
}

interface ChildCursor {
  readonly path: Value[];
  readonly count: number;
  next: number;
  entry(i: number): readonly [Value, Value];
}

function childCursor(v: Value, path: Value[], charge?: (units: number) => void): ChildCursor | null {
  if (Array.isArray(v)) return v.length ? { path, count: v.length, next: 0, entry: (i) => [new D(i), v[i]] } : null;
  if (v instanceof RObject) {
    if (v.size === 0) return null;
    charge?.(v.size);
    const entries = v.sortedEntries();
    return { path, count: entries.length, next: 0, entry: (i) => entries[i] };
  }
  if (v instanceof RSet) {
    if (v.size === 0) return null;
    charge?.(v.size);
    const members = v.sortedValues();
    return { path, count: members.length, next: 0, entry: (i) => [members[i], members[i]] };
  }
  return null;
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
