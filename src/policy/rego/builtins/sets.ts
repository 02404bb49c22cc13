/** Set builtins: intersection and union of a set of sets (OPA topdown/sets.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { set, typeErr } from './operands.ts';

function setsOf(name: string, args: Value[]): RSet[] {
  return set(name, args, 0)
    .sortedValues()
    .map((x) => {
      if (!(x instanceof RSet)) throw typeErr(name, 1, x, 'set');
      return x;
    });
}

export const setBuiltins: BuiltinDef[] = [
  {
    name: 'intersection',
    arity: 1,
    fn: (a) => {
      const sets = setsOf('intersection', a);
      if (sets.length === 0) return new RSet();
      const [first, ...rest] = sets;
      return new RSet([...first.values()].filter((x) => rest.every((s) => s.has(x))));
    },
  },
  {
    name: 'union',
    arity: 1,
    fn: (a) => {
      const out = new RSet();
      for (const s of setsOf('union', a)) for (const x of s.values()) out.add(x);
      return out;
    },
  },
];
