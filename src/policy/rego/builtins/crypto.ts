/** Hashes and HMACs over the UTF-8 bytes of strings (OPA topdown/crypto.go), hex-encoded. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { BuiltinDef } from '../builtin-types.ts';
import { str } from './operands.ts';

const hash = (name: string, algo: string): BuiltinDef => ({
  name,
  arity: 1,
  fn: (a) => createHash(algo).update(str(name, a, 0), 'utf8').digest('hex'),
});

const hmac = (name: string, algo: string): BuiltinDef => ({
  name,
  arity: 2,
  fn: (a) => createHmac(algo, Buffer.from(str(name, a, 1), 'utf8')).update(str(name, a, 0), 'utf8').digest('hex'),
});

export const cryptoBuiltins: BuiltinDef[] = [
  hash('crypto.md5', 'md5'),
  hash('crypto.sha1', 'sha1'),
  hash('crypto.sha256', 'sha256'),
  hash('crypto.sha512', 'sha512'),
  hmac('crypto.hmac.md5', 'md5'),
  hmac('crypto.hmac.sha1', 'sha1'),
  hmac('crypto.hmac.sha256', 'sha256'),
  hmac('crypto.hmac.sha512', 'sha512'),
  {
    name: 'crypto.hmac.equal',
    arity: 2,
    fn: (a) => {
      const x = Buffer.from(str('crypto.hmac.equal', a, 0), 'utf8');
      const y = Buffer.from(str('crypto.hmac.equal', a, 1), 'utf8');
      return x.length === y.length && timingSafeEqual(x, y);
    },
  },
];
