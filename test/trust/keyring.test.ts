import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveAppKey, Keyring, parseKeySpec } from '../../src/trust/keyring.ts';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const secret = (byte: number) => Buffer.alloc(32, byte).toString('base64');

describe('Keyring', () => {
  it('derives the same key from the PKCS#1 and PKCS#8 forms of the App key, and another from another key', () => {
    expect(deriveAppKey(pkcs1)).toEqual(deriveAppKey(pkcs8));
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(deriveAppKey(other).secret.equals(deriveAppKey(pkcs8).secret)).toBe(false);
    expect(deriveAppKey(other).kid).not.toBe(deriveAppKey(pkcs8).kid);
  });

  it('signs with the first key and verifies with every key (rotation)', () => {
    const old = Keyring.of([{ kid: 'k1', secret: Buffer.alloc(32, 1) }]);
    const rotated = Keyring.of([
      { kid: 'k2', secret: Buffer.alloc(32, 2) },
      { kid: 'k1', secret: Buffer.alloc(32, 1) },
    ]);
    const before = old.sign('data');
    expect(rotated.verify('data', before)).toBe(true);
    expect(rotated.sign('data').startsWith('k2.')).toBe(true);
    expect(old.verify('data', rotated.sign('data'))).toBe(false);
  });

  it('refuses altered data, altered or truncated signatures and unknown key ids', () => {
    const ring = Keyring.of([{ kid: 'k1', secret: Buffer.alloc(32, 1) }]);
    const sig = ring.sign('data');
    expect(ring.verify('data', sig)).toBe(true);
    expect(ring.verify('datA', sig)).toBe(false);
    expect(ring.verify('data', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(ring.verify('data', sig.slice(0, -2))).toBe(false);
    expect(ring.verify('data', sig.replace('k1.', 'k9.'))).toBe(false);
    expect(ring.verify('data', '')).toBe(false);
  });

  it('takes configured keys from UNWIND_STATE_KEYS first, keeping the derived key for verification', () => {
    const derived = Keyring.forApp({ privateKeyPem: pkcs8 });
    const signedByDerived = derived.sign('x');
    const ring = Keyring.forApp({ privateKeyPem: pkcs8, configured: `new=${secret(5)}, old=${secret(6)}` });
    expect(ring.signingKid).toBe('new');
    expect(ring.verify('x', signedByDerived)).toBe(true);
    expect(ring.verify('x', Keyring.of(parseKeySpec(`old=${secret(6)}`)).sign('x'))).toBe(true);
  });

  it('explains a bad key configuration', () => {
    expect(() => Keyring.forApp({ privateKeyPem: pkcs8, configured: 'nokey' })).toThrow(/kid=base64-secret/);
    expect(() => Keyring.forApp({ privateKeyPem: pkcs8, configured: `a=${Buffer.alloc(8).toString('base64')}` })).toThrow(/at least 32 random bytes/);
    expect(() => Keyring.forApp({ privateKeyPem: pkcs8, configured: `Bad=${secret(1)}` })).toThrow(/key id/);
    expect(() => Keyring.forApp({ privateKeyPem: pkcs8, configured: `a=${secret(1)},a=${secret(2)}` })).toThrow(/listed twice/);
  });
});

describe('unwind keys', () => {
  const cli = (...args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts'), 'keys', ...args], { encoding: 'utf8' }).trim();

  it('derive prints the key Unwind derives from an App key, usable in UNWIND_STATE_KEYS after that key is retired', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unwind-keys-'));
    try {
      writeFileSync(join(dir, 'old.pem'), pkcs1);
      const entry = cli('derive', '--private-key', join(dir, 'old.pem'));
      const signedByOldKey = Keyring.forApp({ privateKeyPem: pkcs8 }).sign('state');
      const newAppKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      expect(Keyring.forApp({ privateKeyPem: newAppKey }).verify('state', signedByOldKey)).toBe(false);
      expect(Keyring.forApp({ privateKeyPem: newAppKey, configured: entry }).verify('state', signedByOldKey)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('new prints a fresh 32-byte key entry', () => {
    const entry = cli('new', '--kid', 'k2026');
    expect(entry).toMatch(/^k2026=[A-Za-z0-9+/]{43}=$/);
    expect(parseKeySpec(entry)[0].secret).toHaveLength(32);
  });
});
