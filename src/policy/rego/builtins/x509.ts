/**
 * crypto.x509.* builtins (OPA topdown/crypto.go): parse_certificates, parse_certificate_request,
 * parse_keypair, parse_rsa_private_key. Certificates and CSRs are parsed by @peculiar/x509 and
 * written with the field names of Go's x509.Certificate / x509.CertificateRequest as OPA returns
 * them (the commonly used subset: names, validity, SANs, key usage, basic constraints, key ids,
 * algorithms, extensions, raw DER); keys go through node:crypto.
 */
import 'reflect-metadata'; // tsyringe, which @peculiar/x509 loads, needs the Reflect metadata API
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { BuiltinDef } from '../builtin-types.ts';
import { D, fromJS } from '../value.ts';
import type { Value } from '../value.ts';
import { evalErr, str } from './operands.ts';

const B64 = /^[A-Za-z0-9+/]$/;

/** Go's base64.StdEncoding.DecodeString (newlines ignored), with its error text. */
function stdBase64(s: string): Buffer {
  const t = s.replace(/[\r\n]/g, '');
  const body = t.replace(/={1,2}$/, '');
  for (let i = 0; i < body.length; i++) if (!B64.test(body[i])) throw new Error(`illegal base64 data at input byte ${i}`);
  if (t.length % 4 !== 0) throw new Error(`illegal base64 data at input byte ${body.length - (body.length % 4)}`);
  return Buffer.from(body, 'base64');
}

/** OPA's input convention: PEM text as is, anything else base64 (of PEM or DER). */
export function pemOrDecoded(text: string): Buffer {
  return text.startsWith('-----BEGIN') ? Buffer.from(text, 'utf8') : stdBase64(text);
}

/** The PEM blocks of `type` in `data`, or the data itself as one DER item when it is not PEM. */
export function derItems(data: Buffer, type: string): Buffer[] {
  const text = data.toString('latin1');
  if (!text.startsWith('-----BEGIN')) return [data];
  const re = new RegExp(`-----BEGIN ${type}-----([\\s\\S]*?)-----END ${type}-----`, 'g');
  return [...text.matchAll(re)].map((m) => stdBase64(m[1].replace(/\s+/g, '')));
}

const ATTR_OID: Record<string, number[]> = {
  C: [2, 5, 4, 6],
  O: [2, 5, 4, 10],
  OU: [2, 5, 4, 11],
  L: [2, 5, 4, 7],
  ST: [2, 5, 4, 8],
  STREET: [2, 5, 4, 9],
  postalCode: [2, 5, 4, 17],
  serialNumber: [2, 5, 4, 5],
  CN: [2, 5, 4, 3],
  E: [1, 2, 840, 113549, 1, 9, 1],
};

/** Go's pkix.Name: the common attributes as lists (null when absent), plus every attribute in Names. */
function pkixName(name: x509.Name): Record<string, unknown> {
  const field = (k: string): string[] | null => {
    const vs = name.getField(k);
    return vs.length ? vs : null;
  };
  const names: Array<{ Type: number[]; Value: string }> = [];
  for (const rdn of name.toJSON()) {
    for (const [k, vs] of Object.entries(rdn)) {
      const oid = ATTR_OID[k] ?? (/^\d+(\.\d+)+$/.test(k) ? k.split('.').map(Number) : undefined);
      if (oid) for (const v of vs) names.push({ Type: oid, Value: v });
    }
  }
  return {
    Country: field('C'),
    Organization: field('O'),
    OrganizationalUnit: field('OU'),
    Locality: field('L'),
    Province: field('ST'),
    StreetAddress: field('STREET'),
    PostalCode: field('postalCode'),
    SerialNumber: name.getField('serialNumber')[0] ?? '',
    CommonName: name.getField('CN')[0] ?? '',
    Names: names.length ? names : null,
    ExtraNames: null,
  };
}

/** Go's x509.SignatureAlgorithm numbering, from the WebCrypto description. */
function signatureAlgorithm(alg: { name?: string; hash?: { name?: string } }): number {
  const h = alg.hash?.name ?? '';
  const byHash = (table: Record<string, number>): number => table[h] ?? 0;
  switch (alg.name) {
    case 'RSASSA-PKCS1-v1_5':
      return byHash({ 'SHA-1': 3, 'SHA-256': 4, 'SHA-384': 5, 'SHA-512': 6 });
    case 'RSA-PSS':
      return byHash({ 'SHA-256': 13, 'SHA-384': 14, 'SHA-512': 15 });
    case 'ECDSA':
      return byHash({ 'SHA-1': 9, 'SHA-256': 10, 'SHA-384': 11, 'SHA-512': 12 });
    case 'Ed25519':
      return 16;
    default:
      return 0;
  }
}

