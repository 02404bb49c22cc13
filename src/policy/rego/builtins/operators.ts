import type { BuiltinDef } from '../builtin-types.ts';

/** Operator builtins (equal, plus, lt, and, or, internal.member_2, …): owned by the engine. */
export const operatorBuiltins: BuiltinDef[] = [];
