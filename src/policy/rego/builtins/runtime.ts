/**
 * Builtins that reach outside the evaluation (OPA topdown/http.go, runtime.go). Unwind evaluates
 * governance policies synchronously and must not let a policy make network calls, so http.send
 * exists (a policy may mock it `with http.send as f`, as OPA's tests do) but always fails: an error
 * in strict mode, undefined otherwise, exactly as a failed request in OPA. opa.runtime has no
 * runtime to describe and returns {}, as OPA does when it runs without one.
 */
import type { BuiltinDef } from '../builtin-types.ts';
import { RObject } from '../value.ts';
import { evalErr } from './operands.ts';

export const runtimeBuiltins: BuiltinDef[] = [
  {
    name: 'http.send',
    arity: 1,
    nondeterministic: true,
    types: '(request: object[string: any]) => response: object[any: any]',
    fn: () => {
      throw evalErr('http.send', "network access is disabled in Unwind's policy engine (mock it with `with http.send as …`)");
    },
  },
  { name: 'opa.runtime', arity: 0, nondeterministic: true, types: '() => output: object[string: any]', fn: () => new RObject() },
];
