/**
 * Keys and JWS algorithms for the io.jwt.* builtins (OPA topdown/tokens.go, internal/jwx): keys come
 * from a PEM certificate or public key, or from a JWK / JWK set; signing and verifying use node:crypto
 * (synchronous, which the evaluator needs; jose's sign/verify are asynchronous).
 */
import { createHmac, createPrivateKey, createPublicKey, constants, sign, timingSafeEqual, verify, X509Certificate } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';

export interface VerificationKey {
  /** The JWK's `alg`, '' for PEM keys. */
  alg: string;
  /** The JWK's `kid`, '' for PEM keys. */
  kid: string;
  key: KeyObject;
}

type Family = 'HS' | 'RS' | 'PS' | 'ES' | 'EdDSA';

export interface Algorithm {
  family: Family;
  /** node:crypto digest name ('' for EdDSA, which hashes internally). */
  hash: string;
  /** ECDSA coordinate size in bytes (P-256: 32, P-384: 48, P-521: 66). */
  ecSize?: number;
}

export const ALGORITHMS: Record<string, Algorithm> = {
  HS256: { family: 'HS', hash: 'sha256' },
  HS384: { family: 'HS', hash: 'sha384' },
  HS512: { family: 'HS', hash: 'sha512' },
  RS256: { family: 'RS', hash: 'sha256' },
  RS384: { family: 'RS', hash: 'sha384' },
  RS512: { family: 'RS', hash: 'sha512' },
  PS256: { family: 'PS', hash: 'sha256' },
  PS384: { family: 'PS', hash: 'sha384' },
  PS512: { family: 'PS', hash: 'sha512' },
  ES256: { family: 'ES', hash: 'sha256', ecSize: 32 },
  ES384: { family: 'ES', hash: 'sha384', ecSize: 48 },
  ES512: { family: 'ES', hash: 'sha512', ecSize: 66 },
  EdDSA: { family: 'EdDSA', hash: '' },
};

/** Go's pem.Decode of the first block: its type, and whether anything but whitespace follows it. */
function firstPemBlock(text: string): { type: string; pem: string; rest: string } | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n[\s\S]*?-----END \1-----/.exec(text);
  if (!m) return undefined;
  return { type: m[1], pem: m[0], rest: text.slice(m.index + m[0].length).trim() };
}

/** A JWK or a JWK set (`{"keys": […]}`), as lestrrat's jwk.ParseString accepts. */
export function parseJwkSet(text: string): JsonWebKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`failed to parse a JWK key (set): ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('failed to parse a JWK key (set): not a JSON object');
  const o = parsed as Record<string, unknown>;
  if (Array.isArray(o.keys)) return o.keys as JsonWebKey[];
  return [o as JsonWebKey];
}

/** A JWK as a node KeyObject (public part for verification); `oct` keys become secret bytes elsewhere. */
function jwkPublicKey(jwk: JsonWebKey): KeyObject {
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch (e) {
    throw new Error(`failed to materialize a JWK: ${(e as Error).message}`);
  }
}

/** OPA's getKeysFromCertOrJWK: a PEM certificate, a PEM public key, or a JWK (set). */
export function verificationKeys(text: string): VerificationKey[] {
  const block = firstPemBlock(text);
  if (block) {
    if (block.rest.length > 0) throw new Error('extra data after a PEM certificate block');
    if (block.type === 'CERTIFICATE') {
      try {
        return [{ alg: '', kid: '', key: new X509Certificate(block.pem).publicKey }];
      } catch (e) {
        throw new Error(`failed to parse a PEM certificate: ${(e as Error).message}`);
      }
    }
    if (block.type === 'PUBLIC KEY') {
      try {
        return [{ alg: '', kid: '', key: createPublicKey(block.pem) }];
      } catch (e) {
        throw new Error(`failed to parse a PEM public key: ${(e as Error).message}`);
      }
    }
    throw new Error('failed to extract a Key from the PEM certificate');
  }
  if (text.includes('-----BEGIN')) throw new Error('failed to parse a PEM certificate');
  return parseJwkSet(text).map((jwk) => ({
    alg: typeof jwk.alg === 'string' ? jwk.alg : '',
    kid: typeof jwk.kid === 'string' ? jwk.kid : '',
    key: jwkPublicKey(jwk),
  }));
}

/** Verifies `signature` over `data`; false (never an error) when the key does not fit the algorithm. */
export function verifyWith(alg: Algorithm, key: KeyObject | Buffer, data: Buffer, signature: Buffer): boolean {
  try {
    if (alg.family === 'HS') {
      if (!Buffer.isBuffer(key)) return false;
      const mac = createHmac(alg.hash, key).update(data).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    }
    if (Buffer.isBuffer(key)) return false;
    switch (alg.family) {
      case 'RS':
        return key.asymmetricKeyType === 'rsa' && verify(alg.hash, data, key, signature);
      case 'PS':
        // Go's rsa.VerifyPSS with nil options detects the salt length.
        return key.asymmetricKeyType === 'rsa' && verify(alg.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
      case 'ES':
        return key.asymmetricKeyType === 'ec' && signature.length === 2 * (alg.ecSize ?? 0) && verify(alg.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'EdDSA':
        return key.asymmetricKeyType === 'ed25519' && verify(null, data, key, signature);
    }
  } catch {
    return false;
  }
  return false;
}

/** Signs `data` with a JWK private key (or an `oct` secret), as OPA's jws.SignLiteral does. */
export function signWith(algName: string, alg: Algorithm, jwk: JsonWebKey, data: Buffer): Buffer {
  if (alg.family === 'HS') {
    if (jwk.kty !== 'oct' || typeof jwk.k !== 'string') throw new Error(`invalid key type for ${algName}: need an oct JWK`);
    return createHmac(alg.hash, Buffer.from(jwk.k, 'base64url')).update(data).digest();
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: jwk, format: 'jwk' });
  } catch (e) {
    throw new Error(`failed to materialize a JWK private key: ${(e as Error).message}`);
  }
  switch (alg.family) {
    case 'RS':
      return sign(alg.hash, data, key);
    case 'PS':
      // jwx signs PSS with the salt as long as the hash.
      return sign(alg.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
    case 'ES':
      return sign(alg.hash, data, { key, dsaEncoding: 'ieee-p1363' });
    default:
      return sign(null, data, key);
  }
}
