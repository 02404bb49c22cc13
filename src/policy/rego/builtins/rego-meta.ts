/**
 * The `rego.*` builtins about policies themselves (OPA topdown/parse.go). rego.metadata.chain() and
 * rego.metadata.rule() are replaced at compile time by the calling rule's constants
 * (`compile/metadata.ts`); a call left at evaluation time is in a query, which has no rule: OPA's error.
 */
import type { BuiltinDef } from '../builtin-types.ts';
import { evalErr } from './operands.ts';

const outsideRule = (name: string): BuiltinDef['fn'] => () => {
  throw evalErr(name, `the ${name} function must only be called within the scope of a rule`);
};

export const regoMetaBuiltins: BuiltinDef[] = [
  { name: 'rego.metadata.chain', arity: 0, types: '() => chain: array[any]', fn: outsideRule('rego.metadata.chain') },
  { name: 'rego.metadata.rule', arity: 0, types: '() => output: any', fn: outsideRule('rego.metadata.rule') },
];
