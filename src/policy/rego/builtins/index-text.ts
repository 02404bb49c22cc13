import type { BuiltinDef } from '../builtin-types.ts';

export const textBuiltins: BuiltinDef[] = [];
