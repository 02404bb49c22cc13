/**
 * net.* builtins (OPA topdown/cidr.go, net.go): CIDR containment, intersection, expansion, merging,
 * contains_matches, is_valid, and lookup_ip_addr. Addresses are parsed by ipaddr.js with Go's
 * strictness (IPv4 only as four decimal parts) and handled as bigints.
 */
import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import type { BuiltinContext, BuiltinDef } from '../builtin-types.ts';
import { D, RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { evalErr, str, typeErr } from './operands.ts';

interface Net {
  v6: boolean;
  /** The network address (host bits cleared). */
  base: bigint;
  prefix: number;
  /** How cidr_merge prints an entry it left unchanged, when that differs from base/prefix. */
  shown?: string;
}

const width = (v6: boolean): number => (v6 ? 128 : 32);

function toBig(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function format(v6: boolean, x: bigint): string {
  const n = v6 ? 16 : 4;
  const bytes: number[] = [];
  for (let i = n - 1; i >= 0; i--) bytes.push(Number((x >> BigInt(8 * i)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** Go's net.ParseIP: dotted-quad IPv4 or IPv6 (no zones, no shortened IPv4 forms). */
function parseIP(s: string): { v6: boolean; x: bigint } | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return { v6: false, x: toBig(ipaddr.IPv4.parse(s).toByteArray()) };
  if (!s.includes('%') && ipaddr.IPv6.isValid(s)) {
    const a = ipaddr.IPv6.parse(s);
    // Go keeps an IPv4-mapped address as IPv4.
    if (a.isIPv4MappedAddress()) return { v6: false, x: toBig(a.toIPv4Address().toByteArray()) };
    return { v6: true, x: toBig(a.toByteArray()) };
  }
  return undefined;
}

function mask(v6: boolean, prefix: number): bigint {
  const w = width(v6);
  return ((1n << BigInt(w)) - 1n) ^ ((1n << BigInt(w - prefix)) - 1n);
}

/** Go's net.ParseCIDR. */
function parseCIDR(s: string): Net | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const p = s.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > width(ip.v6)) return undefined;
  return { v6: ip.v6, base: ip.x & mask(ip.v6, prefix), prefix };
}

function cidrArg(name: string, s: string): Net {
  const n = parseCIDR(s);
  if (!n) throw evalErr(name, `invalid CIDR address: ${s}`);
  return n;
}

const last = (n: Net): bigint => n.base | ((1n << BigInt(width(n.v6) - n.prefix)) - 1n);
const containsAddr = (n: Net, v6: boolean, x: bigint): boolean => n.v6 === v6 && (x & mask(v6, n.prefix)) === n.base;

/** An IP (as a /32 or /128) or a CIDR, as cidr_contains' second operand. */
function ipOrCidr(name: string, s: string): Net {
  const ip = parseIP(s);
  if (ip) return { v6: ip.v6, base: ip.x, prefix: width(ip.v6) };
  return cidrArg(name, s);
}

function contains(name: string, a: string, b: string): boolean {
  const net = cidrArg(name, a);
  const other = ipOrCidr(name, b);
  return containsAddr(net, other.v6, other.base) && containsAddr(net, other.v6, last(other));
}

function intersects(a: Net, b: Net): boolean {
  return containsAddr(a, b.v6, b.base) || containsAddr(b, a.v6, a.base);
}

function expand(name: string, s: string, ctx: BuiltinContext): Value {
  const n = cidrArg(name, s);
  const out: string[] = [];
  for (let x = n.base, end = last(n); x <= end; x++) {
    ctx.charge?.(1);
    out.push(format(n.v6, x));
  }
  return new RSet(out);
}

/** OPA's cidr_merge: drop networks contained in others, then join sibling halves until none are left. */
function merge(name: string, v: Value, ctx: BuiltinContext): Value {
  if (!Array.isArray(v) && !(v instanceof RSet)) throw typeErr(name, 1, v, 'array', 'set');
  const nets: Net[] = [];
  for (const x of Array.isArray(v) ? v : v.sortedValues()) {
    if (typeof x !== 'string') throw evalErr(name, `element must be string but got ${typeof x}`);
    if (x.includes('/')) nets.push(cidrArg(name, x));
    else {
      const ip = parseIP(x);
      if (!ip) throw evalErr(name, `invalid IP address: ${x}`);
      if (ip.v6) throw evalErr(name, 'IPv6 invalid: needs prefix length');
      // OPA gives a bare IPv4 address Go's ip.DefaultMask(): its classful network (A /8, B /16, C /24).
      const first = Number(ip.x >> 24n);
      if (first >= 224) throw evalErr(name, `IPv4 invalid: ${x} has no default mask (class D/E)`);
      const prefix = first < 128 ? 8 : first < 192 ? 16 : 24;
      // Left alone by the merge, it is printed as Go prints that IPNet: the address, unmasked.
      nets.push({ v6: false, base: ip.x & mask(false, prefix), prefix, shown: `${x}/${prefix}` });
    }
  }
  const out: Net[] = [];
  for (const family of [false, true]) {
    let xs = nets.filter((n) => n.v6 === family).sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : a.prefix - b.prefix));
    // Each pass drops networks inside their predecessor and joins sibling halves; stop when a pass changes nothing.
    for (let before = Infinity; xs.length < before; ) {
      before = xs.length;
      const next: Net[] = [];
      for (const n of xs) {
        ctx.charge?.(1);
        const prev = next[next.length - 1];
        if (prev && prev.prefix <= n.prefix && containsAddr(prev, n.v6, n.base)) {
          next[next.length - 1] = { v6: family, base: prev.base, prefix: prev.prefix };
          continue;
        }
        if (prev && prev.prefix === n.prefix && prev.prefix > 0) {
          const parent = prev.base & mask(family, prev.prefix - 1);
          if (parent === prev.base && (n.base & mask(family, n.prefix - 1)) === parent) {
            next[next.length - 1] = { v6: family, base: parent, prefix: prev.prefix - 1 };
            continue;
          }
        }
        next.push(n);
      }
      xs = next;
    }
    out.push(...xs);
  }
  return new RSet(out.map((n) => n.shown ?? `${format(n.v6, n.base)}/${n.prefix}`));
}

/** contains_matches operands: strings, or non-empty arrays whose first element is the address; keyed by index, key or value. */
function entriesOf(name: string, pos: number, v: Value): Array<[Value, string]> {
  let pairs: Array<[Value, Value]>;
  if (typeof v === 'string') pairs = [[v, v]];
  else if (Array.isArray(v)) pairs = v.map((x, i) => [new D(i), x]);
  else if (v instanceof RSet) pairs = v.sortedValues().map((x) => [x, x]);
  else if (v instanceof RObject) pairs = v.sortedEntries();
  else throw typeErr(name, pos, v, 'string', 'array', 'set', 'object');
  return pairs.map(([k, x]) => {
    if (typeof x === 'string') return [k, x];
    if (Array.isArray(x) && x.length > 0 && typeof x[0] === 'string') return [k, x[0]];
    throw evalErr(name, `operand ${pos}: element must be string or non-empty array`);
  });
}

function containsMatches(name: string, a: Value, b: Value): Value {
  const nets = entriesOf(name, 1, a);
  const addrs = entriesOf(name, 2, b);
  const out = new RSet();
  for (const [k1, cidr] of nets) for (const [k2, addr] of addrs) if (contains(name, cidr, addr)) out.add([k1, k2]);
  return out;
}

/** Names resolve through /etc/hosts only: evaluation is synchronous and a policy must not wait on DNS. */
function lookup(name: string, host: string): Value {
  const ip = parseIP(host);
  if (ip) return new RSet([format(ip.v6, ip.x)]);
  let hosts = '';
  try {
    hosts = readFileSync('/etc/hosts', 'utf8');
  } catch {
    /* no hosts file: nothing resolves */
  }
  const found = new RSet();
  for (const line of hosts.split('\n')) {
    const [addr, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    const parsed = addr ? parseIP(addr) : undefined;
    if (parsed && names.some((n) => n.toLowerCase() === host.toLowerCase())) found.add(format(parsed.v6, parsed.x));
  }
  if (found.size === 0) throw evalErr(name, `lookup ${host}: no such host (this engine resolves names from /etc/hosts only)`);
  return found;
}

const s1 = (name: string, a: Value[], i: number): string => str(name, a, i);

export const netBuiltins: BuiltinDef[] = [
  {
    name: 'net.cidr_contains',
    arity: 2,
    types: '(cidr: string, cidr_or_ip: string) => result: boolean',
    fn: (a) => contains('net.cidr_contains', s1('net.cidr_contains', a, 0), s1('net.cidr_contains', a, 1)),
  },
  {
    name: 'net.cidr_overlap',
    arity: 2,
    types: '(cidr: string, ip: string) => result: boolean',
    fn: (a) => contains('net.cidr_overlap', s1('net.cidr_overlap', a, 0), s1('net.cidr_overlap', a, 1)),
  },
  {
    name: 'net.cidr_intersects',
    arity: 2,
    types: '(cidr: string, other: string) => result: boolean',
    fn: (a) => {
      const n = 'net.cidr_intersects';
      return intersects(cidrArg(n, s1(n, a, 0)), cidrArg(n, s1(n, a, 1)));
    },
  },
  {
    name: 'net.cidr_expand',
    arity: 1,
    types: '(cidr: string) => hosts: set[string]',
    fn: (a, ctx) => expand('net.cidr_expand', s1('net.cidr_expand', a, 0), ctx),
  },
  {
    name: 'net.cidr_merge',
    arity: 1,
    types: '(addrs: any<array[any<string>], set[string]>) => output: set[string]',
    fn: (a, ctx) => merge('net.cidr_merge', a[0], ctx),
  },
  {
    name: 'net.cidr_contains_matches',
    arity: 2,
    types: '(cidrs: any<string, array[any<string, array[any]>], object[string: any<string, array[any]>], set[any<string, array[any]>]>, cidrs_or_ips: any<string, array[any<string, array[any]>], object[string: any<string, array[any]>], set[any<string, array[any]>]>) => output: set[array<any, any>]',
    fn: (a) => containsMatches('net.cidr_contains_matches', a[0], a[1]),
  },
  { name: 'net.cidr_is_valid', arity: 1, types: '(cidr: string) => result: boolean', fn: (a) => typeof a[0] === 'string' && parseCIDR(a[0]) !== undefined },
  {
    name: 'net.lookup_ip_addr',
    arity: 1,
    nondeterministic: true,
    types: '(name: string) => addrs: set[string]',
    fn: (a) => lookup('net.lookup_ip_addr', s1('net.lookup_ip_addr', a, 0)),
  },
];
