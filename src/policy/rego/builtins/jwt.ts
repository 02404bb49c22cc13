/**
 * io.jwt.* builtins with OPA's semantics and messages (topdown/tokens.go): decode, decode_verify
 * (constraints cert/secret/alg/iss/aud/time, nested `cty: JWT` tokens, `crit`), verify_{hs,rs,ps,es}*,
 * verify_eddsa, encode_sign and encode_sign_raw. Keys and algorithms: jwt-keys.ts.
 */
import type { BuiltinDef } from '../builtin-types.ts';
import { D, isNum, RObject, compare } from '../value.ts';
import type { Num, Value } from '../value.ts';
import { goJSON } from './go-json.ts';
import { parseJSON } from './json.ts';
import { ALGORITHMS, parseJwkSet, signWith, verificationKeys, verifyWith } from './jwt-keys.ts';
import type { VerificationKey } from './jwt-keys.ts';
import { evalErr, obj, str } from './operands.ts';

const URL_ALPHABET = /^[A-Za-z0-9_-]$/;

/** OPA's base64url.decode: restores omitted padding, then Go's strict URL-alphabet decoding. */
export function base64UrlBytes(s: string): Buffer {
  let t = s;
  if (!t.endsWith('=')) {
    const r = t.length % 4;
    if (r === 1) throw new Error(`illegal base64url string: ${s}`);
    if (r === 2) t += '==';
    else if (r === 3) t += '=';
  }
  const body = t.replace(/={1,2}$/, '');
  for (let i = 0; i < body.length; i++) if (!URL_ALPHABET.test(body[i])) throw new Error(`illegal base64 data at input byte ${i}`);
  if (t.length % 4 !== 0 || body.length % 4 === 1) throw new Error(`illegal base64 data at input byte ${body.length}`);
  return Buffer.from(body, 'base64url');
}

interface Token {
  header: string;
  payload: string;
  signature: string;
}

function splitToken(name: string, jwt: string): Token {
  if (!jwt.includes('.')) throw evalErr(name, 'encoded JWT had no period separators');
  const parts = jwt.split('.');
  if (parts.length !== 3) throw evalErr(name, `encoded JWT must have 3 sections, found ${parts.length}`);
  return { header: parts[0], payload: parts[1], signature: parts[2] };
}

function decodePart(name: string, what: string, part: string): Buffer {
  try {
    return base64UrlBytes(part);
  } catch (e) {
    throw evalErr(name, `JWT ${what} had invalid encoding: ${(e as Error).message}`);
  }
}

/** OPA's extractJSONObject: JSON text that must be an object. */
function jsonObject(name: string, text: string): RObject {
  let v: Value;
  try {
    v = parseJSON(name, text);
  } catch (e) {
    throw evalErr(name, `invalid JSON: ${(e as Error).message.replace(`${name}: `, '')}`);
  }
  if (!(v instanceof RObject)) throw evalErr(name, 'decoded JSON type was not an Object');
  return v;
}

/** The decoded header object; a JWE (an `enc` member) is refused. */
function decodeHeader(name: string, token: Token): RObject {
  const text = decodePart(name, 'header', token.header).toString('utf8');
  let header: RObject;
  try {
    header = jsonObject(name, text);
  } catch (e) {
    throw evalErr(name, `bad JWT header: ${(e as Error).message.replace(`${name}: `, '')}`);
  }
  if (header.has('enc')) throw evalErr(name, 'JWT is a JWE object, which is not supported');
  return header;
}

interface Header {
  alg: string;
  kid: string;
  cty: string;
  /** Member names that are neither registered here nor understood. */
  unknown: string[];
  crit: Set<string>;
}

function parseHeader(name: string, h: RObject): Header {
  const out: Header = { alg: '', kid: '', cty: '', unknown: [], crit: new Set() };
  for (const [k, v] of h.entries()) {
    const key = String(k);
    if (key === 'alg' || key === 'kid' || key === 'typ' || key === 'cty') {
      if (typeof v !== 'string') throw evalErr(name, `invalid JWT header: ${key} must be a string`);
      if (key === 'alg') out.alg = v;
      if (key === 'kid') out.kid = v;
      if (key === 'cty') out.cty = v;
    } else if (key === 'crit') {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw evalErr(name, 'invalid JWT header: crit must be an array of strings');
      for (const c of v) out.crit.add(c as string);
    } else out.unknown.push(key);
  }
  return out;
}

/** RFC 7515: alg is required, and a critical member this implementation does not understand invalidates the token. */
function headerValid(h: Header): boolean {
  return h.alg !== '' && !h.unknown.some((u) => h.crit.has(u));
}

