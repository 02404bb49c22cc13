/** Every builtin that declares OPA's signature (BuiltinDef.types) declares one the type checker reads, with its arity. */
import { describe, expect, it } from 'vitest';
import { builtins } from '../../../../src/policy/rego/builtins/index.ts';
import { parseSignature } from '../../../../src/policy/rego/typecheck/signatures.ts';

describe('builtin signatures', () => {
  const typed = [...builtins.values()].filter((b) => b.types !== undefined);

  it('the protocol families all carry signatures', () => {
    for (const name of ['io.jwt.decode_verify', 'net.cidr_merge', 'graphql.parse', 'crypto.x509.parse_certificates', 'providers.aws.sign_req', 'json.match_schema', 'strings.render_template', 'strings.split_n', 'array.flatten'])
      expect(typed.map((b) => b.name)).toContain(name);
  });

  for (const b of typed) {
    it(`${b.name}: ${b.types}`, () => {
      const sig = parseSignature(b.types!);
      expect(sig.args).toHaveLength(b.arity);
    });
  }
});
