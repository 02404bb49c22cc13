/** http.send never reaches the network (fail closed) but can be mocked; opa.runtime is empty. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../../src/policy/rego/index.ts';

const policy = `package p
import rego.v1
allow if "admin" in http.send({"method": "GET", "url": "http://127.0.0.1:1/roles"}).body.roles
mock(_) := {"body": {"roles": ["admin"]}}
mocked if allow with http.send as mock
`;

describe('runtime builtins', () => {
  const p = compile({ modules: [{ path: 'p.rego', text: policy }] });
  it('http.send fails: undefined by default, an error in strict mode', () => {
    expect(p.queryFull('x := data.p.allow').solutions).toHaveLength(0);
    expect(() => p.queryFull('x := data.p.allow', { strictBuiltinErrors: true })).toThrow('http.send: network access is disabled');
  });
  it('a mock replaces it', () => {
    expect(p.queryFull('x := data.p.mocked').solutions[0].bindings.x).toBe(true);
  });
  it('opa.runtime is an empty object', () => {
    expect(p.queryFull('x := count(opa.runtime())').solutions[0].bindings.x?.toString()).toBe('0');
  });
});