function decode(args: Value[]): Value {
  const name = 'io.jwt.decode';
  let jwt = str(name, args, 0);
  for (;;) {
    const token = splitToken(name, jwt);
    const header = decodeHeader(name, token);
    const payloadText = decodePart(name, 'payload', token.payload).toString('utf8');
    const cty = header.get('cty');
    if (cty === 'JWT') {
      // A nested token arrives quoted (as jwt.io writes it): unquote and decode the inner one.
      try {
        const inner: unknown = JSON.parse(payloadText);
        if (typeof inner !== 'string') throw new Error('not a quoted string');
        jwt = inner;
      } catch (e) {
        throw evalErr(name, `JWT payload had invalid encoding: ${(e as Error).message}`);
      }
      continue;
    }
    const payload = jsonObject(name, payloadText);
    const signature = decodePart(name, 'signature', token.signature).toString('hex');
    return [header, payload, signature];
  }
}

interface Constraints {
  keys?: VerificationKey[];
  secret?: string;
  alg?: string;
  iss?: string;
  aud?: string;
  /** Nanoseconds since the epoch. */
  time: Num;
}

function constraintString(name: string, key: string, v: Value): string {
  if (typeof v !== 'string') throw evalErr(name, `${key} constraint must be a string`);
  return v;
}

function parseConstraints(name: string, o: RObject, nowNs: bigint): Constraints {
  const c: Constraints = { time: new D(nowNs.toString()) };
  for (const [k, v] of o.entries()) {
    switch (k) {
      case 'cert':
        try {
          c.keys = verificationKeys(constraintString(name, 'cert', v));
        } catch (e) {
          throw evalErr(name, (e as Error).message);
        }
        break;
      case 'secret':
        c.secret = constraintString(name, 'secret', v);
        break;
      case 'alg':
      case 'iss':
      case 'aud':
        c[k] = constraintString(name, k, v);
        break;
      case 'time':
        if (!isNum(v)) throw evalErr(name, 'time constraint must be a number');
        c.time = v;
        break;
      default:
        throw evalErr(name, `unknown token validation constraint: ${typeof k === 'string' ? k : goJSON(k)}`);
    }
  }
  const keyCount = (c.keys ? 1 : 0) + (c.secret ? 1 : 0);
  if (keyCount > 1) throw evalErr(name, 'duplicate key constraints');
  if (keyCount < 1) throw evalErr(name, 'no key constraint');
  return c;
}

/** Whether the signature checks out under the constraints' keys (a matching kid first, then any key). */
function constraintsVerify(name: string, c: Constraints, h: Header, token: Token, signature: Buffer): boolean {
  const alg = ALGORITHMS[h.alg];
  if (!alg) throw evalErr(name, `unknown JWS algorithm: ${h.alg}`);
  const data = Buffer.from(`${token.header}.${token.payload}`, 'utf8');
  if (c.keys) {
    const byKid = h.kid ? c.keys.find((k) => k.kid === h.kid) : undefined;
    if (byKid) return verifyWith(alg, byKid.key, data, signature);
    return c.keys.some((k) => verifyWith(alg, k.key, data, signature));
  }
  if (alg.family !== 'HS') throw evalErr(name, 'incorrect public key type');
  return verifyWith(alg, Buffer.from(c.secret ?? '', 'utf8'), data, signature);
}

function validAudience(aud: Value, want: string | undefined): boolean {
  if (typeof aud === 'string') return aud === (want ?? '');
  if (!Array.isArray(aud)) return false;
  return aud.some((x) => typeof x === 'string' && x === (want ?? ''));
}

function decodeVerify(args: Value[], nowNs: bigint): Value {
  const name = 'io.jwt.decode_verify';
  const unverified: Value = [false, new RObject(), new RObject()];
  let jwt = str(name, args, 0);
  const c = parseConstraints(name, obj(name, args, 1), nowNs);
  let header: RObject;
  let payloadText: string;
  for (;;) {
    const token = splitToken(name, jwt);
    header = decodeHeader(name, token);
    const h = parseHeader(name, header);
    if (!headerValid(h)) return unverified;
    if (c.alg !== undefined && c.alg !== '' && c.alg !== h.alg) return unverified;
    const signature = decodePart(name, 'signature', token.signature);
    if (!constraintsVerify(name, c, h, token, signature)) return unverified;
    payloadText = decodePart(name, 'payload', token.payload).toString('utf8');
    if (h.cty.toUpperCase() === 'JWT') {
      jwt = payloadText;
      continue;
    }
    break;
  }
  const payload = jsonObject(name, payloadText);
  if (c.iss) {
    const iss = payload.get('iss');
    if (typeof iss !== 'string' || iss !== c.iss) return unverified;
  }
  const aud = payload.get('aud');
  if (aud !== undefined) {
    if (!validAudience(aud, c.aud)) return unverified;
  } else if (c.aud) return unverified;
  // exp and nbf are seconds; the constraint time is nanoseconds.
  const seconds = c.time.div(1e9);
  const exp = payload.get('exp');
  if (exp !== undefined) {
    if (!isNum(exp)) throw evalErr(name, 'exp value must be a number');
    if (compare(seconds, exp) !== -1) return unverified;
  }
  const nbf = payload.get('nbf');
  if (nbf !== undefined) {
    if (!isNum(nbf)) throw evalErr(name, 'nbf value must be a number');
    if (compare(seconds, nbf) === -1) return unverified;
  }
  return [true, header, payload];
}

