/** crypto.x509.* on certificates, CSRs and keys generated here (OPA topdown/crypto.go shapes). */
import 'reflect-metadata';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../../../src/policy/rego/index.ts';
import { toJS } from '../../../../src/policy/rego/value.ts';

function q(expr: string, input: Record<string, unknown>): unknown {
  const r = compile({ modules: [] }).queryFull(`x := ${expr}`, { input, strictBuiltinErrors: true });
  return r.solutions.length ? toJS(r.solutions[0].bindings.x) : undefined;
}

describe('crypto.x509', () => {
  let certPem = '';
  let csrPem = '';
  let keyPem = '';
  beforeAll(async () => {
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '0a',
      name: 'CN=unwind.example, O=Unwind',
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
      keys,
      signingAlgorithm: alg,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: 'unwind.example' },
          { type: 'url', value: 'spiffe://example.org/unwind' },
        ]),
      ],
    });
    certPem = cert.toString('pem');
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=csr.example', keys, signingAlgorithm: alg });
    csrPem = csr.toString('pem');
    keyPem = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  });

  it('parse_certificates reads PEM and its base64, with Go field names', () => {
    for (const certs of [certPem, Buffer.from(certPem).toString('base64')]) {
      const [c] = q('crypto.x509.parse_certificates(input.certs)', { certs }) as Array<Record<string, unknown>>;
      expect((c.Subject as Record<string, unknown>).CommonName).toBe('unwind.example');
      expect((c.Subject as Record<string, unknown>).Organization).toEqual(['Unwind']);
      expect([c.SerialNumber, c.IsCA, c.MaxPathLen, c.NotBefore]).toEqual([10, true, 0, '2026-01-01T00:00:00Z']);
      expect([c.DNSNames, c.URIStrings, c.SignatureAlgorithm, c.PublicKeyAlgorithm]).toEqual([['unwind.example'], ['spiffe://example.org/unwind'], 10, 3]);
    }
    expect(() => q('crypto.x509.parse_certificates(input.certs)', { certs: 'YmFkc3RyaW5n' })).toThrow('x509: malformed certificate');
  });

  it('parse_certificate_request and parse_keypair', () => {
    expect((q('crypto.x509.parse_certificate_request(input.csr)', { csr: csrPem }) as { Subject: { CommonName: string } }).Subject.CommonName).toBe('csr.example');
    const pair = q('crypto.x509.parse_keypair(input.cert, input.key)', { cert: certPem, key: keyPem }) as { Certificate: string[] };
    expect(pair.Certificate[0]).toBe(certPem.replace(/-----[A-Z ]+-----|\s/g, ''));
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => q('crypto.x509.parse_keypair(input.cert, input.key)', { cert: certPem, key: other })).toThrow('tls: private key does not match public key');
  });

  it('parse_rsa_private_key gives the JWK', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    expect(q('crypto.x509.parse_rsa_private_key(input.pem)', { pem })).toEqual(privateKey.export({ format: 'jwk' }));
    expect(() => q('crypto.x509.parse_rsa_private_key("invalid")', {})).toThrow('illegal base64');
  });
});

describe('crypto.x509 chain verification and private keys', () => {
  let root = '';
  let leaf = '';
  let stranger = '';
  let leafKey = '';
  beforeAll(async () => {
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const validity = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z') };
    const rootKeys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const leafKeys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const rootCert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01', name: 'CN=Unwind Root', ...validity, keys: rootKeys, signingAlgorithm: alg,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const leafCert = await x509.X509CertificateGenerator.create({
      serialNumber: '02', subject: 'CN=api.unwind.example', issuer: rootCert.subject, ...validity, publicKey: leafKeys.publicKey, signingKey: rootKeys.privateKey, signingAlgorithm: alg,
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'api.unwind.example' }]), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])],
    });
    const other = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '03', name: 'CN=Other', ...validity, keys: leafKeys, signingAlgorithm: alg, extensions: [new x509.BasicConstraintsExtension(true, undefined, true)] });
    [root, leaf, stranger] = [rootCert.toString('pem'), leafCert.toString('pem'), other.toString('pem')];
    leafKey = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey)).toString('base64')}\n-----END PRIVATE KEY-----\n`;
  });

  const at = (iso: string): number => Date.parse(iso) * 1_000_000;
  const verify = (certs: string, opts: Record<string, unknown>): [boolean, Array<{ Subject: { CommonName: string } }>] =>
    q('crypto.x509.parse_and_verify_certificates_with_options(input.certs, input.opts)', { certs, opts }) as [boolean, Array<{ Subject: { CommonName: string } }>];

  it('a chain signed by its root verifies, leaf first in the result', () => {
    const [ok, chain] = verify(`${root}\n${leaf}`, { CurrentTime: at('2026-06-01T00:00:00Z'), DNSName: 'api.unwind.example' });
    expect(ok).toBe(true);
    expect(chain.map((c) => c.Subject.CommonName)).toEqual(['api.unwind.example', 'Unwind Root']);
  });

  it('a wrong root, an expired chain, another host name or key usage do not verify', () => {
    expect(verify(`${stranger}\n${leaf}`, { CurrentTime: at('2026-06-01T00:00:00Z') })).toEqual([false, []]);
    expect(verify(`${root}\n${leaf}`, { CurrentTime: at('2028-01-01T00:00:00Z') })).toEqual([false, []]);
    expect(verify(`${root}\n${leaf}`, { CurrentTime: at('2026-06-01T00:00:00Z'), DNSName: 'evil.example' })).toEqual([false, []]);
    expect(verify(`${root}\n${leaf}`, { CurrentTime: at('2026-06-01T00:00:00Z'), KeyUsages: ['KeyUsageClientAuth'] })).toEqual([false, []]);
    expect(() => verify(root, { Colour: 1 })).toThrow('invalid key option: Colour');
  });

  it('parse_private_keys reads every PEM key', () => {
    const keys = q('crypto.parse_private_keys(input.k)', { k: `${leafKey}${leafKey}` }) as Array<{ Curve: { Name: string } }>;
    expect(keys.map((k) => k.Curve.Name)).toEqual(['P-256', 'P-256']);
    expect(q('crypto.parse_private_keys("")', {})).toEqual([]);
  });
});