/** Go's x509.PublicKeyAlgorithm numbering. */
function publicKeyAlgorithm(name: string): number {
  if (name.startsWith('RSA')) return 1;
  if (name === 'ECDSA' || name === 'ECDH') return 3;
  if (name === 'Ed25519') return 4;
  return 0;
}

const oidArray = (oid: string): number[] => oid.split('.').map(Number);
const b64 = (b: ArrayBuffer | undefined): string | null => (b && b.byteLength ? Buffer.from(b).toString('base64') : null);
const orNull = <T>(xs: T[]): T[] | null => (xs.length ? xs : null);

function sans(ext: x509.SubjectAlternativeNameExtension | null): Record<string, unknown> {
  const items = ext?.names.items ?? [];
  const of = (t: string): string[] => items.filter((i) => i.type === t).map((i) => i.value);
  return { DNSNames: orNull(of('dns')), EmailAddresses: orNull(of('email')), IPAddresses: orNull(of('ip')), URIStrings: orNull(of('url')) };
}

const extensionsJson = (exts: x509.Extension[]): unknown =>
  orNull(exts.map((e) => ({ Id: oidArray(e.type), Critical: e.critical, Value: Buffer.from(e.value).toString('base64') })));

/** x509.Certificate as OPA returns it (json of Go's struct plus OPA's URIStrings). */
export function certificateJson(c: x509.X509Certificate): Record<string, unknown> {
  const bc = c.getExtension(x509.BasicConstraintsExtension);
  const ku = c.getExtension(x509.KeyUsagesExtension);
  const eku = c.getExtension(x509.ExtendedKeyUsageExtension);
  const ski = c.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = c.getExtension(x509.AuthorityKeyIdentifierExtension);
  return {
    Raw: Buffer.from(c.rawData).toString('base64'),
    Signature: Buffer.from(c.signature).toString('base64'),
    SignatureAlgorithm: signatureAlgorithm(c.signatureAlgorithm as { name?: string; hash?: { name?: string } }),
    PublicKeyAlgorithm: publicKeyAlgorithm(c.publicKey.algorithm.name),
    Version: 3,
    SerialNumber: new D(BigInt(`0x${c.serialNumber || '0'}`).toString()),
    Issuer: pkixName(c.issuerName),
    Subject: pkixName(c.subjectName),
    NotBefore: c.notBefore.toISOString().replace('.000Z', 'Z'),
    NotAfter: c.notAfter.toISOString().replace('.000Z', 'Z'),
    KeyUsage: ku ? ku.usages : 0,
    Extensions: extensionsJson(c.extensions),
    ExtKeyUsage: eku ? orNull(eku.usages.map((u) => EXT_KEY_USAGE[String(u)] ?? 0)) : null,
    BasicConstraintsValid: !!bc,
    IsCA: bc?.ca ?? false,
    MaxPathLen: bc ? (bc.pathLength ?? -1) : 0,
    MaxPathLenZero: bc?.pathLength === 0,
    SubjectKeyId: ski ? Buffer.from(ski.keyId, 'hex').toString('base64') : null,
    AuthorityKeyId: aki?.keyId ? Buffer.from(aki.keyId, 'hex').toString('base64') : null,
    ...sans(c.getExtension(x509.SubjectAlternativeNameExtension)),
  };
}

/** Go's x509.ExtKeyUsage numbering by OID. */
export const EXT_KEY_USAGE: Record<string, number> = {
  '2.5.29.37.0': 0,
  '1.3.6.1.5.5.7.3.1': 1,
  '1.3.6.1.5.5.7.3.2': 2,
  '1.3.6.1.5.5.7.3.3': 3,
  '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5,
  '1.3.6.1.5.5.7.3.6': 6,
  '1.3.6.1.5.5.7.3.7': 7,
  '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9,
};

export function parseCertificates(text: string): x509.X509Certificate[] {
  const items = derItems(pemOrDecoded(text), 'CERTIFICATE');
  return items.flatMap((der) => {
    try {
      return [new x509.X509Certificate(der)];
    } catch {
      throw new Error('x509: malformed certificate');
    }
  });
}

