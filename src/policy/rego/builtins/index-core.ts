/** Core builtin families: aggregates, numbers, arrays, sets, objects, types, walk, graph, bits, rego.* (metadata, parse_module). */
import type { BuiltinDef } from '../builtin-types.ts';
import { aggregateBuiltins } from './aggregates.ts';
import { arrayBuiltins } from './arrays.ts';
import { bitsBuiltins } from './bits.ts';
import { graphBuiltins } from './graph.ts';
import { numberBuiltins } from './numbers.ts';
import { objectBuiltins } from './objects.ts';
import { setBuiltins } from './sets.ts';
import { typeBuiltins } from './types.ts';
import { walkBuiltins } from './walk.ts';
import { regoMetaBuiltins } from './rego-meta.ts';

export const coreBuiltins: BuiltinDef[] = [
  ...aggregateBuiltins,
  ...numberBuiltins,
  ...arrayBuiltins,
  ...setBuiltins,
  ...objectBuiltins,
  ...typeBuiltins,
  ...walkBuiltins,
  ...graphBuiltins,
  ...bitsBuiltins,
  ...regoMetaBuiltins,
];
