/** All builtins, assembled from the two families (each family file exports a `BuiltinDef[]`). */
import type { BuiltinDef, BuiltinRegistry } from '../builtin-types.ts';
import { coreBuiltins } from './index-core.ts';
import { textBuiltins } from './index-text.ts';

export const builtins: BuiltinRegistry = new Map<string, BuiltinDef>([...coreBuiltins, ...textBuiltins].map((b) => [b.name, b]));
