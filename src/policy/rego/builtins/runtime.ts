/**
 * Builtins that reach outside the evaluation (OPA topdown/http.go, runtime.go). Unwind evaluates
 * governance policies synchronously and must not let a policy make network calls, so http.send
 * exists (a policy may mock it `with http.send as f`, as OPA's tests do) but always fails: an error
 * in strict mode, undefined otherwise, exactly as a failed request in OPA. opa.runtime has no
 * runtime to describe and returns {}, as OPA does when it runs without one.
 */
import { BuiltinError } from '../builtin-types.ts';
import type { BuiltinDef } from '../builtin-types.ts';
import { RObject } from '../value.ts';
import type { Value } from '../value.ts';
import { evalErr, obj, str } from './operands.ts';

/** The request parameters OPA's http.send knows (topdown/http.go allowedKeyNames). */
const ALLOWED = new Set(
  'body cache caching_mode enable_redirect force_cache force_cache_duration_seconds force_json_decode force_yaml_decode headers max_retry_attempts method raise_error raw_body timeout tls_ca_cert tls_ca_cert_env_variable tls_ca_cert_file tls_client_cert tls_client_cert_env_variable tls_client_cert_file tls_client_key tls_client_key_env_variable tls_client_key_file tls_insecure_skip_verify tls_server_name url cache_ignored_headers'.split(' '),
);
const REQUIRED = ['method', 'url'];

const setText = (xs: string[]): string => `{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;

/** OPA checks the request object before sending: unknown or missing parameters are type errors. */
function checkRequest(args: Value[]): void {
  const req = obj('http.send', args, 0);
  const keys = req.keys().map(String);
  const invalid = keys.filter((k) => !ALLOWED.has(k)).sort();
  if (invalid.length) throw new BuiltinError('http.send', `invalid request parameters(s): ${setText(invalid)}`, 'type');
  const missing = REQUIRED.filter((k) => !keys.includes(k));
  if (missing.length) throw new BuiltinError('http.send', `missing required request parameters(s): ${setText(missing)}`, 'type');
}

export const runtimeBuiltins: BuiltinDef[] = [
  {
    name: 'http.send',
    arity: 1,
    nondeterministic: true,
    types: '(request: object[string: any]) => response: object[any: any]',
    fn: (args) => {
      checkRequest(args);
      throw evalErr('http.send', "network access is disabled in Unwind's policy engine (mock it with `with http.send as …`)");
    },
  },
  // Notes go to OPA's tracer; this engine has none, and trace is always true.
  { name: 'trace', arity: 1, types: '(note: string) => result: boolean', fn: (a) => str('trace', a, 0) !== undefined },
  { name: 'opa.runtime', arity: 0, nondeterministic: true, types: '() => output: object[string: any]', fn: () => new RObject() },
];
