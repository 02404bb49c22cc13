/** All builtins, assembled from the operator, core, text and protocol families (each file exports a `BuiltinDef[]`). */
import type { BuiltinDef, BuiltinRegistry } from '../builtin-types.ts';
import { coreBuiltins } from './index-core.ts';
import { textBuiltins } from './index-text.ts';
import { operatorBuiltins } from './operators.ts';
import { protocolBuiltins } from './index-protocols.ts';

export const builtins: BuiltinRegistry = new Map<string, BuiltinDef>(
  [...operatorBuiltins, ...coreBuiltins, ...textBuiltins, ...protocolBuiltins].map((b) => [b.name, b]),
);
