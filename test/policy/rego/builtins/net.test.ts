/** net.* builtins with Go's net parsing (OPA topdown/cidr.go). */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../../src/policy/rego/index.ts';
import { toJS } from '../../../../src/policy/rego/value.ts';

function q(expr: string, input?: unknown): unknown {
  const r = compile({ modules: [] }).queryFull(`x := ${expr}`, { strictBuiltinErrors: true, ...(input !== undefined ? { input } : {}) });
  return r.solutions.length ? toJS(r.solutions[0].bindings.x) : undefined;
}

describe('net', () => {
  it('contains and intersects, IPv4 and IPv6', () => {
    expect(q('net.cidr_contains("10.0.0.0/8", "10.1.0.0/24")')).toBe(true);
    expect(q('net.cidr_contains("10.0.0.0/24", "10.0.0.0/16")')).toBe(false); // the whole second network must fit
    expect(q('net.cidr_contains("2001:db8::/32", "2001:db8:1::1")')).toBe(true);
    expect(q('net.cidr_contains("10.0.0.0/8", "::1")')).toBe(false);
    expect(q('net.cidr_intersects("10.0.0.0/24", "10.0.0.128/25")')).toBe(true);
    expect(q('net.cidr_is_valid("10.1/8")')).toBe(false); // Go accepts dotted quads only
  });

  it('expand and merge', () => {
    expect(q('net.cidr_expand("192.168.1.1/31")')).toEqual(['192.168.1.0', '192.168.1.1']);
    expect(q('net.cidr_merge(["10.0.0.0/25", "10.0.0.128/25", "10.1.0.0/16"])')).toEqual(['10.0.0.0/24', '10.1.0.0/16']);
    // A bare IPv4 address stands for its classful network (Go's DefaultMask), as in OPA (../cases/net-cidr.yaml).
    expect(q('net.cidr_merge(["10.0.0.7", "10.0.0.0/24"])')).toEqual(['10.0.0.0/8']);
    expect(q('net.cidr_merge(["2001:db8::/33", "2001:db8:8000::/33"])')).toEqual(['2001:db8::/32']);
  });

  it('errors say which operand and why', () => {
    expect(() => q('net.cidr_expand("10.0.0.0/33")')).toThrow('net.cidr_expand: invalid CIDR address: 10.0.0.0/33');
    expect(() => q('net.cidr_merge(["::1"])')).toThrow('IPv6 invalid: needs prefix length');
    expect(() => q('net.cidr_contains_matches(input.cidrs, "10.0.0.1")', { cidrs: [1] })).toThrow('operand 1: element must be string or non-empty array');
  });

  it('contains_matches keys results by index, key or value', () => {
    expect(q('net.cidr_contains_matches({"a": "10.0.0.0/8", "b": ["192.168.0.0/16", "lan"]}, ["10.1.1.1", "192.168.3.4"])')).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
  });

  it('lookup_ip_addr: a literal address is itself', () => {
    expect(q('net.lookup_ip_addr("10.0.0.1")')).toEqual(['10.0.0.1']);
  });
});
