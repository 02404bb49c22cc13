/** Array builtins: array.concat, array.slice, array.reverse, array.flatten (OPA topdown/array.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { arr, intArg } from './operands.ts';

export const arrayBuiltins: BuiltinDef[] = [
  { name: 'array.concat', arity: 2, fn: (a) => [...arr('array.concat', a, 0), ...arr('array.concat', a, 1)] },
  {
    name: 'array.slice',
    arity: 3,
    fn: (a) => {
      const xs = arr('array.slice', a, 0);
      let start = intArg('array.slice', a, 1);
      let stop = intArg('array.slice', a, 2);
      // OPA clamps: negative start → 0, stop past the end → length, start ≥ stop → [].
      if (start < 0) start = 0;
      if (stop > xs.length) stop = xs.length;
      return start >= stop ? [] : xs.slice(start, stop);
    },
  },
  { name: 'array.reverse', arity: 1, fn: (a) => [...arr('array.reverse', a, 0)].reverse() },
  // One level only: nested arrays inside the elements stay as they are.
  { name: 'array.flatten', arity: 1, types: '(arr: array[any]) => flat: array[any]', fn: (a) => arr('array.flatten', a, 0).flatMap((x) => (Array.isArray(x) ? x : [x])) },
];
