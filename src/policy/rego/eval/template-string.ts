/**
 * `internal.template_string(parts)`: the value of a template string (syntax/template-string.ts).
 * Literal text parts are strings; each expression part is the set of the expression's values
 * (`{x | x := expr}`): none prints `<undefined>`, one prints as `print` does (strings raw, other
 * values in Rego syntax), more than one is an error (a template string has one value).
 */
import { BuiltinError } from '../builtin-types.ts';
import type { BuiltinDef, BuiltinRegistry } from '../builtin-types.ts';
import { RSet } from '../value.ts';
import { printString } from './format.ts';

export const TEMPLATE_STRING = 'internal.template_string';

const templateString: BuiltinDef = {
  name: TEMPLATE_STRING,
  arity: 1,
  fn: ([parts]) => {
    if (!Array.isArray(parts)) throw new BuiltinError(TEMPLATE_STRING, 'operand 1 must be array');
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else if (p instanceof RSet) {
        const vs = [...p.values()];
        if (vs.length > 1) throw new BuiltinError(TEMPLATE_STRING, 'template-strings must not produce multiple outputs');
        out += vs.length ? printString(vs[0]) : '<undefined>';
      } else throw new BuiltinError(TEMPLATE_STRING, 'template parts must be strings or sets');
    }
    return out;
  },
};

/** The builtin registry with the engine's own internal builtins added. */
export function withInternalBuiltins(builtins: BuiltinRegistry): BuiltinRegistry {
  return new Map([...builtins, [TEMPLATE_STRING, templateString]]);
}
