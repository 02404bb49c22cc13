/** Protocol and format families backed by maintained libraries: JWT (node:crypto, jose's formats). */
import type { BuiltinDef } from '../builtin-types.ts';
import { jwtBuiltins } from './jwt.ts';

export const protocolBuiltins: BuiltinDef[] = [...jwtBuiltins];