function csrJson(r: x509.Pkcs10CertificateRequest): Record<string, unknown> {
  return {
    Raw: Buffer.from(r.rawData).toString('base64'),
    Version: 0,
    Signature: Buffer.from(r.signature).toString('base64'),
    SignatureAlgorithm: signatureAlgorithm(r.signatureAlgorithm as { name?: string; hash?: { name?: string } }),
    PublicKeyAlgorithm: publicKeyAlgorithm(r.publicKey.algorithm.name),
    Subject: pkixName(r.subjectName),
    Extensions: extensionsJson(r.extensions),
    ...sans(r.extensions.find((e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension) ?? null),
  };
}

/** A private key from PEM (PKCS#1 or PKCS#8) or DER, as tls.X509KeyPair and ParsePKCS1/8PrivateKey read it. */
function privateKey(data: Buffer): KeyObject {
  const text = data.toString('latin1');
  if (text.startsWith('-----BEGIN')) {
    const m = /-----BEGIN ([A-Z ]*PRIVATE KEY)-----/.exec(text);
    if (!m) throw new Error('failed to parse PEM block containing the key');
    return createPrivateKey({ key: text, format: 'pem' });
  }
  try {
    return createPrivateKey({ key: data, format: 'der', type: 'pkcs8' });
  } catch {
    return createPrivateKey({ key: data, format: 'der', type: 'pkcs1' });
  }
}

/** Go's rsa.PrivateKey / ecdsa.PrivateKey JSON fields from the key's JWK (big integers as numbers). */
export function privateKeyJson(k: KeyObject): Record<string, unknown> {
  const jwk = k.export({ format: 'jwk' });
  const big = (x: string | undefined): Value => (x ? new D(BigInt(`0x${Buffer.from(x, 'base64url').toString('hex') || '0'}`).toString()) : null);
  if (jwk.kty === 'RSA') return { N: big(jwk.n), E: big(jwk.e), D: big(jwk.d), Primes: [big(jwk.p), big(jwk.q)] };
  if (jwk.kty === 'EC') return { Curve: { Name: jwk.crv }, X: big(jwk.x), Y: big(jwk.y), D: big(jwk.d) };
  return { Key: jwk.d ?? null };
}

function parseKeyPair(certText: string, keyText: string): unknown {
  const certs = derItems(pemOrDecoded(certText), 'CERTIFICATE');
  if (certs.length === 0) throw new Error('tls: failed to find any PEM data in certificate input');
  let key: KeyObject;
  try {
    key = privateKey(pemOrDecoded(keyText));
  } catch (e) {
    throw new Error(`tls: failed to parse private key: ${(e as Error).message}`);
  }
  let leaf: x509.X509Certificate;
  try {
    leaf = new x509.X509Certificate(certs[0]);
  } catch {
    throw new Error('x509: malformed certificate');
  }
  const certSpki = Buffer.from(leaf.publicKey.rawData);
  const keySpki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  if (!certSpki.equals(keySpki)) throw new Error('tls: private key does not match public key');
  return { Certificate: certs.map((c) => c.toString('base64')), PrivateKey: privateKeyJson(key), Leaf: certificateJson(leaf) };
}

function parseRsaPrivateKey(text: string): unknown {
  const data = pemOrDecoded(text);
  const pem = data.toString('latin1');
  const m = /-----BEGIN ([A-Z ]+)-----/.exec(pem);
  if (!m || (m[1] !== 'RSA PRIVATE KEY' && m[1] !== 'PRIVATE KEY')) throw new Error('failed to parse PEM block containing the key');
  const key = createPrivateKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'rsa') throw new Error('the key is not an RSA private key');
  return key.export({ format: 'jwk' });
}

/** Runs `f`, reporting any failure as an evaluation error of `name`. */
function guarded(name: string, f: () => unknown): Value {
  try {
    return fromJS(f());
  } catch (e) {
    throw evalErr(name, (e as Error).message);
  }
}

export const x509Builtins: BuiltinDef[] = [
  {
    name: 'crypto.x509.parse_certificates',
    arity: 1,
    types: '(certs: string) => output: array[object[string: any]]',
    fn: (a) => {
      const n = 'crypto.x509.parse_certificates';
      const text = str(n, a, 0);
      return guarded(n, () => parseCertificates(text).map(certificateJson));
    },
  },
  {
    name: 'crypto.x509.parse_certificate_request',
    arity: 1,
    types: '(csr: string) => output: object[string: any]',
    fn: (a) => {
      const n = 'crypto.x509.parse_certificate_request';
      const text = str(n, a, 0);
      return guarded(n, () => {
        const items = derItems(pemOrDecoded(text), 'CERTIFICATE REQUEST');
        if (items.length === 0) throw new Error('failed to parse a PEM certificate request');
        try {
          return csrJson(new x509.Pkcs10CertificateRequest(items[0]));
        } catch {
          throw new Error('x509: malformed certificate request');
        }
      });
    },
  },
  {
    name: 'crypto.x509.parse_keypair',
    arity: 2,
    types: '(cert: string, pem: string) => output: object[string: any]',
    fn: (a) => {
      const n = 'crypto.x509.parse_keypair';
      const [cert, key] = [str(n, a, 0), str(n, a, 1)];
      return guarded(n, () => parseKeyPair(cert, key));
    },
  },
  {
    name: 'crypto.x509.parse_rsa_private_key',
    arity: 1,
    types: '(pem: string) => output: object[string: any]',
    fn: (a) => {
      const n = 'crypto.x509.parse_rsa_private_key';
      const text = str(n, a, 0);
      return guarded(n, () => parseRsaPrivateKey(text));
    },
  },
];
