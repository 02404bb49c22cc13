/** Type builtins: type_name and is_* (OPA topdown/type_name.go, type.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { typeName } from '../value.ts';

const checks = ['number', 'string', 'boolean', 'array', 'set', 'object', 'null'] as const;

export const typeBuiltins: BuiltinDef[] = [
  { name: 'type_name', arity: 1, fn: (a) => typeName(a[0]) },
  // Current OPA returns false (not undefined) when the type differs.
  ...checks.map((t): BuiltinDef => ({ name: `is_${t}`, arity: 1, fn: (a) => typeName(a[0]) === t })),
];
