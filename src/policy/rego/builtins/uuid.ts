/** uuid.rfc4122 (random v4, stable per seed within an evaluation) and uuid.parse (OPA internal/uuid). */
import { randomBytes } from 'node:crypto';
import type { BuiltinContext, BuiltinDef } from '../builtin-types.ts';
import { D, RObject } from '../value.ts';
import type { Value } from '../value.ts';
import { str } from './operands.ts';

function v4(): string {
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function rfc4122(a: Value[], ctx: BuiltinContext): Value {
  const key = 'uuid.rfc4122:' + str('uuid.rfc4122', a, 0);
  const hit = ctx.cache.get(key);
  if (typeof hit === 'string') return hit;
  const id = v4();
  ctx.cache.set(key, id);
  return id;
}

/** google/uuid.Parse forms: plain (36), {…} (38), urn:uuid:… (45), bare hex (32). */
function bytesOf(s: string): Buffer | undefined {
  let body = s;
  if (s.length === 38 && s[0] === '{' && s[37] === '}') body = s.slice(1, 37);
  else if (s.length === 45 && s.slice(0, 9).toLowerCase() === 'urn:uuid:') body = s.slice(9);
  if (body.length === 36) {
    if (body[8] !== '-' || body[13] !== '-' || body[18] !== '-' || body[23] !== '-') return undefined;
    body = body.replace(/-/g, '');
  } else if (body.length !== 32) return undefined;
  if (!/^[0-9a-fA-F]{32}$/.test(body)) return undefined;
  return Buffer.from(body, 'hex');
}

function variant(b: number): string {
  if ((b & 0xc0) === 0x80) return 'RFC4122';
  if ((b & 0xe0) === 0xc0) return 'Microsoft';
  if ((b & 0xe0) === 0xe0) return 'Future';
  return 'Reserved';
}

const G1582NS100 = 122_192_928_000_000_000n;

function parse(a: Value[]): Value | undefined {
  const b = bytesOf(str('uuid.parse', a, 0));
  if (!b) return undefined;
  const version = b[6] >> 4;
  const out = new RObject([
    ['version', new D(version)],
    ['variant', variant(b[8])],
  ]);
  if (version === 1 || version === 2) {
    const t = BigInt(b.readUInt32BE(0)) | (BigInt(b.readUInt16BE(4)) << 32n) | (BigInt(b.readUInt16BE(6) & 0xfff) << 48n);
    const since = t - G1582NS100;
    out.set('time', new D(((since / 10_000_000n) * 1_000_000_000n + (since % 10_000_000n) * 100n).toString()));
    out.set('nodeid', [...b.subarray(10)].map((x) => x.toString(16).padStart(2, '0')).join('-'));
    const m = b[10];
    out.set('macvariables', (m & 3) === 3 ? 'local:multicast' : (m & 1) === 1 ? 'global:multicast' : (m & 2) === 2 ? 'local:unicast' : 'global:unicast');
    out.set('clocksequence', new D(b.readUInt16BE(8) & 0x3fff));
    if (version === 2) {
      out.set('id', new D(b.readUInt32BE(0)));
      out.set('domain', ['Person', 'Group', 'Org'][b[9]] ?? `Domain${b[9]}`);
    }
  }
  return out;
}

export const uuidBuiltins: BuiltinDef[] = [
  { name: 'uuid.rfc4122', arity: 1, nondeterministic: true, fn: rfc4122 },
  { name: 'uuid.parse', arity: 1, fn: parse },
];
