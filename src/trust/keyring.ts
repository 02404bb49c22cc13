/**
 * The keys that authenticate what Unwind writes to GitHub and later reads back (tracking-issue
 * state, ledger records). One key signs; every key of the ring verifies, so keys can be rotated
 * without invalidating what the previous key signed.
 *
 * Keys come from `UNWIND_STATE_KEYS` (`kid=base64-secret,…`, the first one signs) and/or are
 * derived from the App's private key with HKDF-SHA256: only whoever holds that key can sign.
 */
import { createHmac, createPrivateKey, createPublicKey, createHash, hkdfSync, timingSafeEqual } from 'node:crypto';

export interface KeyEntry {
  readonly kid: string;
  readonly secret: Buffer;
}

const KID = /^[a-z0-9-]{1,32}$/;
const MIN_SECRET_BYTES = 32;
const MAC = /^[A-Za-z0-9_-]{43}$/;

export class Keyring {
  private readonly byKid: ReadonlyMap<string, Buffer>;

  private constructor(private readonly signer: KeyEntry, accepted: readonly KeyEntry[]) {
    this.byKid = new Map(accepted.map((k) => [k.kid, k.secret]));
  }

  /** The first key signs; all of them verify. */
  static of(keys: readonly KeyEntry[]): Keyring {
    const [first] = keys;
    if (!first) throw new Error('a keyring needs at least one key');
    const seen = new Set<string>();
    for (const k of keys) {
      if (!KID.test(k.kid)) throw new Error(`key id "${k.kid}" must be 1 to 32 lowercase letters, digits or hyphens`);
      if (seen.has(k.kid)) throw new Error(`key id "${k.kid}" is listed twice`);
      if (k.secret.length < MIN_SECRET_BYTES) throw new Error(`key "${k.kid}" is ${k.secret.length} bytes; state keys need at least ${MIN_SECRET_BYTES} random bytes`);
      seen.add(k.kid);
    }
    return new Keyring(first, keys);
  }

  /**
   * The ring an installation uses: the configured keys first (the first one signs), then the key
   * derived from the App's private key (signs only when nothing is configured).
   */
  static forApp(p: { privateKeyPem: string; configured?: string | undefined }): Keyring {
    const configured = p.configured?.trim() ? parseKeySpec(p.configured) : [];
    const derived = deriveAppKey(p.privateKeyPem);
    return Keyring.of([...configured, ...configured.some((k) => k.kid === derived.kid) ? [] : [derived]]);
  }

  get signingKid(): string {
    return this.signer.kid;
  }

  /** `<kid>.<base64url HMAC-SHA256>` over `data`. */
  sign(data: string): string {
    return `${this.signer.kid}.${mac(this.signer.secret, data)}`;
  }

  /** True when `signature` is a MAC of `data` by one of the ring's keys (constant-time comparison). */
  verify(data: string, signature: string): boolean {
    const dot = signature.indexOf('.');
    if (dot < 0) return false;
    const secret = this.byKid.get(signature.slice(0, dot));
    const given = signature.slice(dot + 1);
    if (!secret || !MAC.test(given)) return false;
    return timingSafeEqual(Buffer.from(mac(secret, data)), Buffer.from(given));
  }
}

/** `kid=base64secret,kid2=base64secret` (whitespace and newlines allowed between entries). */
export function parseKeySpec(spec: string): KeyEntry[] {
  return spec
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((item, i) => {
      const eq = item.indexOf('=');
      if (eq <= 0) throw new Error(`UNWIND_STATE_KEYS entry ${i + 1} must be "kid=base64-secret"`);
      const kid = item.slice(0, eq);
      const secret = Buffer.from(item.slice(eq + 1), 'base64');
      return { kid, secret };
    });
}

/** HKDF-SHA256 over the private key (PKCS#8 DER, so PKCS#1 and PKCS#8 PEMs of one key give the same key). */
export function deriveAppKey(privateKeyPem: string): KeyEntry {
  const key = createPrivateKey(privateKeyPem);
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const secret = Buffer.from(hkdfSync('sha256', der, 'unwind', 'unwind state authentication v1', 32));
  const fingerprint = createHash('sha256').update(createPublicKey(key).export({ type: 'spki', format: 'der' })).digest('hex');
  return { kid: `app-${fingerprint.slice(0, 12)}`, secret };
}

function mac(secret: Buffer, data: string): string {
  return createHmac('sha256', secret).update(data, 'utf8').digest('base64url');
}