/** io.jwt.verify_<alg>(jwt, key): a PEM or JWK (set) for asymmetric algorithms, a secret for HS*. */
function verifier(algName: string): BuiltinDef {
  const name = `io.jwt.verify_${algName.toLowerCase()}`;
  const alg = ALGORITHMS[algName];
  return {
    name,
    arity: 2,
    types: `(jwt: string, ${alg.family === 'HS' ? 'secret' : 'certificate'}: string) => result: boolean`,
    fn: (args) => {
      const token = splitToken(name, str(name, args, 0));
      const keyText = str(name, args, 1);
      const data = Buffer.from(`${token.header}.${token.payload}`, 'utf8');
      if (alg.family === 'HS') return verifyWith(alg, Buffer.from(keyText, 'utf8'), data, decodePart(name, 'signature', token.signature));
      let keys: VerificationKey[];
      try {
        keys = verificationKeys(keyText);
      } catch (e) {
        throw evalErr(name, (e as Error).message);
      }
      const signature = decodePart(name, 'signature', token.signature);
      const h = parseHeader(name, decodeHeader(name, token));
      const byKid = h.kid ? keys.find((k) => k.kid === h.kid) : undefined;
      if (byKid) return verifyWith(alg, byKid.key, data, signature);
      // A JWK that names its alg only verifies tokens of that alg.
      return keys.some((k) => (k.alg === '' || k.alg === h.alg) && verifyWith(alg, k.key, data, signature));
    },
  };
}

/** The header's alg, with the messages OPA gives for headers that are not JSON objects. */
function headerAlg(name: string, headerText: string): string {
  if (headerText.trim() === '') throw evalErr(name, "missing or invalid 'alg' header: cannot parse JSON: cannot parse empty string");
  let parsed: unknown;
  try {
    parsed = JSON.parse(headerText);
  } catch (e) {
    // Go's json.Unmarshal names a first character that cannot begin a value; a broken object fails the alg lookup.
    const first = headerText.trim()[0];
    if (!'{["-0123456789tfn'.includes(first)) throw evalErr(name, `invalid character '${first}' looking for beginning of value`);
    throw evalErr(name, `missing or invalid 'alg' header: cannot parse JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw evalErr(name, "missing or invalid 'alg' header");
  const alg = (parsed as Record<string, unknown>).alg;
  if (alg === undefined) throw evalErr(name, 'unsupported signature algorithm');
  if (typeof alg !== 'string' || !ALGORITHMS[alg]) throw evalErr(name, `unknown JWS algorithm: ${String(alg)}`);
  return alg;
}

function isJSON(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** OPA's commonBuiltinJWTEncodeSign: header and payload texts are signed exactly as given. */
function encodeSign(name: string, headerText: string, payloadText: string, keyText: string): string {
  let jwks;
  try {
    jwks = parseJwkSet(keyText);
  } catch (e) {
    throw evalErr(name, (e as Error).message);
  }
  if (jwks.length === 0) throw evalErr(name, 'no JWK in the key set');
  const algName = headerAlg(name, headerText);
  const typ = (JSON.parse(headerText) as Record<string, unknown>).typ;
  if ((typ === undefined || typ === '' || typ === 'JWT') && !isJSON(payloadText)) throw evalErr(name, 'type is JWT but payload is not JSON');
  const signingInput = `${Buffer.from(headerText, 'utf8').toString('base64url')}.${Buffer.from(payloadText, 'utf8').toString('base64url')}`;
  let signature: Buffer;
  try {
    signature = signWith(algName, ALGORITHMS[algName], jwks[0], Buffer.from(signingInput, 'utf8'));
  } catch (e) {
    throw evalErr(name, (e as Error).message);
  }
  return `${signingInput}.${signature.toString('base64url')}`;
}

export const jwtBuiltins: BuiltinDef[] = [
  {
    name: 'io.jwt.decode',
    arity: 1,
    types: '(jwt: string) => output: array<object[string: any], object[string: any], string>',
    fn: decode,
  },
  {
    name: 'io.jwt.decode_verify',
    arity: 2,
    types: '(jwt: string, constraints: object[string: any]) => output: array<boolean, object[string: any], object[string: any]>',
    fn: (args, ctx) => decodeVerify(args, ctx.nowNs),
  },
  ...['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'].map(verifier),
  {
    name: 'io.jwt.encode_sign',
    arity: 3,
    nondeterministic: true,
    types: '(headers: object[string: any], payload: object[string: any], key: object[string: any]) => output: string',
    fn: (args) => {
      const name = 'io.jwt.encode_sign';
      return encodeSign(name, goJSON(obj(name, args, 0)), goJSON(obj(name, args, 1)), goJSON(obj(name, args, 2)));
    },
  },
  {
    name: 'io.jwt.encode_sign_raw',
    arity: 3,
    nondeterministic: true,
    types: '(headers: string, payload: string, key: string) => output: string',
    fn: (args) => {
      const name = 'io.jwt.encode_sign_raw';
      return encodeSign(name, str(name, args, 0), str(name, args, 1), str(name, args, 2));
    },
  },
];
