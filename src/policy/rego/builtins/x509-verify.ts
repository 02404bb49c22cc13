/**
 * crypto.x509.parse_and_verify_certificates(_with_options) and crypto.parse_private_keys (OPA
 * topdown/crypto.go). A chain is given root first and leaf last and verified as Go's
 * x509.Certificate.Verify does with that root as the only trust anchor: each certificate signed by
 * the next one up, every issuer a CA, all valid at the evaluation time (or CurrentTime), the leaf's
 * extended key usage allowing the requested usages (server auth by default) and, when DNSName is
 * given, the leaf valid for that name. Signatures are checked with node:crypto.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type * as x509 from '@peculiar/x509';
import { BuiltinError } from '../builtin-types.ts';
import type { BuiltinDef } from '../builtin-types.ts';
import { fromJS, isNum, RObject } from '../value.ts';
import type { Value } from '../value.ts';
import { evalErr, obj, str } from './operands.ts';
import { certificateJson, derItems, EXT_KEY_USAGE, parseCertificates, pemOrDecoded, privateKeyJson } from './x509.ts';

/** Go's x509.ExtKeyUsage names as OPA's options spell them. */
const KEY_USAGES: Record<string, number> = {
  KeyUsageAny: 0,
  KeyUsageServerAuth: 1,
  KeyUsageClientAuth: 2,
  KeyUsageCodeSigning: 3,
  KeyUsageEmailProtection: 4,
  KeyUsageIPSECEndSystem: 5,
  KeyUsageIPSECTunnel: 6,
  KeyUsageIPSECUser: 7,
  KeyUsageTimeStamping: 8,
  KeyUsageOCSPSigning: 9,
};

interface VerifyOptions {
  dnsName?: string;
  /** Milliseconds since the epoch. */
  now: number;
  keyUsages: number[];
}

const ekuOf = (c: x509.X509Certificate): number[] | undefined => {
  const ext = c.extensions.find((e) => e.type === '2.5.29.37') as x509.ExtendedKeyUsageExtension | undefined;
  return ext ? ext.usages.map((u) => EXT_KEY_USAGE[String(u)] ?? -1) : undefined;
};

/** The chain leaf → root when it verifies, otherwise the reason. */
function verifyChain(certs: x509.X509Certificate[], o: VerifyOptions): x509.X509Certificate[] | string {
  if (certs.length < 2) return 'must supply at least two certificates to be able to verify';
  const chain = [...certs].reverse();
  const native = chain.map((c) => new X509Certificate(Buffer.from(c.rawData)));
  for (let i = 0; i < chain.length; i++) {
    const c = native[i];
    if (o.now < Date.parse(c.validFrom) || o.now > Date.parse(c.validTo)) return 'x509: certificate has expired or is not yet valid';
    if (i > 0 && !c.ca) return 'x509: certificate signed by unknown authority (issuer is not a CA)';
    const issuer = native[Math.min(i + 1, chain.length - 1)];
    // Go finds a parent by its subject name equal to the child's issuer name (then checks the signature).
    if (i < chain.length - 1 && c.issuer !== issuer.subject) return 'x509: certificate signed by unknown authority';
    if (!c.verify(issuer.publicKey)) return 'x509: certificate signature is invalid';
  }
  if (o.dnsName !== undefined && native[0].checkHost(o.dnsName) === undefined) return `x509: certificate is not valid for ${o.dnsName}`;
  const wanted = o.keyUsages.length ? o.keyUsages : [KEY_USAGES.KeyUsageServerAuth];
  if (!wanted.includes(KEY_USAGES.KeyUsageAny)) {
    for (const c of chain.slice(0, -1)) {
      const eku = ekuOf(c);
      if (eku && !eku.includes(0) && !wanted.some((u) => eku.includes(u))) return 'x509: certificate specifies an incompatible key usage';
    }
  }
  return chain;
}

function options(name: string, o: RObject, nowNs: bigint): VerifyOptions {
  const out: VerifyOptions = { now: Number(nowNs / 1_000_000n), keyUsages: [] };
  for (const [k, x] of o.entries()) {
    switch (k) {
      case 'DNSName':
        if (typeof x !== 'string') throw new BuiltinError(name, "'DNSName' should be a string", 'type');
        out.dnsName = x;
        break;
      case 'CurrentTime':
        if (!isNum(x)) throw new BuiltinError(name, "'CurrentTime' should be a number", 'type');
        out.now = x.div(1_000_000).floor().toNumber();
        break;
      case 'KeyUsages':
        if (!Array.isArray(x)) throw new BuiltinError(name, "'KeyUsages' should be an array", 'type');
        for (const u of x) {
          if (typeof u !== 'string' || !(u in KEY_USAGES)) throw evalErr(name, `invalid entries for 'KeyUsages' found: ${String(u)}`);
          out.keyUsages.push(KEY_USAGES[u]);
        }
        break;
      case 'MaxConstraintComparisons':
        if (!isNum(x)) throw new BuiltinError(name, "'MaxConstraintComparisons' should be a number", 'type');
        break;
      default:
        throw evalErr(name, `invalid key option: ${typeof k === 'string' ? k : String(k)}`);
    }
  }
  return out;
}

/** [true, chain leaf → root] or [false, []]: a chain that cannot be read or verified is not an error. */
function parseAndVerify(text: string, o: VerifyOptions): Value {
  let certs: x509.X509Certificate[];
  try {
    certs = parseCertificates(text);
  } catch {
    return [false, []];
  }
  const chain = verifyChain(certs, o);
  if (typeof chain === 'string') return [false, []];
  return [true, fromJS(chain.map(certificateJson))];
}

function parsePrivateKeys(text: string): Value {
  if (text === '') return [];
  const data = pemOrDecoded(text);
  const pem = data.toString('latin1');
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g)].map((m) => m[0]);
  if (blocks.length === 0) {
    if (pem.startsWith('-----BEGIN')) throw new Error('PEM data contains no private key');
    return fromJS(derItems(data, 'PRIVATE KEY').map((der) => privateKeyJson(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }))));
  }
  return fromJS(blocks.map((b): Record<string, unknown> => privateKeyJson(createPrivateKey(b) as KeyObject)));
}

export const x509VerifyBuiltins: BuiltinDef[] = [
  {
    name: 'crypto.x509.parse_and_verify_certificates',
    arity: 1,
    types: '(certs: string) => output: array<boolean, array[object[string: any]]>',
    fn: (a, ctx) => parseAndVerify(str('crypto.x509.parse_and_verify_certificates', a, 0), { now: Number(ctx.nowNs / 1_000_000n), keyUsages: [] }),
  },
  {
    name: 'crypto.x509.parse_and_verify_certificates_with_options',
    arity: 2,
    types: '(certs: string, options: object[string: any]) => output: array<boolean, array[object[string: any]]>',
    fn: (a, ctx) => {
      const n = 'crypto.x509.parse_and_verify_certificates_with_options';
      const text = str(n, a, 0);
      return parseAndVerify(text, options(n, obj(n, a, 1), ctx.nowNs));
    },
  },
  {
    name: 'crypto.parse_private_keys',
    arity: 1,
    types: '(keys: string) => output: array[object[string: any]]',
    fn: (a) => {
      const n = 'crypto.parse_private_keys';
      const text = str(n, a, 0);
      try {
        return parsePrivateKeys(text);
      } catch (e) {
        throw evalErr(n, (e as Error).message);
      }
    },
  },
];
