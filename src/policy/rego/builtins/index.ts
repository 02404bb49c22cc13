/** All builtins, assembled from the operator, core and text families (each file exports a `BuiltinDef[]`). */
import type { BuiltinDef, BuiltinRegistry } from '../builtin-types.ts';
import { coreBuiltins } from './index-core.ts';
import { textBuiltins } from './index-text.ts';
import { operatorBuiltins } from './operators.ts';

export const builtins: BuiltinRegistry = new Map<string, BuiltinDef>(
  [...operatorBuiltins, ...coreBuiltins, ...textBuiltins].map((b) => [b.name, b]),
);
